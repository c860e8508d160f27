//! A recorded decision and its corrections, newest first, the whole record of each.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::domain::checks::Severity;
use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::theme;
use crate::tui::view::{boxed, finding_line, who};

impl App {
    pub(crate) fn on_recorded_key(&mut self, action: Action) {
        match action {
            Action::Down | Action::Up | Action::PageDown | Action::PageUp => {
                if let Screen::Recorded(r) = &mut self.screen {
                    super::scroll(&mut r.scroll, r.max_scroll.get(), action, 10);
                }
            }
            Action::Back => {
                let referral = match &self.screen {
                    Screen::Recorded(r) => Some(r.referral),
                    _ => None,
                };
                self.back_to_queue(referral);
            }
            Action::Letter => {
                let options = crate::domain::letters::Recipient::ALL
                    .iter()
                    .map(|r| (r.id().to_string(), r.label().to_string()))
                    .collect();
                self.overlay = Some(crate::tui::app::picker(
                    Target::LetterTo,
                    "A letter about the current decision, to".into(),
                    options,
                    &crate::walk::Value::Choice(None),
                    false,
                    false,
                ));
            }
            Action::Correct => {
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::CorrectionReason,
                    label: "Why is this decision being corrected?".into(),
                    area: text_area(""),
                    multiline: true,
                    changed: false,
                    last_save: Instant::now(),
                }))
            }
            _ => {}
        }
    }

    pub(crate) fn recorded(&self, area: Rect, buf: &mut Buffer) {
        let Screen::Recorded(screen) = &self.screen else { return };
        let Some(first) = screen.records.first() else { return };
        let title = format!("Recorded decision — {}", who(&first.snapshot.case, self.privacy));
        let mut lines = Vec::new();
        // Newest first: the current decision is what a reader wants first.
        for r in screen.records.iter().rev() {
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
            let rows = crate::tui::case_view::rows(
                &snap.case,
                &self.panel,
                &snap.case.decision.present,
                &snap.chair,
                self.show(),
            );
            let show = self.shower(&snap.case);
            if let (Some(of), Some(why)) = (r.supersedes, &r.correction_reason) {
                lines.push(
                    Line::from(format!("  Corrects record {of} because: {}", show(why.clone())))
                        .style(theme::warning()),
                );
                if let Some(orig) = screen.records.iter().find(|o| o.seq == of) {
                    let before = crate::tui::case_view::rows(
                        &orig.snapshot.case,
                        &self.panel,
                        &orig.snapshot.case.decision.present,
                        &orig.snapshot.chair,
                        self.show(),
                    );
                    lines.push(Line::from("  What changed:").style(theme::label()));
                    // A name either record knows stays hidden in both (privacy mode).
                    let show_orig = self.shower(&orig.snapshot.case);
                    let both = |t: String| show(show_orig(t));
                    for (label, was, now) in crate::tui::case_view::changes(&before, &rows) {
                        let line = format!("    {label}: {}  →  {}", both(was), both(now));
                        lines.push(Line::from(line).style(theme::warning()));
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
                lines.push(finding_line(sev, &show(f.reason.clone())));
            }
            lines.push(Line::from("Tasks").style(theme::label()));
            lines.extend(self.task_lines(&snap.case, snap.tasks.iter().map(|t| (t.due, t.description.clone()))));
            lines.push(Line::from(format!("  hash {}", r.hash)).style(theme::muted()));
            lines.push(Line::from(""));
        }
        super::render_scrolled(lines, boxed(&title), screen.scroll, &screen.max_scroll, area, buf);
    }
}
