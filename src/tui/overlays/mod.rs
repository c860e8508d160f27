//! Overlays take keys before the screen (yazi's layered routing), one file each: the editor
//! (which takes every printable key, so no shortcut fires while a form expects text), the list
//! picker, the confirmation, the help, and the read-only panes. This file routes keys and drawing
//! to them, and says what a kept value does to the screen below.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

mod confirm;
mod editor;
mod help;
mod own_rating;
mod picker;
mod reading;

pub use confirm::Confirm;
pub use editor::Editor;
pub use own_rating::OwnRating;
pub use picker::Picker;

use crate::tui::app::{App, Screen, SessionKey};
use crate::tui::runner::Command;
use crate::walk::{Key, Msg, Value, Walk};

/// Where a value kept in an overlay goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Walk(Key),
    Session(SessionKey),
    ImportPath,
    CorrectionReason,
    DebriefPath,
    Review(super::scrutiny::ReviewKey),
    ScrutinyFilter,
    /// Who a letter is for.
    LetterTo,
    /// Where to write the letter to this recipient (`letters::Recipient::id`).
    LetterPath(String),
    /// Who did a task (its id on the board).
    TaskDoneBy(String),
    /// Why a task is not needed (its id on the board).
    TaskNotNeeded(String),
}

pub enum Overlay {
    /// Late information released by the trainer: the room cannot miss it.
    Notice {
        title: String,
        text: String,
    },
    Edit(Editor),
    Pick(Picker),
    Confirm(Confirm),
    Help,
    /// A member's own rating of the case under review (never drawn once chosen).
    OwnRating(OwnRating),
}

impl App {
    pub(crate) fn on_overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Option<Overlay> {
        // p (privacy) works over anything that is not taking typing: what is on show is redrawn
        // scrubbed at once.
        let typing = matches!(overlay, Overlay::Edit(_));
        if !typing && key.code == ratatui::crossterm::event::KeyCode::Char('p') && key.modifiers.is_empty() {
            self.privacy = !self.privacy;
            self.cmd(Command::SavePrivacy);
            return Some(overlay);
        }
        match overlay {
            Overlay::Notice { title, text } => self.on_notice_key(title, text, key),
            Overlay::Help => self.on_help_key(key),
            Overlay::Confirm(c) => self.on_confirm_key(c, key),
            Overlay::Pick(p) => self.on_pick_key(p, key),
            Overlay::Edit(e) => self.on_edit_key(e, key),
            Overlay::OwnRating(o) => self.on_own_rating_key(o, key),
        }
    }

    /// After a value is kept with Enter, the next field is where the chair wants to be.
    pub(crate) fn advance(&mut self, target: &Target) {
        match target {
            Target::Walk(k) => {
                let rejected = self.walk().is_some_and(|w| w.errors.contains_key(k));
                if !rejected {
                    self.send(Msg::FocusNext);
                }
            }
            Target::Session(_) => {
                let n = self.session_fields().len();
                if let Screen::Session(s) = &mut self.screen {
                    s.focus = (s.focus + 1).min(n.saturating_sub(1));
                }
            }
            Target::Review(_) => self.next_review_field(),
            _ => {}
        }
    }

