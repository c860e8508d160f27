//! Drawing: `Widget for &App`, so drawing never changes state. Only what is visible is drawn:
//! the queue holds one page of rows, the walk one case.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::app::{App, Confirm, Overlay, Screen};
use super::strings as s;
use super::theme;
use crate::domain::checks::Severity;
use crate::domain::gravity;
use crate::domain::panel::ILLUSTRATIVE_LABEL;
use crate::domain::referral::Case;
use crate::walk::{Step, Value, Walk};

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_W || area.height < MIN_H {
            let msg = vec![
                Line::from(s::TOO_SMALL).style(theme::title()),
                Line::from(format!("(it is {}×{} now)", area.width, area.height)),
            ];
            let y = area.height / 2;
            Paragraph::new(msg).centered().wrap(Wrap { trim: true }).render(
                Rect { y: area.y + y.saturating_sub(1), height: area.height - y.saturating_sub(1), ..area },
                buf,
            );
            return;
        }
        let banner = self.training || self.synthetic;
        let [head, band, body, status, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(banner)),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.header(head, buf);
        if banner {
            let text = if self.training { s::TRAINING } else { s::SYNTHETIC };
            let line = format!("{0}  {text}  {0}", "■■■");
            Paragraph::new(line).centered().style(theme::banner()).render(band, buf);
        }
        match self.screen {
            Screen::Start => self.start(body, buf),
            Screen::Queue => self.queue(body, buf),
            Screen::Session => self.session(body, buf),
            Screen::Walk => self.walk_screen(body, buf),
            Screen::Recorded => self.recorded(body, buf),
            Screen::Picker => self.picker(body, buf),
            Screen::Debrief => self.debrief(body, buf),
            Screen::ScrutinyQueue => self.render_scrutiny_queue(body, buf),
            Screen::ScrutinyCase => self.render_scrutiny_case(body, buf),
            Screen::Report => self.render_report(body, buf),
        }
        if let Some(msg) = &self.status {
            Paragraph::new(msg.as_str()).style(theme::label()).render(status, buf);
        }
        Paragraph::new(self.footer()).style(theme::muted()).render(foot, buf);
        if let Some(o) = &self.overlay {
            self.overlay(o, body, buf);
        }
    }
}

/// Name and date of birth, or the reference and age when privacy mode is on.
pub fn who(case: &Case, privacy: bool) -> String {
    let r = &case.referral;
    let age = r.age_at_offence().map_or(String::new(), |a| format!(", {a} at offence"));
    if privacy || r.child.name.trim().is_empty() {
        format!("{}{age}", r.reference)
    } else {
        format!("{} ({}){age}", r.child.name, r.reference)
    }
}

fn boxed(title: &str) -> Block<'_> {
    Block::new().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme::title()))
}

