//! Text to read, not edit: a field's scrubbed text while privacy mode is on (the editor draws
//! itself this way), and late information a trainer releases (in a warning frame the room
//! cannot miss).

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::Overlay;
use crate::tui::app::App;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::{boxed, centre};

impl App {
    pub(super) fn on_notice_key(&mut self, title: String, text: String, key: KeyEvent) -> Option<Overlay> {
        match key.code {
            KeyCode::Esc | KeyCode::Enter => None,
            _ => Some(Overlay::Notice { title, text }),
        }
    }

    pub(super) fn draw_reading(&self, label: &str, text: &str, area: Rect, buf: &mut Buffer) {
        let r = centre(area, area.width.saturating_sub(8).min(100), 14);
        Clear.render(r, buf);
        let block = boxed(label);
        let inner = block.inner(r);
        block.render(r, buf);
        let [body, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        Paragraph::new(text.to_string()).wrap(Wrap { trim: false }).render(body, buf);
        Line::from(s::PRIVACY_READ_ONLY).style(theme::warning()).render(note, buf);
    }

    pub(super) fn draw_notice(&self, title: &str, text: &str, area: Rect, buf: &mut Buffer) {
        let r = centre(area, area.width.saturating_sub(8).min(100), 14);
        Clear.render(r, buf);
        let heading = format!("NEW INFORMATION — {title}");
        let block = boxed(&heading).border_style(theme::warning());
        let inner = block.inner(r);
        block.render(r, buf);
        let [body, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        let text = match self.walk() {
            Some(w) => self.shown(&w.case, text.to_string()),
            None => text.to_string(),
        };
        Paragraph::new(text).wrap(Wrap { trim: false }).render(body, buf);
        Line::from("Enter closes; it stays marked on this step.").style(theme::muted()).render(note, buf);
    }
}
