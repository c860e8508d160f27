//! The application state and how keys change it. Layered routing: an open overlay (text editor,
//! list picker, confirmation, help) takes keys before the screen's own key map; a text editor
//! takes every letter, so shortcuts never fire while typing. Domain changes go through the pure
//! `Walk`; its effects (save a draft, record a decision) are performed here, against the store.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

use crate::domain::PanelDefinition;
use crate::domain::referral::{Case, Member, PanelSession};
use crate::store::{RecordRow, ReferralRow, Store};
use super::runner::Command;
use crate::walk::{self, Ctx, Key, Kind, Msg, Step, Value, Walk};

/// The walk's context, read from the panel session each time it is needed: who is present is
/// never copied into the walk, so a late arrival counts at once.
pub fn walk_cx<'a>(panel: &'a PanelDefinition, session: &'a PanelSession) -> Ctx<'a> {
    Ctx { panel, present: Some(&session.members), chair: &session.chair }
}

/// How long typing may go unsaved before the draft is saved anyway.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(3);
pub const PAGE: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Start,
    Session,
    Queue,
    Walk,
    Recorded,
    Picker,
    Debrief,
    ScrutinyQueue,
    ScrutinyCase,
    Report,
}

/// A mock panel's state: the scenarios to choose from, what the room has been given so far,
/// and the trainer's view.
pub struct Trainer {
    pub scenarios: Vec<(String, crate::training::Scenario)>,
    pub cursor: usize,
    pub current: Option<crate::training::Scenario>,
    pub revealed: BTreeSet<Step>,
    pub released: usize,
    pub notes_visible: bool,
    pub debrief: Option<crate::training::Debrief>,
    /// Late information released so far: (step, title, text), shown on its step.
    pub notices: Vec<(Step, String, String)>,
}

/// Fields of the panel session form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKey {
    Chair,
    MemberName(usize),
    MemberAgency(usize),
    MemberRole(usize),
    AddMember,
    Apologies,
    Observers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Walk(Key),
    Session(SessionKey),
    ImportPath,
    CorrectionReason,
    DebriefPath,
    Review(super::scrutiny::ReviewKey),
}

pub struct Editor {
    pub target: Target,
    pub label: String,
    pub area: TextArea<'static>,
    pub multiline: bool,
    pub changed: bool,
    pub last_save: Instant,
}

pub struct Picker {
    pub target: Target,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub cursor: usize,
    pub multi: bool,
    pub chosen: BTreeSet<String>,
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Resume,
    /// The debrief file exists already: replace it?
    Overwrite,
    /// q during a walk: the walk is a draft already, but leaving is asked, never assumed.
    Quit,
    Record,
    QuitWithTyping,
}

pub enum Overlay {
    /// A field's text, scrubbed, while privacy mode is on: read, never edited.
    Read {
        label: String,
        text: String,
    },
    /// Late information released by the trainer: the room cannot miss it.
    Notice {
        title: String,
        text: String,
    },
    Edit(Editor),
    Pick(Picker),
    Confirm(Confirm),
    Help,
}

pub struct App {
    pub store: Store,
    pub panel: PanelDefinition,
    pub today: NaiveDate,
    pub actor: String,
    pub training: bool,
    pub synthetic: bool,
    pub privacy: bool,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub status: Option<String>,
    pub session: PanelSession,
    pub session_focus: usize,
    pub rows: Vec<ReferralRow>,
    pub total: i64,
    pub offset: i64,
    pub selected: usize,
    pub walk: Option<Walk>,
    pub walk_referral: Option<i64>,
    pub recorded: Vec<RecordRow>,
    pub recorded_scroll: u16,
    /// How far the review and record steps are scrolled.
    pub review_scroll: u16,
    pub resume: Option<(i64, String, String, String)>,
    /// The editor set aside while "quit with unsaved typing?" is asked.
    pub parked: Option<Editor>,
    /// A debrief waiting for "replace the existing file?".
    pub pending_file: Option<(std::path::PathBuf, String)>,
    pub trainer: Option<Trainer>,
    pub scrutiny_state: Option<super::scrutiny::Scrutiny>,
    pub quit: bool,
    /// What the last key asked of the store or the file system, for the runner.
    pub commands: Vec<super::runner::Command>,
}