fn centre(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

impl App {
    /// Free text as it may be shown: with privacy mode on, the child's identifiers are replaced.
    fn shown(&self, case: &Case, text: String) -> String {
        if self.privacy { crate::redact::for_projector(&text, case) } else { text }
    }

    fn header(&self, area: Rect, buf: &mut Buffer) {
        let mut spans = vec![
            Span::styled(format!(" {} ", s::APP), theme::focus()),
            Span::styled(format!(" {} · {} ", self.panel.panel.name, self.panel.panel.area), theme::title()),
            Span::raw(format!("│ {} ", self.today.format("%a %-d %b %Y"))),
        ];
        if self.privacy {
            spans.push(Span::styled(format!("│ {} ", s::PRIVACY_ON), theme::focus()));
        }
        if self.trainer.as_ref().is_some_and(|t| t.notes_visible) {
            spans.push(Span::styled(" TRAINER VIEW ", theme::focus()));
        }
        if self.training {
            spans.push(Span::styled(" │ TRAINING ", theme::banner()));
        } else if self.synthetic {
            spans.push(Span::styled(" │ SYNTHETIC ", theme::banner()));
        }
        Line::from(spans).render(area, buf);
    }

    fn footer(&self) -> &'static str {
        match &self.overlay {
            Some(Overlay::Edit(e)) => {
                if e.multiline {
                    s::FOOT_EDIT_TEXT
                } else {
                    s::FOOT_EDIT_LINE
                }
            }
            Some(Overlay::Pick(p)) => {
                if p.multi {
                    s::FOOT_PICK_MULTI
                } else {
                    s::FOOT_PICK
                }
            }
            Some(Overlay::Confirm(_)) => "Enter or y yes  Esc or n no",
            Some(Overlay::Help) => "? or Esc close help",
            Some(Overlay::Read { .. }) => "Esc close  p switch privacy off to edit",
            Some(Overlay::Notice { .. }) => "Enter or Esc close",
            None => match self.screen {
                Screen::Start => s::FOOT_START,
                Screen::Queue => s::FOOT_QUEUE,
                Screen::Session => s::FOOT_SESSION,
                Screen::Recorded => s::FOOT_RECORDED,
                Screen::Picker => s::FOOT_PICKER,
                Screen::Debrief => s::FOOT_DEBRIEF,
                Screen::ScrutinyQueue => "↑↓ choose  Enter review the case  r board report  ? help  q quit",
                Screen::ScrutinyCase => "↑↓ field  Enter edit or record  PgUp PgDn scroll the case  Esc the queue",
                Screen::Report => "↑↓ PgUp PgDn scroll  Esc the sample  q quit",
                Screen::Walk => match &self.walk {
                    Some(w) if w.recorded.is_some() && self.trainer.is_some() => {
                        "d or Esc the debrief  p privacy  ? help  q quit"
                    }
                    Some(w) if w.recorded.is_some() => "Esc back to the queue  p privacy  ? help  q quit",
                    Some(_) if self.trainer.is_some() => s::FOOT_TRAIN_WALK,
                    Some(w) if w.step == Step::Record => s::FOOT_RECORD,
                    _ => s::FOOT_WALK,
                },
            },
        }
    }

    fn start(&self, area: Rect, buf: &mut Buffer) {
        let lines = vec![
            Line::from("Welcome to jdp").style(theme::title()),
            Line::from(""),
            Line::from("This database holds no referrals yet. To see jdp at work:"),
            Line::from(""),
            Line::from("  1  Load the example referrals (three fictional children) and walk one to a decision"),
            Line::from("  2  Add a referral of your own"),
            Line::from("  3  Run a training panel (a mock panel from a scenario; nothing is written here)"),
            Line::from(""),
            Line::from(format!("Panel definition: {} (version {})", self.panel.panel.name, self.panel.panel.version)),
            Line::from(format!(
                "Database: {}",
                self.store.path().map_or("in memory (nothing is kept)".into(), |p| p.display().to_string())
            )),
            Line::from(""),
            Line::from(s::CONFIDENTIAL).style(theme::muted()),
        ];
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(boxed("Start")).render(area, buf);
    }

    fn queue(&self, area: Rect, buf: &mut Buffer) {
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

    fn quorum_line(&self) -> Span<'static> {
        let missing = crate::domain::checks::missing_for_quorum(&self.session.members, &self.panel);
        let how = if self.screen == Screen::Session { "add them below" } else { "press s" };
        if missing.is_empty() {
            Span::styled("Quorum: met ✓", theme::ok())
        } else {
            Span::styled(format!("Quorum: NOT MET ✗ — no one from {} ({how})", missing.join(", ")), theme::warning())
        }
    }

    fn session(&self, area: Rect, buf: &mut Buffer) {
        let block = boxed("Panel session");
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = vec![
            Line::from(format!("Date: {}", self.today.format("%A %-d %B %Y"))).style(theme::label()),
            Line::from(self.quorum_line()),
            Line::from(""),
        ];
        for (i, (_, label, value)) in self.session_fields().iter().enumerate() {
            let focused = i == self.session_focus;
            let value = value.lines().collect::<Vec<_>>().join("; ");
            let text = format!("{}{:<28} {}", if focused { "▶ " } else { "  " }, label, value);
            lines.push(Line::from(text).style(if focused { theme::focus() } else { Style::new() }));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(s::CONFIDENTIAL).style(theme::muted()));
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }

    fn recorded(&self, area: Rect, buf: &mut Buffer) {
        let Some(first) = self.recorded.first() else { return };
        let title = format!("Recorded decision — {}", who(&first.snapshot.case, self.privacy));
        let mut lines = Vec::new();
        // Newest first: the current decision is what a reader wants first.
        for r in self.recorded.iter().rev() {
            let snap = &r.snapshot;
            let status = match r.superseded_by {
                Some(by) => format!("SUPERSEDED by record {by}"),
                None => "CURRENT".into(),
            };
            lines.push(
                Line::from(format!(
                    "Record {} · {} · decided {}",
                    r.seq,
                    status,
                    snap.decided_on.format("%a %-d %b %Y")
                ))
                .style(theme::title()),
            );
            let chair = if snap.chair.is_empty() { "no chair named" } else { snap.chair.as_str() };
            lines.push(Line::from(format!(
                "  Recorded {} by {} (operating-system account) · chaired by {chair}",
                r.recorded_at, r.recorded_by
            )));
            let rows =
                super::case_view::rows(&snap.case, &self.panel, &snap.case.decision.present, &snap.chair, self.privacy);
            if let (Some(of), Some(why)) = (r.supersedes, &r.correction_reason) {
                lines.push(
                    Line::from(format!("  Corrects record {of} because: {}", self.shown(&snap.case, why.clone())))
                        .style(theme::warning()),
                );
                if let Some(orig) = self.recorded.iter().find(|o| o.seq == of) {
                    let before = super::case_view::rows(
                        &orig.snapshot.case,
                        &self.panel,
                        &orig.snapshot.case.decision.present,
                        &orig.snapshot.chair,
                        self.privacy,
                    );
                    lines.push(Line::from("  What changed:").style(theme::label()));
                    for (label, was, now) in super::case_view::changes(&before, &rows) {
                        lines.push(Line::from(format!("    {label}: {was}  →  {now}")).style(theme::warning()));
                    }
                }
            }
            let departure = if snap.score.departure { " · departs from the matrix" } else { "" };
            let outcome = self.panel.outcome(snap.outcome()).map_or(snap.outcome().to_string(), |o| o.label.clone());
            lines.push(Line::from(format!(
                "  Outcome: {outcome} · score {} (base {}, matrix indicates {}){departure}",
                snap.score.final_score,
                snap.score.base,
                snap.score.indicated.as_deref().unwrap_or("—")
            )));
            lines.extend(self.case_lines(&rows));
            lines.push(Line::from("Findings at the time").style(theme::label()));
            for f in &snap.findings {
                let sev = if f.blocking { Severity::Blocking } else { Severity::Warning };
                lines.push(finding_line(sev, &self.shown(&snap.case, f.reason.clone())));
            }
            lines.push(Line::from("Tasks").style(theme::label()));
            lines.extend(
                self.task_lines(snap.tasks.iter().map(|t| (t.due, self.shown(&snap.case, t.description.clone())))),
            );
            lines.push(Line::from(format!("  hash {}", r.hash)).style(theme::muted()));
            lines.push(Line::from(""));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.recorded_scroll, 0))
            .block(boxed(&title))
            .render(area, buf);
    }

    fn walk_screen(&self, area: Rect, buf: &mut Buffer) {
        let Some(w) = &self.walk else { return };
        let [bar, title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        self.step_bar(w, bar, buf);
        let mut t = format!(" {}  {} — {}", w.step.index() + 1, s::step_title(w.step), who(&w.case, self.privacy));
        if let Some(seq) = w.correction_of {
            t.push_str(&format!(" — CORRECTING record {seq}"));
        }
        Line::from(trunc(&t, title.width as usize)).style(theme::title()).render(title, buf);
        let wide = area.width >= 100;
        // Steps with a few fields and a lot of guidance read better with the guidance full width.
        let few = matches!(w.step, Step::Gravity | Step::Outcome | Step::Decision);
        let n = w.fields(&self.panel).len() as u16;
        let [fields, context] = if few {
            Layout::vertical([Constraint::Length(n + 1), Constraint::Fill(1)]).areas(body)
        } else if wide {
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body)
        } else {
            Layout::vertical([Constraint::Fill(3), Constraint::Fill(2)]).areas(body)
        };
        match w.step {
            Step::Review | Step::Record => self.review(w, body, buf),
            _ => {
                self.fields(w, fields, buf);
                self.context(w, context, buf);
            }
        }
    }

    fn picker(&self, area: Rect, buf: &mut Buffer) {
        let Some(t) = &self.trainer else { return };
        let block = boxed("Training scenarios — choose one for the room");
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = Vec::new();
        for (i, (_, sc)) in t.scenarios.iter().enumerate() {
            let mark = if i == t.cursor { "▶ " } else { "  " };
            let text = format!(
                "{mark}{:<44} {:<13} {:>3} min",
                trunc(&sc.scenario.title, 44),
                sc.scenario.level.label(),
                sc.scenario.minutes
            );
            lines.push(Line::from(trunc(&text, inner.width as usize)).style(if i == t.cursor {
                theme::focus()
            } else {
                Style::new()
            }));
        }
        if t.scenarios.is_empty() {
            lines.push(Line::from("No valid scenarios in panels/training/. Run jdp check on them."));
        }
        if let Some((name, sc)) = t.scenarios.get(t.cursor) {
            lines.push(Line::from(""));
            lines.push(Line::from(format!("Teaches: {}", sc.scenario.teaches)).style(theme::label()));
            for o in &sc.scenario.objectives {
                lines.push(Line::from(format!("  • {o}")));
            }
            lines.push(Line::from(format!("File: {name} · all names are fictional")).style(theme::muted()));
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }

    /// The room's decision beside the reference, every field in full, scrolled with ↑↓.
    fn debrief(&self, area: Rect, buf: &mut Buffer) {
        let Some(d) = self.trainer.as_ref().and_then(|t| t.debrief.as_ref()) else { return };
        let same = |b: bool| if b { "✓ same" } else { "✗ differs" };
        let mut lines = vec![
            Line::from(format!("Outcome {} · gravity score {}", same(d.same_outcome), same(d.same_score)))
                .style(theme::title()),
            Line::from(""),
        ];
        for (label, room, reference) in d.rows(&self.panel) {
            let mark = if room == reference { "✓" } else { "✗" };
            lines.push(Line::from(format!("{label} {mark}")).style(theme::label()));
            lines.push(Line::from(vec![Span::styled("  The room:  ", theme::muted()), Span::raw(room)]));
            lines.push(Line::from(vec![Span::styled("  Reference: ", theme::muted()), Span::raw(reference)]));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(format!("Findings the room saw ({}):", d.room.findings.len())).style(theme::label()));
        lines.extend(d.room.findings.iter().map(|f| Line::from(format!("  • {f}"))));
        if !d.findings_missed.is_empty() {
            lines.push(Line::from("Raised by the reference decision but not by the room's:").style(theme::label()));
            lines.extend(d.findings_missed.iter().map(|f| Line::from(format!("  • {f}"))));
        }
        lines.push(Line::from(format!("Tasks created: {}", d.room.tasks.join(", "))));
        lines.push(Line::from(format!(
            "Tasks missed: {}",
            if d.tasks_missed.is_empty() { "none".to_string() } else { d.tasks_missed.join(", ") }
        )));
        lines.push(Line::from(""));
        lines.push(Line::from("Teaching points:").style(theme::label()));
        lines.extend(d.teaching_points.iter().map(|t| Line::from(format!("  • {t}"))));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.recorded_scroll, 0))
            .block(boxed(&format!("Debrief — {} (↑↓ scroll)", d.title)))
            .render(area, buf);
    }

    fn step_bar(&self, w: &Walk, area: Rect, buf: &mut Buffer) {
        use crate::walk::StepStatus;
        let wide = area.width >= 130;
        // One reading of the findings for every step: the same list the review and record read.
        let findings = w.findings(self.cx());
        let mut spans = vec![Span::raw(" ")];
        for step in Step::ALL {
            let status = crate::walk::status_of(&findings, step, w.visited.contains(&step));
            let (mark, style) = match status {
                StepStatus::NotVisited => (" ", Style::new()),
                StepStatus::Blocked => (s::MARK_MISSING, theme::blocking()),
                StepStatus::Incomplete => (s::MARK_INCOMPLETE, theme::warning()),
                StepStatus::Complete => (s::MARK_DONE, theme::ok()),
            };
            let name = if wide { s::step_title(step) } else { s::step_short(step) };
            let here = step == w.step;
            let style = if here { theme::focus() } else { style };
            let arrow = if here { s::MARK_HERE } else { "" };
            spans.push(Span::styled(format!("{arrow}{}{mark}{name}", step.index() + 1), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans).render(area, buf);
    }

    fn fields(&self, w: &Walk, area: Rect, buf: &mut Buffer) {
        let block = Block::new().borders(Borders::TOP).title(" Fields ");
        let inner = block.inner(area);
        block.render(area, buf);
        let fields = w.fields(&self.panel);
        let label_w = (inner.width as usize / 2).clamp(16, 34);
        let mut lines: Vec<(Line, bool)> = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let focused = i == w.focus;
            let value = w.value(&f.key);
            let private = matches!(f.key, crate::walk::Key::ChildName | crate::walk::Key::DateOfBirth);
            let mut shown = if private && self.privacy {
                "(hidden: privacy mode)".to_string()
            } else {
                self.shown(&w.case, value.display(&f.kind))
            };
            if shown.is_empty() && matches!(value, Value::Text(_) | Value::Choice(None) | Value::Date(None)) {
                shown = if f.hint.is_empty() { "—".into() } else { format!("— {}", f.hint) };
            }
            let mark = if focused { "▶ " } else { "  " };
            let style = if focused { theme::focus() } else { Style::new() };
            let value_w = (inner.width as usize).saturating_sub(label_w + 3).max(10);
            if focused {
                // The focused field is read in full: its text wraps under the value column.
                let wrapped = wrap(&shown, value_w);
                for (j, part) in wrapped.iter().enumerate() {
                    let label = if j == 0 { trunc(&f.label, label_w) } else { String::new() };
                    let m = if j == 0 { mark } else { "  " };
                    lines.push((Line::from(format!("{m}{label:<label_w$} {part}")).style(style), true));
                }
            } else {
                let extra = shown.lines().count().saturating_sub(1);
                shown = shown.lines().next().unwrap_or_default().to_string();
                if extra > 0 {
                    shown.push_str(&format!(" (+{extra} lines)"));
                }
                let text = format!("{mark}{:<label_w$} {shown}", trunc(&f.label, label_w));
                lines.push((Line::from(trunc(&text, inner.width as usize)).style(style), false));
            }
            if let Some(err) = w.errors.get(&f.key) {
                lines.push((Line::from(format!("    ✗ {err}")).style(theme::blocking()), focused));
            }
        }
        let visible = inner.height as usize;
        // Keep the whole focused field (all its wrapped lines) in view, with a line of context.
        let first = lines.iter().position(|(_, f)| *f).unwrap_or(0);
        let last = lines.iter().rposition(|(_, f)| *f).unwrap_or(first);
        let start = if last + 2 > visible { (last + 2 - visible).min(first) } else { 0 };
        for (row, (line, _)) in lines.into_iter().skip(start).take(visible).enumerate() {
            line.render(Rect { y: inner.y + row as u16, height: 1, ..inner }, buf);
        }
    }

    fn context(&self, w: &Walk, area: Rect, buf: &mut Buffer) {
        let mut lines: Vec<Line> = Vec::new();
        if let Some(t) = self.trainer.as_ref().filter(|t| t.notes_visible)
            && let Some(sc) = &t.current
        {
            let note = sc.notes.get(w.step.id()).map_or("No notes for this step.", String::as_str);
            lines.push(Line::from("TRAINER NOTES — hidden from the room (t hides them)").style(theme::focus()));
            lines.push(Line::from(note.to_string()));
            let left =
                sc.releases.iter().enumerate().filter(|(i, r)| *i >= t.released && r.step == w.step.id()).count();
            if left > 0 {
                lines.push(Line::from(format!("{left} release(s) waiting on this step: press r")));
            }
            lines.push(Line::from(""));
        }
        if let Some(t) = &self.trainer {
            for (_, title, text) in t.notices.iter().filter(|(s, _, _)| *s == w.step) {
                lines.push(Line::from(format!("NEW INFORMATION — {title}")).style(theme::warning()));
                lines.push(Line::from(text.clone()));
                lines.push(Line::from(""));
            }
        }
        match w.step {
            Step::Gravity => lines.extend(self.gravity_lines(w)),
            Step::Outcome => lines.extend(self.outcome_lines(w, area.width as usize)),
            Step::Decision => {
                let present: Vec<String> = self
                    .session
                    .members
                    .iter()
                    .map(|m| {
                        format!(
                            "{} ({})",
                            m.name,
                            self.panel.agency(&m.agency).map_or(m.agency.as_str(), |a| a.name.as_str())
                        )
                    })
                    .collect();
                lines.push(Line::from(format!(
                    "Present: {}",
                    if present.is_empty() { "— (press Esc, then s)".into() } else { present.join(", ") }
                )));
                if w.case.decision.disagreement() {
                    lines.push(Line::from("Police and YJS disagree: the final outcome is the police view (NPCC 2025); the disagreement is recorded.").style(theme::warning()));
                }
                // This step's findings, and anything elsewhere that blocks the decision.
                for f in w
                    .findings(self.cx())
                    .into_iter()
                    .filter(|f| f.step == Step::Decision || f.severity == Severity::Blocking)
                {
                    lines.push(finding_line(f.severity, &f.reason));
                }
            }
            Step::Facts => {
                if let Some(age) = w.case.referral.age_at_offence() {
                    lines.push(Line::from(format!("Age at offence: {age}")));
                }
            }
            _ => {}
        }
        let findings = w.findings(self.cx());
        let here: Vec<_> = crate::walk::step_findings(&findings, w.step).collect();
        if !here.is_empty() && !matches!(w.step, Step::Outcome | Step::Decision) {
            lines.push(Line::from("Still missing or to look at on this step:").style(theme::label()));
            for f in here {
                lines.push(finding_line(f.severity, &f.reason));
            }
        } else if matches!(w.step, Step::Facts | Step::Research | Step::Victim | Step::Needs) {
            lines.push(Line::from(format!("{} This step is complete.", s::MARK_DONE)).style(theme::ok()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::TOP).title(" Guidance "))
            .render(area, buf);
    }

    fn gravity_lines(&self, w: &Walk) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let g = &self.panel.gravity;
        match gravity::score(g, &w.case.gravity) {
            Err(e) => lines.push(Line::from(e.to_string()).style(theme::blocking())),
            Ok(sc) => {
                lines.push(Line::from(format!("Base score ({}): {}", sc.offence, sc.base)));
                for st in &sc.steps {
                    lines.push(Line::from(format!("  {:+} {} → {}", st.effect, st.label, st.running)));
                }
                let clamp = if sc.clamped {
                    format!(" (held within the scale {}–{})", g.scale_min, g.scale_max)
                } else {
                    String::new()
                };
                lines.push(Line::from(format!("Final score: {}{clamp}", sc.final_score)).style(theme::title()));
                if let Some(ind) = &sc.indication {
                    lines.push(Line::from(format!("Matrix indicates: {} ({})", ind.meaning, ind.outcomes.join(", "))));
                }
                let moved = format!(
                    "Moved {:+} from the base (allowed without an inspector: {})",
                    sc.movement, g.max_move_without_inspector
                );
                lines.push(Line::from(moved));
                if sc.needs_inspector {
                    lines.push(
                        Line::from("! This move needs an inspector's authority: name and rank below.")
                            .style(theme::warning()),
                    );
                }
                if let Some(note) = self.panel.offence(&sc.offence).and_then(|o| o.note.clone()) {
                    lines.push(Line::from(format!("Note: {note}")));
                }
            }
        }
        if g.illustrative {
            lines.push(Line::from(format!("{ILLUSTRATIVE_LABEL} ({})", g.version)).style(theme::muted()));
        }
        lines
    }

    fn outcome_lines(&self, w: &Walk, width: usize) -> Vec<Line<'static>> {
        let score = gravity::score(&self.panel.gravity, &w.case.gravity).ok();
        let indicated = score.as_ref().and_then(|s| s.indicated_outcome().map(str::to_string));
        let mut lines = vec![Line::from("Every outcome, checked against guidance:").style(theme::label())];
        for o in &self.panel.outcomes {
            let found = crate::domain::checks::outcome_findings(&w.case, o, score.as_ref(), &self.panel);
            let worst = found.iter().map(|f| f.severity).max();
            let (mark, style) = match worst {
                Some(Severity::Blocking) => ("[BLOCKED]", theme::blocking()),
                Some(Severity::Warning) => ("[WARNING]", theme::warning()),
                None => ("[OK]     ", theme::ok()),
            };
            let proposed = w.case.decision.proposed.as_deref().or(w.case.decision.outcome.as_deref());
            let is_chosen = proposed == Some(o.code.as_str());
            let ind = if indicated.as_deref() == Some(&o.code) { " ◆ indicated by the matrix" } else { "" };
            let head = vec![
                Span::raw(if is_chosen { "▶" } else { " " }),
                Span::styled(mark, style),
                Span::raw(format!(" {}{ind}", o.label)),
            ];
            if is_chosen {
                // The proposal in full, with the guidance behind each finding.
                lines.push(Line::from(head));
                for f in found {
                    lines.push(Line::from(format!("    {} — {}", f.reason, f.guidance)).style(theme::muted()));
                }
            } else {
                // Every other outcome on one line, so all of them fit beside the proposal.
                let used: usize = head.iter().map(|s| s.content.chars().count()).sum();
                let mut spans = head;
                if !found.is_empty() {
                    let why: Vec<String> = found.iter().map(|f| f.reason.clone()).collect();
                    let room = width.saturating_sub(used + 3);
                    spans.push(Span::styled(format!(" — {}", trunc(&why.join("; "), room)), theme::muted()));
                }
                lines.push(Line::from(spans));
            }
        }
        lines
    }

    /// The whole case in labelled, wrapped lines under section headings.
    pub(crate) fn case_lines(&self, rows: &[super::case_view::Row]) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let mut section = "";
        for r in rows {
            if r.section != section {
                section = r.section;
                lines.push(Line::from(r.section).style(theme::label()));
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {}: ", r.label), theme::muted()),
                Span::raw(r.value.clone()),
            ]));
        }
        lines
    }

    fn task_lines(&self, tasks: impl Iterator<Item = (chrono::NaiveDate, String)>) -> Vec<Line<'static>> {
        tasks.map(|(due, d)| Line::from(format!("  • due {}: {d}", due.format("%a %-d %b %Y")))).collect()
    }

    /// Steps 8 and 9: everything that will be recorded, the findings and the tasks. On step 9
    /// the record action (or why it is refused) and any failure come first, so they are on
    /// screen at 80×24 whatever the length of the case.
    fn review(&self, w: &Walk, area: Rect, buf: &mut Buffer) {
        let c = &w.case;
        let mut lines = Vec::new();
        if let Some(rec) = &w.recorded {
            lines.push(
                Line::from(format!(
                    "{} RECORDED as record {} — it cannot be changed; a correction would be a new record.",
                    s::MARK_DONE,
                    rec.seq
                ))
                .style(theme::ok()),
            );
            lines.push(Line::from(format!("Hash: {}", rec.hash)));
            lines.push(Line::from("Tasks created:").style(theme::label()));
            lines.extend(self.task_lines(rec.snapshot.tasks.iter().map(|t| (t.due, t.description.clone()))));
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::new().borders(Borders::TOP))
                .render(area, buf);
            return;
        }
        let findings = w.findings(self.cx());
        let blocking: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Blocking).collect();
        if w.step == Step::Record {
            if blocking.is_empty() {
                lines.push(
                    Line::from("Press Enter to record this joint decision. Once recorded it cannot be edited.")
                        .style(theme::title()),
                );
            } else {
                lines.push(
                    Line::from(format!("✗ Cannot be recorded yet: {} blocking finding(s).", blocking.len()))
                        .style(theme::blocking()),
                );
            }
            if let Some(msg) = &w.failure {
                lines.push(Line::from(msg.clone()).style(theme::blocking()));
            }
            if let Some(seq) = w.correction_of {
                lines.push(
                    Line::from(format!(
                        "Correcting record {seq} because: {}",
                        self.shown(c, w.correction_reason.clone())
                    ))
                    .style(theme::warning()),
                );
            }
        }
        lines.push(Line::from(format!("Findings ({}):", findings.len())).style(theme::label()));
        for f in &findings {
            let step = format!("step {}", f.step.index() + 1);
            lines.push(finding_line(f.severity, &format!("{} — {} ({step})", f.reason, f.guidance)));
        }
        if findings.is_empty() {
            lines.push(Line::from(format!("  {} nothing conflicts with guidance", s::MARK_DONE)).style(theme::ok()));
        }
        lines.push(Line::from("Tasks this decision will create:").style(theme::label()));
        lines.extend(self.task_lines(w.tasks(&self.panel).into_iter().map(|t| (t.due, t.description))));
        lines.push(Line::from(""));
        let rows = super::case_view::rows(c, &self.panel, &self.session.members, &self.session.chair, self.privacy);
        lines.extend(self.case_lines(&rows));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.review_scroll, 0))
            .block(Block::new().borders(Borders::TOP).title(" ↑↓ scroll "))
            .render(area, buf);
    }

    fn overlay(&self, o: &Overlay, area: Rect, buf: &mut Buffer) {
        match o {
            Overlay::Notice { title, text } => {
                let r = centre(area, area.width.saturating_sub(8).min(100), 14);
                Clear.render(r, buf);
                let heading = format!("NEW INFORMATION — {title}");
                let block = boxed(&heading).border_style(theme::warning());
                let inner = block.inner(r);
                block.render(r, buf);
                let [body, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
                Paragraph::new(text.clone()).wrap(Wrap { trim: false }).render(body, buf);
                Line::from("Enter closes; it stays marked on this step.").style(theme::muted()).render(note, buf);
            }
            Overlay::Read { label, text } => {
                let r = centre(area, area.width.saturating_sub(8).min(100), 14);
                Clear.render(r, buf);
                let block = boxed(label);
                let inner = block.inner(r);
                block.render(r, buf);
                let [body, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
                Paragraph::new(text.clone()).wrap(Wrap { trim: false }).render(body, buf);
                Line::from(s::PRIVACY_READ_ONLY).style(theme::warning()).render(note, buf);
            }
            Overlay::Help => {
                let screen = match self.screen {
                    Screen::Walk => "walk",
                    Screen::Queue => "queue",
                    Screen::Recorded => "recorded",
                    Screen::Session => "session",
                    Screen::Start => "start",
                    Screen::Picker | Screen::Debrief => "training",
                    Screen::ScrutinyQueue | Screen::ScrutinyCase | Screen::Report => "scrutiny",
                };
                let mut text = s::help(screen);
                if self.trainer.is_some() && screen == "walk" {
                    text.extend([""].into_iter().chain(s::help("training").into_iter().skip(3).take(3)));
                }
                let lines: Vec<Line> = text.into_iter().map(Line::from).collect();
                let r = centre(area, area.width.saturating_sub(6), lines.len() as u16 + 2);
                Clear.render(r, buf);
                Paragraph::new(lines).wrap(Wrap { trim: false }).block(boxed("Help")).render(r, buf);
            }
            Overlay::Confirm(c) => {
                let text = match c {
                    Confirm::Resume => match &self.resume {
                        // The reference only, never the name: this can appear on a projector.
                        Some((_, reference, step, saved)) => {
                            format!("A panel walk was in progress: {reference}, at {step} (saved {saved}).\n\nResume it now? Enter resumes; Esc goes to the queue (the draft is kept).")
                        }
                        None => String::new(),
                    },
                    Confirm::Overwrite => format!(
                        "{} exists already.\n\nReplace it? Enter or y replaces · Esc or n keeps it",
                        self.pending_file.as_ref().map_or(String::new(), |(p, _)| p.display().to_string())
                    ),
                    Confirm::Quit => "Leave jdp?\n\nThis walk is saved as a draft; it is offered again when jdp opens.\n\nEnter or y leaves · Esc stays".into(),
                    Confirm::Record => "Record this joint decision now?\n\nOnce recorded it cannot be edited; a correction would be a new, linked record.\n\nEnter records · Esc goes back".into(),
                    Confirm::QuitWithTyping => "You have typing that is not yet kept.\n\ny keep it and quit · n discard it and quit · Esc back to typing".into(),
                };
                let r = centre(area, 70, 9);
                Clear.render(r, buf);
                Paragraph::new(text).wrap(Wrap { trim: false }).block(boxed("Please confirm")).render(r, buf);
            }
            Overlay::Pick(p) => {
                let h = (p.options.len() as u16 + 2).min(area.height);
                let r = centre(area, area.width.saturating_sub(8).min(90), h);
                Clear.render(r, buf);
                let block = boxed(&p.label);
                let inner = block.inner(r);
                block.render(r, buf);
                let visible = inner.height as usize;
                let start = p.cursor.saturating_sub(visible.saturating_sub(1));
                for (i, (id, label)) in p.options.iter().enumerate().skip(start).take(visible) {
                    let tick = if p.multi { if p.chosen.contains(id) { "[x] " } else { "[ ] " } } else { "" };
                    let mark = if i == p.cursor { "▶ " } else { "  " };
                    let style = if i == p.cursor { theme::focus() } else { Style::new() };
                    Line::from(trunc(&format!("{mark}{tick}{label}"), inner.width as usize))
                        .style(style)
                        .render(Rect { y: inner.y + (i - start) as u16, height: 1, ..inner }, buf);
                }
            }
            // With privacy on nothing typed is drawn as typed: the scrubbed text, read only.
            Overlay::Edit(e) if self.privacy => {
                let text = match (&e.target, &self.walk) {
                    (super::app::Target::Walk(crate::walk::Key::ChildName | crate::walk::Key::DateOfBirth), _) => {
                        "(hidden: privacy mode)".to_string()
                    }
                    (_, Some(w)) => crate::redact::for_projector(&e.area.lines().join("\n"), &w.case),
                    (_, None) => "(hidden: privacy mode)".to_string(),
                };
                self.overlay(&Overlay::Read { label: e.label.clone(), text }, area, buf);
            }
            Overlay::Edit(e) => {
                let h = if e.multiline { 14 } else { 6 };
                let r = centre(area, area.width.saturating_sub(8).min(100), h);
                Clear.render(r, buf);
                let block = boxed(&e.label);
                let inner = block.inner(r);
                block.render(r, buf);
                let [text, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
                (&e.area).render(text, buf);
                let error = match (&e.target, &self.walk) {
                    (super::app::Target::Walk(k), Some(w)) => w.errors.get(k).cloned(),
                    _ => None,
                };
                match error {
                    Some(err) => Line::from(format!("✗ {err}")).style(theme::blocking()).render(note, buf),
                    None => {
                        Line::from(if e.multiline { "Esc keeps the text and closes" } else { "Enter keeps the text" })
                            .style(theme::muted())
                            .render(note, buf)
                    }
                }
            }
        }
    }
}

fn finding_line(sev: Severity, text: &str) -> Line<'static> {
    let (mark, style) = match sev {
        Severity::Blocking => ("[BLOCKED]", theme::blocking()),
        Severity::Warning => ("[WARNING]", theme::warning()),
    };
    Line::from(vec![Span::styled(mark, style), Span::raw(format!(" {text}"))])
}

/// Greedy word wrap of each line of `text` to `width` characters; a word longer than the width
/// is broken. Always returns at least one (possibly empty) line.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let mut word = word.to_string();
            loop {
                let len = line.chars().count();
                let wl = word.chars().count();
                let sep = usize::from(len > 0);
                if len + sep + wl <= width {
                    if sep == 1 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if len > 0 {
                    out.push(std::mem::take(&mut line));
                    continue;
                }
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                out.push(head);
                if word.is_empty() {
                    break;
                }
            }
        }
        out.push(line);
    }
    out
}

pub(crate) fn trunc(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
