//! The referral queue: one page of referrals, the quorum line, opening a referral.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::readiness;
use crate::domain::referral::Case;
use crate::store::{ReferralRow, ReferralStatus};
use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::theme;
use crate::tui::view::{boxed, trunc};
use crate::walk::{self, Walk};

/// The queue's state: one page of referrals read from the store (read again whenever the queue
/// is shown, never kept behind another screen) and the selection.
#[derive(Debug, Default)]
pub struct QueueScreen {
    pub rows: Vec<ReferralRow>,
    pub total: i64,
    pub offset: i64,
    pub selected: usize,
    /// The referral to select once the rows are read: the one the chair has just left.
    pub select: Option<i64>,
    /// How many follow-up tasks are overdue (the task board, `t`).
    pub tasks_overdue: usize,
    /// When the rows were last read again while the queue stood open (`App::tick`).
    pub read_at: Option<std::time::Instant>,
}

impl QueueScreen {
    pub fn selecting(referral: Option<i64>) -> Self {
        QueueScreen { select: referral, ..Default::default() }
    }
}

impl App {
    /// Back to the queue, its rows read afresh, with `referral` selected when it is given.
    pub(crate) fn back_to_queue(&mut self, referral: Option<i64>) {
        self.screen = Screen::Queue(QueueScreen::selecting(referral));
        self.cmd(Command::RefreshQueue);
    }

    pub fn queue_state(&self) -> Option<&QueueScreen> {
        match &self.screen {
            Screen::Queue(q) => Some(q),
            _ => None,
        }
    }

    pub fn queue_state_mut(&mut self) -> Option<&mut QueueScreen> {
        match &mut self.screen {
            Screen::Queue(q) => Some(q),
            _ => None,
        }
    }