pub(crate) fn text_area(text: &str) -> TextArea<'static> {
    let mut a = TextArea::new(text.lines().map(str::to_string).collect());
    a.set_wrap_mode(WrapMode::WordOrGlyph);
    a.move_cursor(ratatui_textarea::CursorMove::Bottom);
    a.move_cursor(ratatui_textarea::CursorMove::End);
    a
}

impl App {
    pub fn new(store: Store, panel: PanelDefinition, today: NaiveDate, training: bool) -> Self {
        let synthetic = store.is_synthetic().unwrap_or(false);
        let session = store.session_on(today).ok().flatten().unwrap_or_default();
        let mut app = Self {
            store,
            panel,
            today,
            // The caller names the operating-system account; the screen never works it out.
            actor: String::new(),
            training,
            synthetic,
            privacy: false,
            screen: Screen::Queue,
            overlay: None,
            status: None,
            session,
            session_focus: 0,
            rows: Vec::new(),
            total: 0,
            offset: 0,
            selected: 0,
            walk: None,
            walk_referral: None,
            recorded: Vec::new(),
            recorded_scroll: 0,
            review_scroll: 0,
            resume: None,
            parked: None,
            pending_file: None,
            trainer: None,
            scrutiny_state: None,
            quit: false,
            commands: Vec::new(),
        };
        app.refresh_queue();
        if app.total == 0 {
            app.screen = Screen::Start;
        }
        if let Ok(Some((id, draft))) = app.store.latest_draft() {
            let step = Step::from_id(&draft.step).map_or("the start", crate::tui::strings::step_title);
            let saved = chrono::DateTime::parse_from_rfc3339(&draft.saved_at)
                .map(|t| t.with_timezone(&chrono::Local).format("%-d %b %H:%M").to_string())
                .unwrap_or(draft.saved_at.clone());
            app.resume = Some((id, draft.case.referral.reference.clone(), step.to_string(), saved));
            app.overlay = Some(Overlay::Confirm(Confirm::Resume));
        }
        app
    }

    /// A mock panel on a training store: the room sits with fictional police and YJS members.
    pub fn training(
        store: Store,
        panel: PanelDefinition,
        today: NaiveDate,
        scenarios: Vec<(String, crate::training::Scenario)>,
        chosen: Option<crate::training::Scenario>,
    ) -> Self {
        let mut app = Self::new(store, panel, today, true);
        app.overlay = None;
        app.resume = None;
        app.session.members = crate::training::training_members();
        app.trainer = Some(Trainer {
            scenarios,
            cursor: 0,
            current: None,
            revealed: BTreeSet::new(),
            released: 0,
            notes_visible: false,
            debrief: None,
            notices: Vec::new(),
        });
        app.screen = Screen::Picker;
        if let Some(s) = chosen {
            app.start_scenario(s);
        }
        app
    }





    fn open_debrief(&mut self) {
        let (Some(t), Some(w)) = (self.trainer.as_mut(), self.walk.as_ref()) else { return };
        let Some(s) = &t.current else { return };
        t.debrief = Some(crate::training::debrief(&w.case, s, &self.panel, self.today));
        self.screen = Screen::Debrief;
    }



    // ----- opening things -----


