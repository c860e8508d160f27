//! Overlays take keys before the screen (yazi's layered routing): an editor takes every printable key, so no shortcut fires while a form expects text.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::tui::app::*;
use crate::tui::runner::Command;
use crate::tui::strings as s;
use crate::tui::theme;
use crate::tui::view::{boxed, centre, trunc};
use crate::walk::{Msg, Value, Walk};

impl App {
    pub(crate) fn on_overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Option<Overlay> {
        match overlay {
            Overlay::Read { label, text } => match key.code {
                KeyCode::Char('p') => {
                    self.privacy = false;
                    self.cmd(Command::SavePrivacy);
                    self.status = Some("Privacy mode is off: names show again. Press Enter to edit.".into());
                    None
                }
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => None,
                _ => Some(Overlay::Read { label, text }),
            },
            Overlay::Notice { title, text } => match key.code {
                KeyCode::Esc | KeyCode::Enter => None,
                _ => Some(Overlay::Notice { title, text }),
            },
            Overlay::Help => match key.code {
                KeyCode::Char('?') | KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => None,
                _ => Some(Overlay::Help),
            },
            Overlay::Confirm(c) => self.on_confirm_key(c, key),
            Overlay::Pick(p) => self.on_pick_key(p, key),
            Overlay::Edit(e) => self.on_edit_key(e, key),
        }
    }

    pub(crate) fn on_confirm_key(&mut self, c: Confirm, key: KeyEvent) -> Option<Overlay> {
        let yes = matches!(key.code, KeyCode::Enter | KeyCode::Char('y'));
        let no = matches!(key.code, KeyCode::Esc | KeyCode::Char('n'));
        match c {
            Confirm::Resume if yes => {
                if let Some((id, ..)) = self.resume.take() {
                    self.cmd(Command::OpenReferral(id));
                }
                None
            }
            Confirm::Overwrite if yes => {
                if let Some((path, md)) = self.pending_file.take() {
                    self.cmd(Command::SaveDebrief { path, markdown: md, overwrite: true });
                }
                None
            }
            Confirm::Overwrite if no => {
                self.pending_file = None;
                self.status = Some("Not saved: the existing file is left as it was.".into());
                None
            }
            Confirm::Quit if yes => {
                self.stop();
                None
            }
            Confirm::Record if yes => {
                self.send(Msg::Record);
                None
            }
            Confirm::QuitWithTyping => match key.code {
                KeyCode::Char('y') | KeyCode::Enter => {
                    if let Some(e) = self.parked.take() {
                        self.commit(e.target.clone(), Value::Text(e.area.lines().join("\n")));
                        if let Some(step) = self.walk().map(|w| w.step) {
                            self.cmd(Command::SaveDraft(step));
                        }
                    }
                    self.quit = true;
                    None
                }
                KeyCode::Char('n') => {
                    self.parked = None;
                    self.quit = true;
                    None
                }
                KeyCode::Esc => self.parked.take().map(Overlay::Edit),
                _ => Some(Overlay::Confirm(c)),
            },
            _ if no => {
                self.resume = None;
                None
            }
            _ => Some(Overlay::Confirm(c)),
        }
    }

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
                    self.parked = Some(e);
                    return Some(Overlay::Confirm(Confirm::QuitWithTyping));
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
                self.session_focus = (self.session_focus + 1).min(n.saturating_sub(1));
            }
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
            Overlay::Notice { title, text } => {
                let r = centre(area, area.width.saturating_sub(8).min(100), 14);
                Clear.render(r, buf);
                let heading = format!("NEW INFORMATION — {title}");
                let block = boxed(&heading).border_style(theme::warning());
                let inner = block.inner(r);
                block.render(r, buf);
                let [body, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
                let text = match self.walk() {
                    Some(w) => self.shown(&w.case, text.clone()),
                    None => text.clone(),
                };
                Paragraph::new(text).wrap(Wrap { trim: false }).render(body, buf);
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
                    Screen::Walk(_) => "walk",
                    Screen::Queue => "queue",
                    Screen::Recorded(_) => "recorded",
                    Screen::Session => "session",
                    Screen::Start => "start",
                    Screen::Picker | Screen::Debrief(_) => "training",
                    Screen::ScrutinyQueue | Screen::ScrutinyCase | Screen::Report => "scrutiny",
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
                let r = centre(area, width, crate::tui::view::rows_of(&lines, width.saturating_sub(2)) + 2);
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
                    Confirm::Quit if self.db_path.is_none() => "Leave jdp?\n\nThis mock panel is held in memory only: leaving ends it.\n\nEnter or y leaves · Esc stays".into(),
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
                let text = match (&e.target, self.walk()) {
                    (
                        crate::tui::app::Target::Walk(
                            crate::walk::Key::ChildName | crate::walk::Key::KnownAs | crate::walk::Key::DateOfBirth,
                        ),
                        _,
                    ) => "(hidden: privacy mode)".to_string(),
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
                let error = match (&e.target, self.walk()) {
                    (crate::tui::app::Target::Walk(k), Some(w)) => w.errors.get(k).cloned(),
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