    pub(crate) fn commit(&mut self, target: Target, value: Value) {
        match target {
            Target::Walk(key) => {
                // The walk returns a draft save for every change it accepts.
                match value {
                    Value::Text(t) => self.send(Msg::SetText(key, t)),
                    Value::Choice(c) => self.send(Msg::Choose(key, c)),
                    Value::Multi(items) => self.send(Msg::SetMulti(key, items)),
                    _ => {}
                }
            }
            Target::Session(k) => {
                let text = match &value {
                    Value::Text(t) => t.clone(),
                    Value::Choice(c) => c.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
                match k {
                    SessionKey::Chair => self.session.chair = text.trim().to_string(),
                    SessionKey::MemberName(i) => self.session.members[i].name = text.trim().to_string(),
                    SessionKey::MemberAgency(i) => {
                        self.session.members[i].agency = text;
                        self.session.members[i].role.clear();
                    }
                    SessionKey::MemberRole(i) => self.session.members[i].role = text,
                    SessionKey::Apologies => self.session.apologies = lines(),
                    SessionKey::Observers => self.session.observers = lines(),
                    SessionKey::AddMember => {}
                }
                self.cmd(Command::SaveSession);
            }
            Target::Review(k) => self.commit_review_field(k, value),
            Target::ScrutinyFilter => {
                if let (Value::Text(t), Screen::Scrutiny(s)) = (value, &mut self.screen) {
                    s.filter = t.trim().to_string();
                    s.cursor = 0;
                }
            }
            Target::DebriefPath => {
                let Value::Text(path) = value else { return };
                let Screen::Debrief(d) = &self.screen else { return };
                let d = &d.debrief;
                let md = d.markdown(&self.panel);
                self.cmd(Command::SaveDebrief {
                    path: std::path::PathBuf::from(path.trim()),
                    markdown: md,
                    overwrite: false,
                });
            }
            Target::LetterTo => {
                let Value::Choice(Some(to)) = value else { return };
                let reference = match &self.screen {
                    Screen::Recorded(r) => {
                        r.records.first().map(|x| x.snapshot.case.referral.reference.clone()).unwrap_or_default()
                    }
                    Screen::Walk(w) => w.walk.case.referral.reference.clone(),
                    _ => return,
                };
                // A file name from the reference: only letters, digits and dashes.
                let safe: String = reference.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::LetterPath(to.clone()),
                    label: "Write the letter (HTML, readable by you only) to".into(),
                    area: crate::tui::app::text_area(&format!("letter-{safe}-{to}.html")),
                    multiline: false,
                    changed: false,
                    last_save: std::time::Instant::now(),
                }));
            }
            Target::LetterPath(to) => {
                let Value::Text(path) = value else { return };
                let Some(to) = crate::domain::letters::Recipient::from_id(&to) else { return };
                if path.trim().is_empty() {
                    self.status = Some("Not written: no file named.".into());
                    return;
                }
                self.cmd(Command::WriteLetter { to, path: std::path::PathBuf::from(path.trim()) });
            }
            Target::TaskDoneBy(id) => {
                let Value::Text(by) = value else { return };
                let closed = crate::domain::task_board::Closed::Done;
                self.cmd(Command::CloseTask { id, closed, by: by.trim().to_string() });
            }
            Target::TaskNotNeeded(id) => {
                let Value::Text(reason) = value else { return };
                if reason.trim().is_empty() {
                    self.status = Some("A task closed as not needed needs a reason.".into());
                    return;
                }
                let closed = crate::domain::task_board::Closed::NotNeeded { reason: reason.trim().to_string() };
                let by =
                    if self.session.chair.trim().is_empty() { self.actor.clone() } else { self.session.chair.clone() };
                self.cmd(Command::CloseTask { id, closed, by });
            }
            Target::ImportPath => {
                if let Value::Text(t) = value {
                    self.cmd(Command::Import(t));
                }
            }
            Target::CorrectionReason => {
                let Value::Text(reason) = value else { return };
                if reason.trim().is_empty() {
                    self.status = Some("A correction needs a reason.".into());
                    return;
                }
                let Screen::Recorded(r) = &self.screen else { return };
                let referral = r.referral;
                let Some(latest) = r.records.iter().rev().find(|r| r.superseded_by.is_none()).cloned() else {
                    return;
                };
                let mut w = Walk::correction(latest.snapshot.case.clone(), latest.seq, self.today);
                w.correction_reason = reason;
                self.start_walk(w, Some(referral));
                self.cmd(Command::SaveDraft(crate::walk::Step::Facts));
            }
        }
    }

    pub(crate) fn overlay(&self, o: &Overlay, area: Rect, buf: &mut Buffer) {
        match o {
            Overlay::Notice { title, text } => self.draw_notice(title, text, area, buf),
            Overlay::Help => self.draw_help(area, buf),
            Overlay::Confirm(c) => self.draw_confirm(c, area, buf),
            Overlay::Pick(p) => self.draw_picker(p, area, buf),
            Overlay::Edit(e) => self.draw_editor(e, area, buf),
            Overlay::OwnRating(o) => self.draw_own_rating(o, area, buf),
        }
    }
}