    pub fn cx(&self) -> Ctx<'_> {
        walk_cx(&self.panel, &self.session)
    }

    pub(crate) fn start_walk(&mut self, w: Walk, referral: Option<i64>) {
        self.walk = Some(w);
        self.walk_referral = referral;
        self.screen = Screen::Walk;
    }

    pub fn new_referral(&mut self) {
        let case = Case::new(walk::blank_referral(self.today));
        self.start_walk(Walk::new(case, self.today), None);
    }



    // ----- effects -----



    fn send(&mut self, msg: Msg) {
        // A new referral cannot leave the facts step until it can be saved.
        if self.walk_referral.is_none()
            && matches!(msg, Msg::Next | Msg::Back | Msg::Goto(_))
            && let Some(w) = &self.walk
        {
            if !w.case.referral.is_identifiable() {
                self.status = Some(
                    "Give the reference, the child's name and the offence first: the referral is saved then.".into(),
                );
                return;
            }
        }
        let Some(w) = self.walk.as_mut() else { return };
        let before = w.step;
        let effects = w.handle(msg, walk_cx(&self.panel, &self.session));
        let moved = w.step != before;
        if moved {
            self.review_scroll = 0;
        }
        self.cmd(Command::Walk(effects));
        if moved && self.trainer.is_some() {
            self.cmd(Command::Reveal);
        }
    }

    // ----- keys -----

    /// A key: the overlay or screen handles it, then the runner does what it asked.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.handle_key(key);
        self.run_commands();
    }

    fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        // A message stays until the next key: long enough to read, never stale.
        self.status = None;
        if let Some(overlay) = self.overlay.take() {
            let next = self.on_overlay_key(overlay, key);
            // An overlay opened while handling the key (e.g. "replace the file?") comes first.
            if self.overlay.is_none() {
                self.overlay = next;
            }
            return;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => self.stop(),
            KeyCode::Char('q') => {
                if self.screen == Screen::Walk && self.walk.as_ref().is_some_and(|w| w.recorded.is_none()) {
                    self.overlay = Some(Overlay::Confirm(Confirm::Quit));
                } else {
                    self.quit = true;
                }
            }
            KeyCode::Char('?') => self.overlay = Some(Overlay::Help),
            KeyCode::Char('p') => self.privacy = !self.privacy,
            _ => match self.screen {
                Screen::Start => self.on_start_key(key),
                Screen::Queue => self.on_queue_key(key),
                Screen::Session => self.on_session_key(key),
                Screen::Walk => self.on_walk_key(key),
                Screen::Recorded => self.on_recorded_key(key),
                Screen::Picker => self.on_picker_key(key),
                Screen::Debrief => self.on_debrief_key(key),
                Screen::ScrutinyQueue => self.on_scrutiny_queue_key(key),
                Screen::ScrutinyCase => self.on_scrutiny_case_key(key),
                Screen::Report => self.on_report_key(key),
            },
        }
    }

    fn on_start_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Char('1') => self.cmd(Command::LoadExamples),
            KeyCode::Char('2') | KeyCode::Char('n') => self.new_referral(),
            KeyCode::Char('3') => self.cmd(Command::BecomeTraining),
            KeyCode::Esc | KeyCode::Enter => self.screen = Screen::Queue,
            _ => {}
        }
    }

    fn on_queue_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1)),
            KeyCode::PageDown if self.offset + PAGE < self.total => {
                self.offset += PAGE;
                self.selected = 0;
                self.cmd(Command::RefreshQueue);
            }
            KeyCode::PageUp if self.offset > 0 => {
                self.offset = (self.offset - PAGE).max(0);
                self.selected = 0;
                self.cmd(Command::RefreshQueue);
            }
            KeyCode::Enter => {
                if let Some(id) = self.rows.get(self.selected).map(|r| r.id) {
                    self.cmd(Command::OpenReferral(id));
                }
            }
            KeyCode::Char('n') => self.new_referral(),
            KeyCode::Char('s') => {
                self.screen = Screen::Session;
                // Adding who is present is what the chair comes here for.
                self.session_focus =
                    self.session_fields().iter().position(|f| f.0 == SessionKey::AddMember).unwrap_or(0);
            }
            KeyCode::Char('i') => {
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::ImportPath,
                    label: "Import referrals from (a TOML file path)".into(),
                    area: text_area("panels/examples/referrals.toml"),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }))
            }
            _ => {}
        }
    }

    fn on_picker_key(&mut self, key: KeyEvent) {
        let Some(t) = self.trainer.as_mut() else { return };
        let n = t.scenarios.len();
        match key.code {
            KeyCode::Up => t.cursor = t.cursor.saturating_sub(1),
            KeyCode::Down => t.cursor = (t.cursor + 1).min(n.saturating_sub(1)),
            KeyCode::Enter => {
                if let Some((_, s)) = t.scenarios.get(t.cursor).cloned() {
                    self.cmd(Command::StartScenario(Box::new(s)));
                }
            }
            _ => {}
        }
    }

    fn on_debrief_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.walk = None;
                self.screen = Screen::Picker;
            }
            KeyCode::Down => self.recorded_scroll = self.recorded_scroll.saturating_add(1),
            KeyCode::Up => self.recorded_scroll = self.recorded_scroll.saturating_sub(1),
            KeyCode::PageDown => self.recorded_scroll = self.recorded_scroll.saturating_add(10),
            KeyCode::PageUp => self.recorded_scroll = self.recorded_scroll.saturating_sub(10),
            KeyCode::Char('x') => {
                let reference = self.walk.as_ref().map_or("scenario".into(), |w| w.case.referral.reference.clone());
                let path = super::files::default_debrief_path(&reference);
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::DebriefPath,
                    label: "Save the debrief as Markdown to".into(),
                    area: text_area(&path.display().to_string()),
                    multiline: false,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
            _ => {}
        }
    }

    fn on_recorded_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Down => self.recorded_scroll = self.recorded_scroll.saturating_add(1),
            KeyCode::Up => self.recorded_scroll = self.recorded_scroll.saturating_sub(1),
            KeyCode::PageDown => self.recorded_scroll = self.recorded_scroll.saturating_add(10),
            KeyCode::PageUp => self.recorded_scroll = self.recorded_scroll.saturating_sub(10),
            KeyCode::Esc => {
                self.screen = Screen::Queue;
                self.cmd(Command::RefreshQueue);
            }
            KeyCode::Char('c') if !self.training || self.walk_referral.is_some() => {
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

    pub fn session_fields(&self) -> Vec<(SessionKey, String, String)> {
        let mut v = vec![(SessionKey::Chair, "Chair".to_string(), self.session.chair.clone())];
        for (i, m) in self.session.members.iter().enumerate() {
            let agency = self.panel.agency(&m.agency).map_or(m.agency.clone(), |a| a.name.clone());
            v.push((SessionKey::MemberName(i), format!("Member {}: name", i + 1), m.name.clone()));
            v.push((SessionKey::MemberAgency(i), format!("Member {}: agency", i + 1), agency));
            v.push((SessionKey::MemberRole(i), format!("Member {}: role", i + 1), m.role.clone()));
        }
        v.push((SessionKey::AddMember, "+ Add a member present".into(), String::new()));
        v.push((SessionKey::Apologies, "Apologies (one a line)".into(), self.session.apologies.join("\n")));
        v.push((SessionKey::Observers, "Observers (one a line)".into(), self.session.observers.join("\n")));
        v
    }

    fn on_session_key(&mut self, key: KeyEvent) {
        let fields = self.session_fields();
        match key.code {
            KeyCode::Esc => {
                self.screen = Screen::Queue;
                self.cmd(Command::RefreshQueue);
            }
            KeyCode::Up | KeyCode::BackTab => {
                self.session_focus = (self.session_focus + fields.len() - 1) % fields.len()
            }
            KeyCode::Down | KeyCode::Tab => self.session_focus = (self.session_focus + 1) % fields.len(),
            KeyCode::Enter | KeyCode::Char(' ') => {
                let (k, label, value) = fields[self.session_focus.min(fields.len() - 1)].clone();
                match k {
                    SessionKey::AddMember => {
                        self.session.members.push(Member {
                            name: String::new(),
                            agency: String::new(),
                            role: String::new(),
                        });
                        let i = self.session.members.len() - 1;
                        self.session_focus =
                            self.session_fields().iter().position(|f| f.0 == SessionKey::MemberName(i)).unwrap_or(0);
                        // The name is what comes next: its editor opens at once, so every letter
                        // typed is the name's, never a shortcut.
                        self.overlay = Some(Overlay::Edit(Editor {
                            target: Target::Session(SessionKey::MemberName(i)),
                            label: format!("Member {}: name", i + 1),
                            area: text_area(""),
                            multiline: false,
                            changed: false,
                            last_save: Instant::now(),
                        }));
                        self.cmd(Command::SaveSession);
                    }
                    SessionKey::MemberAgency(i) => {
                        let options = self.panel.agencies.iter().map(|a| (a.id.clone(), a.name.clone())).collect();
                        let current = self.session.members[i].agency.clone();
                        self.overlay = Some(picker(
                            Target::Session(k),
                            label,
                            options,
                            &Value::Choice(Some(current)),
                            false,
                            false,
                        ));
                    }
                    SessionKey::MemberRole(i) => {
                        let agency = self.panel.agency(&self.session.members[i].agency);
                        let options: Vec<(String, String)> = agency
                            .map(|a| a.roles.iter().map(|r| (r.clone(), r.clone())).collect())
                            .unwrap_or_default();
                        if options.is_empty() {
                            self.status = Some("Choose the member's agency first.".into());
                        } else {
                            let current = Value::Choice(Some(self.session.members[i].role.clone()));
                            self.overlay = Some(picker(Target::Session(k), label, options, &current, false, false));
                        }
                    }
                    _ => {
                        let multiline = matches!(k, SessionKey::Apologies | SessionKey::Observers);
                        self.overlay = Some(Overlay::Edit(Editor {
                            target: Target::Session(k),
                            label,
                            area: text_area(&value),
                            multiline,
                            changed: false,
                            last_save: Instant::now(),
                        }));
                    }
                }
            }
            _ => {}
        }
    }


    fn on_walk_key(&mut self, key: KeyEvent) {
        let Some(w) = &self.walk else { return };
        if w.recorded.is_some() {
            match key.code {
                KeyCode::Esc if self.trainer.is_some() => self.open_debrief(),
                KeyCode::Esc => self.close_walk(),
                KeyCode::Char('d') if self.trainer.is_some() => self.open_debrief(),
                _ => {}
            }
            return;
        }
        if self.trainer.is_some() {
            match key.code {
                KeyCode::Char('r') => return self.cmd(Command::Release),
                KeyCode::Char('t') => {
                    if let Some(t) = self.trainer.as_mut() {
                        t.notes_visible = !t.notes_visible;
                    }
                    return;
                }
                KeyCode::Esc => {
                    self.walk = None;
                    self.screen = Screen::Picker;
                    return;
                }
                _ => {}
            }
        }
        let step = w.step;
        match key.code {
            KeyCode::Esc => self.close_walk(),
            KeyCode::Char(']') | KeyCode::PageDown => self.send(Msg::Next),
            KeyCode::Char('[') | KeyCode::PageUp => self.send(Msg::Back),
            KeyCode::Char(c @ '1'..='9') => self.send(Msg::Goto(Step::ALL[(c as u8 - b'1') as usize])),
            KeyCode::Down if matches!(step, Step::Review | Step::Record) => {
                self.review_scroll = self.review_scroll.saturating_add(1)
            }
            KeyCode::Up if matches!(step, Step::Review | Step::Record) => {
                self.review_scroll = self.review_scroll.saturating_sub(1)
            }
            KeyCode::Down | KeyCode::Tab => self.send(Msg::FocusNext),
            KeyCode::Up | KeyCode::BackTab => self.send(Msg::FocusPrev),
            KeyCode::Enter if step == Step::Record => {
                let correcting = w.correction_of.is_some();
                // The same findings as the step bar and the review: a blocked decision is never
                // offered for recording.
                let blocking = w
                    .findings(walk_cx(&self.panel, &self.session))
                    .iter()
                    .filter(|f| f.severity == crate::domain::Severity::Blocking)
                    .count();
                if self.walk_referral.is_none() && !correcting {
                    self.status = Some("Complete the referral facts first.".into());
                } else if blocking > 0 {
                    self.status = Some(format!(
                        "Not recorded: {blocking} blocking finding(s) are listed below; each names its step."
                    ));
                } else {
                    self.overlay = Some(Overlay::Confirm(Confirm::Record));
                }
            }
            KeyCode::Enter | KeyCode::Char(' ') => self.activate(key.code == KeyCode::Char(' ')),
            _ => {}
        }
    }

    fn close_walk(&mut self) {
        if let Some(w) = &self.walk
            && w.recorded.is_none()
        {
            self.cmd(Command::SaveDraft(w.step));
        }
        self.walk = None;
        self.screen = Screen::Queue;
        self.cmd(Command::RefreshQueue);
    }

    /// Enter or Space on the focused field.
    fn activate(&mut self, space: bool) {
        let Some(w) = &self.walk else { return };
        let Some(field) = w.focused(&self.panel) else { return };
        let value = w.value(&field.key);
        if self.privacy && matches!(field.kind, Kind::Line | Kind::Text | Kind::Date) {
            // An editor shows the text as typed; with privacy on only the scrubbed text is shown.
            let text = match field.key {
                Key::ChildName | Key::DateOfBirth => "(hidden: privacy mode)".to_string(),
                _ => crate::redact::for_projector(&value.display(&field.kind), &w.case),
            };
            self.overlay = Some(Overlay::Read { label: field.label.clone(), text });
            return;
        }
        match &field.kind {
            Kind::Toggle => self.send(Msg::Toggle(field.key)),
            Kind::Action => self.send(Msg::Press(field.key)),
            _ if space => {}
            Kind::Choice { options, optional } => {
                self.overlay = Some(picker(
                    Target::Walk(field.key.clone()),
                    field.label.clone(),
                    options.clone(),
                    &value,
                    false,
                    *optional,
                ))
            }
            Kind::Multi(options) => {
                self.overlay = Some(picker(
                    Target::Walk(field.key.clone()),
                    field.label.clone(),
                    options.clone(),
                    &value,
                    true,
                    true,
                ))
            }
            Kind::Line | Kind::Text | Kind::Date => {
                // A rejected value is offered again for correction rather than lost.
                let shown = value.display(&field.kind);
                self.overlay = Some(Overlay::Edit(Editor {
                    target: Target::Walk(field.key.clone()),
                    label: field.label.clone(),
                    area: text_area(&shown),
                    multiline: field.kind == Kind::Text,
                    changed: false,
                    last_save: Instant::now(),
                }));
            }
        }
    }

    // ----- overlays -----

    fn on_overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Option<Overlay> {
        match overlay {
            Overlay::Read { label, text } => match key.code {
                KeyCode::Char('p') => {
                    self.privacy = false;
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

    fn on_confirm_key(&mut self, c: Confirm, key: KeyEvent) -> Option<Overlay> {
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
                        if let Some(step) = self.walk.as_ref().map(|w| w.step) {
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

    fn on_pick_key(&mut self, mut p: Picker, key: KeyEvent) -> Option<Overlay> {
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

    fn on_edit_key(&mut self, mut e: Editor, key: KeyEvent) -> Option<Overlay> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
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
            && let Some(err) = self.walk.as_ref().and_then(|w| w.errors.get(k).cloned())
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
    fn advance(&mut self, target: &Target) {
        match target {
            Target::Walk(k) => {
                let rejected = self.walk.as_ref().is_some_and(|w| w.errors.contains_key(k));
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

    fn commit(&mut self, target: Target, value: Value) {
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
                let Some(d) = self.trainer.as_ref().and_then(|t| t.debrief.as_ref()) else { return };
                let md = d.markdown(&self.panel);
                self.cmd(Command::SaveDebrief { path: std::path::PathBuf::from(path.trim()), markdown: md, overwrite: false });
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
                let Some(latest) = self.recorded.iter().rev().find(|r| r.superseded_by.is_none()).cloned() else {
                    return;
                };
                let mut w = Walk::correction(latest.snapshot.case.clone(), latest.seq, self.today);
                w.correction_reason = reason;
                let referral = self.walk_referral;
                self.start_walk(w, referral);
            }
        }
    }


    /// Stops jdp without losing anything: text in an open editor is kept in the walk (and so in
    /// its draft) first. Ctrl-C, confirmed q, SIGTERM and SIGHUP all come here.
    pub fn stop(&mut self) {
        if let Some(Overlay::Edit(e)) = self.overlay.take()
            && e.changed
            && let Target::Walk(key) = e.target
        {
            self.send(Msg::SetText(key, e.area.lines().join("\n")));
        }
        if let Some(step) = self.walk.as_ref().filter(|w| w.recorded.is_none()).map(|w| w.step) {
            self.cmd(Command::SaveDraft(step));
        }
        self.run_commands();
        self.quit = true;
    }

    /// Called about twice a second: saves a draft while a long piece of typing goes on.
    pub fn tick(&mut self, now: Instant) {
        let Some(Overlay::Edit(e)) = self.overlay.as_mut() else { return };
        if !e.changed || now.duration_since(e.last_save) < AUTOSAVE_AFTER {
            return;
        }
        let Target::Walk(key) = e.target.clone() else { return };
        let text = e.area.lines().join("\n");
        e.last_save = now;
        if let Some(w) = self.walk.as_mut() {
            let effects = w.handle(Msg::SetText(key, text), walk_cx(&self.panel, &self.session));
            self.cmd(Command::Walk(effects));
        }
        self.run_commands();
    }
}

pub(crate) fn picker(
    target: Target,
    label: String,
    options: Vec<(String, String)>,
    value: &Value,
    multi: bool,
    optional: bool,
) -> Overlay {
    let (cursor, chosen) = match value {
        Value::Choice(Some(id)) => (options.iter().position(|(o, _)| o == id).unwrap_or(0), BTreeSet::new()),
        Value::Multi(items) => (0, items.iter().cloned().collect()),
        _ => (0, BTreeSet::new()),
    };
    Overlay::Pick(Picker { target, label, options, cursor, multi, chosen, optional })
}
