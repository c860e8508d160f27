//! Training: the scenario picker.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::tui::app::*;
use crate::tui::keys::Action;
use crate::tui::runner::Command;
use crate::tui::theme;
use crate::tui::view::{boxed, trunc};

impl App {
    pub(crate) fn on_picker_key(&mut self, action: Action) {
        let Some(t) = self.trainer.as_mut() else { return };
        let n = t.scenarios.len();
        match action {
            Action::Up => t.cursor = t.cursor.saturating_sub(1),
            Action::Down => t.cursor = (t.cursor + 1).min(n.saturating_sub(1)),
            Action::Open => {
                if let Some((_, s)) = t.scenarios.get(t.cursor).cloned() {
                    self.cmd(Command::StartScenario(Box::new(s)));
                }
            }
            // The scenario list is where a mock panel starts: leaving it leaves training.
            Action::Back => self.quit = true,
            _ => {}
        }
    }

    pub(crate) fn picker(&self, area: Rect, buf: &mut Buffer) {
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
}
