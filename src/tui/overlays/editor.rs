//! The text editor (ratatui-textarea): it takes every printable key, so no shortcut fires while
//! a form expects text. With privacy on it shows the scrubbed text, read only.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};
use ratatui_textarea::TextArea;

use super::{Confirm, Overlay, Target};
use crate::tui::app::App;
use crate::tui::runner::Command;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::{boxed, centre};
use crate::walk::{Msg, Value};

pub struct Editor {
    pub target: Target,
    pub label: String,
    pub area: TextArea<'static>,
    pub multiline: bool,
    pub changed: bool,
    pub last_save: Instant,
}

impl App {
    pub(crate) fn on_edit_key(&mut self, mut e: Editor, key: KeyEvent) -> Option<Overlay> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        // With privacy on an editor is drawn read only, so it takes no typing: p switches privacy
        // off (the text then shows as typed), Esc closes it as it was.
        if self.privacy && !ctrl {
            match key.code {
                KeyCode::Char('p') => {
                    self.privacy = false;
                    self.cmd(Command::SavePrivacy);
                    self.status = Some("Privacy mode is off: names show again.".into());
                }
                KeyCode::Esc if !e.changed => return None,
                KeyCode::Esc => {}
                _ => self.status = Some(s::PRIVACY_READ_ONLY.into()),
            }
            if key.code != KeyCode::Esc {
                return Some(Overlay::Edit(e));
            }
        }
        let done = match key.code {
            KeyCode::Esc => true,
            KeyCode::Tab => true,
            KeyCode::Enter if !e.multiline => true,
            KeyCode::Char('s') if ctrl => true,
            KeyCode::Char('c') | KeyCode::Char('q') if ctrl => {
                if e.changed {
                    return Some(Overlay::Confirm(Confirm::QuitWithTyping(Box::new(e))));
                }
                self.quit = true;
                return None;
            }
            _ => {
                if e.area.input(key) {
                    e.changed = true;
                }
                false
            }
        };
        if !done {
            return Some(Overlay::Edit(e));
        }
        let text = e.area.lines().join("\n");
        self.commit(e.target.clone(), Value::Text(text));
        if matches!(key.code, KeyCode::Tab | KeyCode::Enter) {
            self.advance(&e.target);
        }
        // A rejected value stays open for correction, with the reason shown beside it; Esc
        // gives up on it and the field keeps what it had.
        if let Target::Walk(k) = &e.target
            && let Some(err) = self.walk().and_then(|w| w.errors.get(k).cloned())
        {
            if key.code == KeyCode::Esc {
                self.send(Msg::Discard(k.clone()));
                self.status = Some(format!("Not kept ({err}): the field has its earlier value."));
                return None;
            }
            return Some(Overlay::Edit(e));
        }
        None
    }

    pub(super) fn draw_editor(&self, e: &Editor, area: Rect, buf: &mut Buffer) {
        if self.privacy {
            // With privacy on nothing typed is drawn as typed: the scrubbed text, read only.
            let text = match (&e.target, self.walk()) {
                (
                    Target::Walk(
                        crate::walk::Key::ChildName | crate::walk::Key::KnownAs | crate::walk::Key::DateOfBirth,
                    ),
                    _,
                ) => "(hidden: privacy mode)".to_string(),
                (_, Some(w)) => crate::redact::for_projector(&e.area.lines().join("\n"), &w.case),
                (_, None) => "(hidden: privacy mode)".to_string(),
            };
            self.draw_reading(&e.label, &text, area, buf);
            return;
        }
        let h = if e.multiline { 14 } else { 6 };
        let r = centre(area, area.width.saturating_sub(8).min(100), h);
        Clear.render(r, buf);
        let block = boxed(&e.label);
        let inner = block.inner(r);
        block.render(r, buf);
        let [text, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        (&e.area).render(text, buf);
        let error = match (&e.target, self.walk()) {
            (Target::Walk(k), Some(w)) => w.errors.get(k).cloned(),
            _ => None,
        };
        match error {
            Some(err) => Line::from(format!("✗ {err}")).style(theme::blocking()).render(note, buf),
            None => Line::from(if e.multiline { "Esc keeps the text and closes" } else { "Enter keeps the text" })
                .style(theme::muted())
                .render(note, buf),
        }
    }
}
