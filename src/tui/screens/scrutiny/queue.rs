//! The review queue of a sample: each case's facts, sorted and filtered.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::*;
use crate::tui::app::{Editor, Overlay, Target};
use crate::tui::keys::Action;
use crate::tui::theme;
use crate::tui::view::trunc;

impl App {
    pub fn on_scrutiny_queue_key(&mut self, action: Action) {
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        let shown = s.shown().len();
        match action {
            Action::Up => s.cursor = s.cursor.saturating_sub(1),
            Action::Down => s.cursor = (s.cursor + 1).min(shown.saturating_sub(1)),
            Action::Open => {
                let Some(id) = s.shown().get(s.cursor).map(|r| r.id) else { return };
                self.cmd(Command::OpenReview(id));
            }
            Action::Sort | Action::Filter if s.rows.len() > SUMMARISED_UP_TO => {
                self.status = Some(format!(
                    "This sample lists {} cases, more than a panel can review: it cannot be sorted or filtered. \
                     Draw a sample of a reviewable size.",
                    s.rows.len()
                ));
            }
            Action::Sort => {
                // The selected case stays selected in the new order.
                let at = s.shown().get(s.cursor).map(|r| r.id);
                s.sort = s.sort.next();
                s.cursor = at.and_then(|id| s.shown().iter().position(|r| r.id == id)).unwrap_or(0);
            }
            Action::Filter => {
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::ScrutinyFilter,
                    label: "Show only cases with (offence, outcome, score, age band, month or rule; empty for all)"
                        .into(),
                    area: crate::tui::app::text_area(&s.filter),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
            Action::Report => self.cmd(Command::BuildReport),
            _ => {}
        }
    }

    pub fn render_scrutiny_queue(&self, area: Rect, buf: &mut Buffer) {
        let Some(s) = self.scrutiny_state() else { return };
        let title = format!(
            "Scrutiny — sample record {} ({} to {}, seed \"{}\")",
            s.sample_seq, s.sample.from, s.sample.to, s.sample.seed
        );
        let block = Block::new().borders(Borders::ALL).title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let done = s.rows.iter().filter(|r| r.reviewed.is_some()).count();
        let shown = s.shown();
        let filtered = if s.filter.trim().is_empty() {
            String::new()
        } else {
            format!(" · showing {} matching \"{}\"", shown.len(), s.filter.trim())
        };
        let mut lines = vec![
            Line::from(format!(
                "{} ({} always included, {} random) · {done} reviewed · sorted: {}{filtered}",
                crate::words::counted(s.rows.len() as u64, "case", "cases"),
                s.sample.always.len(),
                s.sample.chosen.len(),
                s.sort.label()
            ))
            .style(theme::label()),
        ];
        if !s.sample.panels.is_empty() {
            // A part of a force-wide draw: its figures are the force's, its cases this panel's.
            let names: Vec<String> =
                s.sample.panels.iter().map(|p| crate::domain::text::escape_for_terminal(p).into_owned()).collect();
            lines.push(
                Line::from(format!(
                    "This panel's part of a force-wide sample across {} panels ({}).",
                    names.len(),
                    names.join(", ")
                ))
                .style(theme::label()),
            );
        }
        lines.push(
            Line::from("Anonymised: what the panel knew at the time. Every view is logged.").style(theme::muted()),
        );
        // At 80 columns the review status shrinks to a mark, so why a case is here still shows.
        let wide = inner.width >= 110;
        lines.push(
            Line::from(if wide {
                format!(
                    "  {:<9} {:<26} {:<7} {:>5} {:<6} {:<9} {:<22} {}",
                    "Record", "Offence", "Outcome", "Score", "Age", "Month", "Reviewed", "Why included"
                )
            } else {
                format!(
                    "  {:<7} {:<16} {:<5} {:>2} {:<6} {:<9} {} {}",
                    "Record", "Offence", "Out.", "Sc", "Age", "Month", "✓", "Why included"
                )
            })
            .style(theme::label()),
        );
        let visible = inner.height.saturating_sub(lines.len() as u16) as usize;
        let start = s.cursor.saturating_sub(visible.saturating_sub(1));
        for (i, row) in shown.iter().enumerate().skip(start).take(visible) {
            let mark = if i == s.cursor { "▶ " } else { "  " };
            let status = row.reviewed.as_ref().map_or("not reviewed".to_string(), |r| format!("✓ {r}"));
            let corrects = if row.summary.as_ref().is_some_and(|s| s.corrects) { " (a correction)" } else { "" };
            let text = if wide {
                format!(
                    "{mark}{:<9} {:<26} {:<7} {:>5} {:<6} {:<9} {:<22} {}{corrects}",
                    row.id,
                    trunc(row.offence(), 26),
                    trunc(row.outcome(), 7),
                    row.score(),
                    row.age_band(),
                    row.month(),
                    trunc(&status, 22),
                    row.why
                )
            } else {
                format!(
                    "{mark}{:<7} {:<16} {:<5} {:>2} {:<6} {:<9} {} {}{corrects}",
                    row.id,
                    trunc(row.offence(), 16),
                    trunc(row.outcome(), 5),
                    row.score(),
                    row.age_band(),
                    row.month(),
                    if row.reviewed.is_some() { "✓" } else { "·" },
                    row.why
                )
            };
            lines.push(Line::from(trunc(&text, inner.width as usize)).style(if i == s.cursor {
                theme::focus()
            } else {
                Style::new()
            }));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
