//! `?`: what the screen is for, in words, then every key, generated from the key map itself so
//! the help cannot drift from what the keys do.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

use super::Overlay;
use crate::tui::app::{App, Screen};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::{boxed, centre};

impl App {
    pub(super) fn on_help_key(&mut self, key: KeyEvent) -> Option<Overlay> {
        match key.code {
            KeyCode::Char('?') | KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => None,
            _ => Some(Overlay::Help),
        }
    }

    pub(super) fn draw_help(&self, area: Rect, buf: &mut Buffer) {
        let screen = match self.screen {
            Screen::Walk(_) => "walk",
            Screen::Queue(_) => "queue",
            Screen::Recorded(_) => "recorded",
            Screen::Session(_) => "session",
            Screen::Start => "start",
            Screen::Picker | Screen::Debrief(_) => "training",
            Screen::Scrutiny(_) => "scrutiny",
            Screen::Tasks(_) => "tasks",
        };
        // What the screen is for, in words; then every key, from the key map itself.
        let mut lines: Vec<Line> = s::help(screen).into_iter().map(Line::from).collect();
        lines.push(Line::from(""));
        lines.push(Line::from("Keys").style(theme::label()));
        // Keys in two columns, so the whole list fits at 80×24.
        let keys = crate::tui::keys::help_lines(self.key_context());
        let half = keys.len().div_ceil(2);
        let col = usize::from(area.width.saturating_sub(8) / 2);
        for i in 0..half {
            let right = keys.get(i + half).cloned().unwrap_or_default();
            lines.push(Line::from(format!("{:<col$}{right}", keys[i])));
        }
        let width = area.width.saturating_sub(6);
        let text = crate::tui::view::wrapped(lines);
        let r = centre(area, width, crate::tui::view::rows_of(&text, width.saturating_sub(2)) + 2);
        Clear.render(r, buf);
        text.block(boxed("Help")).render(r, buf);
    }
}