    pub(crate) fn on_queue_key(&mut self, action: Action) {
        let Screen::Queue(q) = &mut self.screen else { return };
        match action {
            Action::Up => q.selected = q.selected.saturating_sub(1),
            Action::Down => q.selected = (q.selected + 1).min(q.rows.len().saturating_sub(1)),
            Action::PageDown if q.offset + PAGE < q.total => {
                q.offset += PAGE;
                q.selected = 0;
                self.cmd(Command::RefreshQueue);
            }
            Action::PageUp if q.offset > 0 => {
                q.offset = (q.offset - PAGE).max(0);
                q.selected = 0;
                self.cmd(Command::RefreshQueue);
            }
            Action::Open => {
                if let Some(id) = q.rows.get(q.selected).map(|r| r.id) {
                    self.cmd(Command::OpenReferral(id));
                }
            }
            Action::NewReferral => self.new_referral(),
            Action::Tasks => {
                let back_to = q.rows.get(q.selected).map(|r| r.id);
                self.open_tasks(back_to);
            }
            Action::Session => {
                // Adding who is present is what the chair comes here for.
                let back_to = q.rows.get(q.selected).map(|r| r.id);
                let focus = self.session_fields().iter().position(|f| f.0 == SessionKey::AddMember).unwrap_or(0);
                self.screen = Screen::Session(super::session::SessionScreen { focus, back_to });
            }
            Action::Import => {
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::ImportPath,
                    label: "Import referrals from (a TOML or CSV file path)".into(),
                    area: text_area("panels/examples/referrals.toml"),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }))
            }
            _ => {}
        }
    }

    pub(crate) fn queue(&self, q: &QueueScreen, area: Rect, buf: &mut Buffer) {
        let block = boxed("Referral queue");
        let inner = block.inner(area);
        block.render(area, buf);
        let on_time: Vec<Option<(i64, bool)>> = q.rows.iter().map(|row| self.waiting(row)).collect();
        let overdue = on_time.iter().flatten().filter(|(_, late)| *late).count();
        // Warnings at the foot, one line each: assessments overdue, follow-up tasks overdue.
        let legend = u16::from(overdue > 0) + u16::from(q.tasks_overdue > 0);
        // The quorum first: it is what the chair must see before starting. On a narrow screen
        // the count goes onto a line of its own rather than being cut mid-word.
        let quorum = self.quorum_line();
        let count = format!("{} referral(s)", crate::words::count(q.total as u64));
        let showing = if q.total > q.rows.len() as i64 {
            format!(" · showing {}–{}", q.offset + 1, q.offset + q.rows.len() as i64)
        } else {
            String::new()
        };
        let one_line = quorum.content.chars().count() + 3 + count.chars().count() + showing.chars().count();
        let summary_rows = if one_line <= usize::from(inner.width) { 1 } else { 2 };
        let [summary, head, rows, detail, foot] = Layout::vertical([
            Constraint::Length(summary_rows),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(legend),
        ])
        .areas(inner);
        let summary_text = if summary_rows == 1 {
            Text::from(Line::from(vec![quorum, Span::raw(format!(" · {count}{showing}"))]))
        } else {
            Text::from(vec![Line::from(quorum), Line::from(format!("{count}{showing}"))])
        };
        summary_text.render(summary, buf);
        let wide = area.width >= 100;
        let name_w = if wide { 26 } else { 14 };
        let cols = format!(
            "  {:<12} {:<16} {:<name_w$} {:>3}  {:<9} {:<}",
            "Status", "Reference", "Child", "Age", "Waiting", "Offence"
        );
        Line::from(cols).style(theme::label()).render(head, buf);
        let visible = rows.height as usize;
        let start = q.selected.saturating_sub(visible.saturating_sub(1));
        for (i, row) in q.rows.iter().enumerate().skip(start).take(visible) {
            let r = &row.referral;
            let name = if self.privacy { "—".to_string() } else { r.child.name.clone() };
            let offence = r.offences.first().map_or("", |o| o.offence.as_str());
            let (waiting, late) = match on_time[i] {
                Some((1, late)) => ("1 day".to_string(), late),
                Some((days, late)) => (format!("{} days", crate::words::count(days as u64)), late),
                None => (String::new(), false),
            };
            let flag = if late { " !" } else { "" };
            let mark = if i == q.selected { "▶ " } else { "  " };
            let status = match self.preparing(row) {
                Some((by, _)) => format!("by {by}"),
                None => row.status.label().to_string(),
            };
            let text = format!(
                "{mark}{:<12} {:<16} {:<name_w$} {:>3}  {:<9} {offence}",
                trunc(&status, 12),
                trunc(&r.reference, 16),
                trunc(&name, name_w),
                row.age_at_offence.map_or("?".into(), |a| a.to_string()),
                format!("{waiting}{flag}"),
            );
            let style = match (i == q.selected, late) {
                (true, _) => theme::focus(),
                (false, true) => theme::warning(),
                (false, false) => Style::new(),
            };
            let y = rows.y + (i - start) as u16;
            Line::from(trunc(&text, rows.width as usize)).style(style).render(Rect { y, height: 1, ..rows }, buf);
        }
        if let Some(line) = q.rows.get(q.selected).and_then(|row| self.still_needed(row, detail.width as usize)) {
            Line::from(trunc(&line, detail.width as usize)).render(detail, buf);
        }
        let mut foot_lines = foot.rows();
        if q.tasks_overdue > 0
            && let Some(line) = foot_lines.next()
        {
            let tasks = crate::words::counted(q.tasks_overdue as u64, "follow-up task", "follow-up tasks");
            let text = format!("! {tasks} overdue — t opens the task board");
            Line::from(trunc(&text, line.width as usize)).style(theme::warning()).render(line, buf);
        }
        if overdue > 0
            && let Some(foot) = foot_lines.next()
        {
            let text = format!(
                "! {} overdue: due within {} working days of the referral",
                crate::words::counted(overdue as u64, "YJS assessment", "YJS assessments"),
                self.panel.timescales.assessment_working_days
            );
            // Where there is room, where to find what each still needs.
            let more = format!("{text} (jdp agenda lists what each still needs)");
            let text = if more.chars().count() <= foot.width as usize { more } else { text };
            Line::from(trunc(&text, foot.width as usize)).style(theme::warning()).render(foot, buf);
        }
        if q.rows.is_empty() {
            Paragraph::new("No referrals. Press n to add one or i to import a file.").render(rows, buf);
        }
    }

    /// Who else is preparing this referral, and when they last saved it: another workstation's
    /// login (or another screen's account), never this screen's own.
    fn preparing(&self, row: &ReferralRow) -> Option<(String, String)> {
        let (by, at) = row.draft_saved.as_ref()?;
        if by.is_empty() || *by == self.actor || row.status != ReferralStatus::InProgress {
            return None;
        }
        let at = crate::tui::strings::local_time(at, self.today, "%-d %b").unwrap_or_default();
        Some((crate::domain::text::escape_for_terminal(by).into_owned(), at))
    }

    /// Days a referral not yet decided has waited, and whether its YJS assessment is overdue
    /// (`domain::readiness`); nothing for a decided referral, whose wait is over.
    fn waiting(&self, row: &ReferralRow) -> Option<(i64, bool)> {
        if !matches!(row.status, ReferralStatus::New | ReferralStatus::InProgress) {
            return None;
        }
        let assessed_on = row.draft.as_ref().and_then(|c| c.needs.assessed_on);
        let t = readiness::assessment_timescale(&row.referral, assessed_on, &self.panel);
        Some((readiness::days_waiting(&row.referral, self.today), t.overdue_on(self.today)))
    }

    /// What the selected referral still needs before the panel can decide, read from its draft
    /// by the walk's own checks (`domain::readiness`), naming the reference where there is room;
    /// nothing for a decided referral.
    fn still_needed(&self, row: &ReferralRow, width: usize) -> Option<String> {
        if !matches!(row.status, ReferralStatus::New | ReferralStatus::InProgress) {
            return None;
        }
        let r = readiness::readiness(&row.case(), &self.panel, self.today);
        let reference = &row.referral.reference;
        if let Some((by, at)) = self.preparing(row) {
            let what = if r.is_ready() {
                "ready".to_string()
            } else {
                format!("still needs: {}", r.missing.iter().map(|m| m.what.short()).collect::<Vec<_>>().join(", "))
            };
            let long = format!("{reference} is being prepared by {by} (saved {at}); {what}");
            let short = format!("Being prepared by {by} ({at}); {what}");
            return Some(if long.chars().count() <= width { long } else { short });
        }
        let (long, short) = if r.is_ready() {
            (
                format!("{reference} is ready: everything the panel needs before it decides is recorded."),
                "Ready: everything the panel needs before it decides is recorded.".to_string(),
            )
        } else {
            let what = r.missing.iter().map(|m| m.what.short()).collect::<Vec<_>>().join(", ");
            (format!("{reference} still needs: {what}"), format!("Missing: {what}"))
        };
        Some(if long.chars().count() <= width { long } else { short })
    }

    pub(crate) fn quorum_line(&self) -> Span<'static> {
        let missing = crate::domain::checks::missing_for_quorum(&self.session.members, &self.panel);
        let how = if matches!(self.screen, Screen::Session(_)) { "add them below" } else { "press s" };
        if missing.is_empty() {
            Span::styled("Quorum: met ✓", theme::ok())
        } else {
            Span::styled(format!("Quorum: NOT MET ✗ — no one from {} ({how})", missing.join(", ")), theme::warning())
        }
    }

    /// A new referral: the one left unfinished, if any (the runner reads it), else a blank one.
    pub fn new_referral(&mut self) {
        self.cmd(Command::NewReferral);
    }

    pub(crate) fn blank_referral(&mut self) {
        let case = Case::new(walk::blank_referral(self.today));
        self.start_walk(Walk::new(case, self.today), None);
    }
}
