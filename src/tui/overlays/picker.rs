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
        let width = area.width.saturating_sub(8).min(90);
        let row = |i: usize| {
            let (id, label) = &p.options[i];
            let tick = if p.multi { if p.chosen.contains(id) { "[x] " } else { "[ ] " } } else { "" };
            let mark = if i == p.cursor { "▶ " } else { "  " };
            format!("{mark}{tick}{label}")
        };
        // The item the cursor is on is read in full: wrapped over the lines it needs.
        let focused = if p.options.is_empty() {
            vec![String::new()]
        } else {
            crate::tui::view::wrap(&row(p.cursor), usize::from(width.saturating_sub(2)).max(10))
        };
        let extra = focused.len().saturating_sub(1) as u16;
        let h = (p.options.len() as u16 + 2 + extra).min(area.height);
        let r = centre(area, width, h);
        Clear.render(r, buf);
        let block = boxed(&p.label);
        let inner = block.inner(r);
        block.render(r, buf);
        let visible = (inner.height as usize).saturating_sub(extra as usize).max(1);
        let start = p.cursor.saturating_sub(visible.saturating_sub(1));
        let mut y = inner.y;
        for i in (start..p.options.len()).take(visible) {
            let style = if i == p.cursor { theme::focus() } else { Style::new() };
            let lines = if i == p.cursor { focused.clone() } else { vec![trunc(&row(i), inner.width as usize)] };
            for text in lines {
                if y >= inner.y + inner.height {
                    break;
                }
                Line::from(text).style(style).render(Rect { y, height: 1, ..inner }, buf);
                y += 1;
            }
        }
    }
}
