//! A list to choose one item from, or to tick several: it scrolls and keeps the cursor in view.

use std::collections::BTreeSet;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

use super::{Overlay, Target};
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::view::{boxed, centre, trunc};
use crate::walk::Value;

pub struct Picker {
    pub target: Target,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub cursor: usize,
    pub multi: bool,
    pub chosen: BTreeSet<String>,
    pub optional: bool,
}

impl App {
    pub(crate) fn on_pick_key(&mut self, mut p: Picker, key: KeyEvent) -> Option<Overlay> {
        let n = p.options.len();
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Up => p.cursor = p.cursor.saturating_sub(1),
            KeyCode::Down => p.cursor = (p.cursor + 1).min(n.saturating_sub(1)),
            KeyCode::Home => p.cursor = 0,
            KeyCode::End => p.cursor = n.saturating_sub(1),
            KeyCode::Char(' ') if p.multi => {
                if let Some((id, _)) = p.options.get(p.cursor)
                    && !p.chosen.remove(id)
                {
                    p.chosen.insert(id.clone());
                }
            }
            KeyCode::Enter => {
                let value = if p.multi {
                    // Keep the panel definition's order, not the order ticked.
                    Value::Multi(
                        p.options.iter().filter(|(id, _)| p.chosen.contains(id)).map(|(id, _)| id.clone()).collect(),
                    )
                } else {
                    Value::Choice(p.options.get(p.cursor).map(|(id, _)| id.clone()))
                };
                self.commit(p.target.clone(), value);
                self.advance(&p.target);
                return None;
            }
            KeyCode::Delete | KeyCode::Backspace if p.optional && !p.multi => {
                self.commit(p.target.clone(), Value::Choice(None));
                return None;
            }
            _ => {}
        }
        Some(Overlay::Pick(p))
    }

    pub(super) fn draw_picker(&self, p: &Picker, area: Rect, buf: &mut Buffer) {
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
}
