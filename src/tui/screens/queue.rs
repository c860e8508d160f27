//! The referral queue: one page of referrals, the quorum line, opening a referral.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::referral::Case;
use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::theme;
use crate::tui::view::{boxed, trunc};
use crate::walk::{self, Walk};

impl App {
    pub(crate) fn on_queue_key(&mut self, action: Action) {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1)),
            Action::PageDown if self.offset + PAGE < self.total => {
                self.offset += PAGE;
                self.selected = 0;
                self.cmd(Command::RefreshQueue);
            }
            Action::PageUp if self.offset > 0 => {
                self.offset = (self.offset - PAGE).max(0);
                self.selected = 0;
                self.cmd(Command::RefreshQueue);
            }
            Action::Open => {
                if let Some(id) = self.rows.get(self.selected).map(|r| r.id) {
                    self.cmd(Command::OpenReferral(id));
                }
            }
            Action::NewReferral => self.new_referral(),
            Action::Session => {
                self.screen = Screen::Session;
                // Adding who is present is what the chair comes here for.
                self.session_focus =
                    self.session_fields().iter().position(|f| f.0 == SessionKey::AddMember).unwrap_or(0);
            }
            Action::Import => {
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::ImportPath,
                    label: "Import referrals from (a TOML file path)".into(),
                    area: text_area("panels/examples/referrals.toml"),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }))
            }
            _ => {}
        }
    }

    pub(crate) fn queue(&self, area: Rect, buf: &mut Buffer) {
        let block = boxed("Referral queue");
        let inner = block.inner(area);
        block.render(area, buf);
        let [summary, head, rows] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        let quorum = self.quorum_line();
        Line::from(vec![
            Span::raw(format!("{} referral(s)", crate::words::count(self.total as u64))),
            Span::raw(if self.total > self.rows.len() as i64 {
                format!(" · showing {}–{}", self.offset + 1, self.offset + self.rows.len() as i64)
            } else {
                String::new()
            }),
            Span::raw(" · "),
            quorum,
        ])
        .render(summary, buf);
        let wide = area.width >= 100;
        let name_w = if wide { 26 } else { 18 };
        let cols = format!("  {:<12} {:<16} {:<name_w$} {:>3}  {:<}", "Status", "Reference", "Child", "Age", "Offence");
        Line::from(cols).style(theme::label()).render(head, buf);
        let visible = rows.height as usize;
        let start = self.selected.saturating_sub(visible.saturating_sub(1));
        for (i, row) in self.rows.iter().enumerate().skip(start).take(visible) {
            let r = &row.referral;
            let name = if self.privacy { "—".to_string() } else { r.child.name.clone() };
            let offence = r.offences.first().map_or("", |o| o.offence.as_str());
            let days = r
                .offence_date()
                .map(|d| (self.today - d).num_days())
                .map_or(String::new(), |d| format!(" ({d} days ago)"));
            let mark = if i == self.selected { "▶ " } else { "  " };
            let text = format!(
                "{mark}{:<12} {:<16} {:<name_w$} {:>3}  {offence}{days}",
                row.status.label(),
                trunc(&r.reference, 16),
                trunc(&name, name_w),
                r.age_at_offence().map_or("?".into(), |a| a.to_string()),
            );
            let style = if i == self.selected { theme::focus() } else { Style::new() };
            let y = rows.y + (i - start) as u16;
            Line::from(trunc(&text, rows.width as usize)).style(style).render(Rect { y, height: 1, ..rows }, buf);
        }
        if self.rows.is_empty() {
            Paragraph::new("No referrals. Press n to add one or i to import a file.").render(rows, buf);
        }
    }

    pub(crate) fn quorum_line(&self) -> Span<'static> {
        let missing = crate::domain::checks::missing_for_quorum(&self.session.members, &self.panel);
        let how = if self.screen == Screen::Session { "add them below" } else { "press s" };
        if missing.is_empty() {
            Span::styled("Quorum: met ✓", theme::ok())
        } else {
            Span::styled(format!("Quorum: NOT MET ✗ — no one from {} ({how})", missing.join(", ")), theme::warning())
        }
    }

    pub fn new_referral(&mut self) {
        let case = Case::new(walk::blank_referral(self.today));
        self.start_walk(Walk::new(case, self.today), None);
    }
}
