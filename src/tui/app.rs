//! The application state and how keys change it. Layered routing: an open overlay (text editor,
//! list picker, confirmation, help) takes keys before the screen's own key map; a text editor
//! takes every letter, so shortcuts never fire while typing. Domain changes go through the pure
//! `Walk`; what needs the store or a file is queued as a command for the runner (runner.rs).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui_textarea::{TextArea, WrapMode};

use super::keys::{self, Action, Context};
pub use super::overlays::{Confirm, Editor, Overlay, Picker, Target};
use super::runner::Command;
pub use super::screens::scrutiny::ScrutinyView;
pub use super::screens::{DebriefScreen, RecordedScreen, Screen, WalkScreen};
use crate::domain::PanelDefinition;
use crate::domain::referral::PanelSession;
use crate::store::{Backend, Store};
use crate::walk::{Ctx, Msg, Step, Value, Walk};

/// The walk's context, read from the panel session each time it is needed: who is present is
/// never copied into the walk, so a late arrival counts at once.
pub fn walk_cx<'a>(
    panel: &'a PanelDefinition,
    session: &'a PanelSession,
    cannot_record_as: &'a Option<String>,
) -> Ctx<'a> {
    Ctx { panel, present: Some(&session.members), chair: &session.chair, cannot_record_as: cannot_record_as.as_deref() }
}

/// How long typing may go unsaved before the draft is saved anyway.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(3);
pub const PAGE: i64 = 200;
/// How often an open queue is read again, so another desk's new referral or preparation shows
/// without the queue being reopened.
pub const QUEUE_REREAD: Duration = Duration::from_secs(5);

/// A mock panel's state: the scenarios to choose from, what the room has been given so far,
/// and the trainer's view.
pub struct Trainer {
    pub scenarios: Vec<(String, crate::training::Scenario)>,
    pub cursor: usize,
    pub current: Option<crate::training::Scenario>,
    pub revealed: BTreeSet<Step>,
    pub released: usize,
    pub notes_visible: bool,
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

pub struct App {
    /// The store, through its one interface: a file's, or a server's (`--db postgres://…`).
    pub store: Box<dyn Backend>,
    /// Where the database is (None: in memory), shown on the start screen.
    pub db_path: Option<std::path::PathBuf>,
    /// Databases no file the screen writes may replace (the live one too, when training).
    pub protected: Vec<std::path::PathBuf>,
    pub panel: PanelDefinition,
    pub today: NaiveDate,
    pub actor: String,
    /// Where this account's signing key is (`crate::signing::key_dir`): a live store's head is
    /// signed with it after each decision.
    pub key_dir: std::path::PathBuf,
    pub training: bool,
    pub synthetic: bool,
    pub privacy: bool,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    /// A question that arose while a field was being typed in (another desk saved the case):
    /// asked once the field is left, so no letter typed meanwhile can answer it.
    pub asked_after_typing: Option<Confirm>,
    pub status: Option<String>,
    pub session: PanelSession,
    /// Set (to the login's name) when this screen's login may prepare but not record, as the
    /// store says when it is opened (a member's login on a server).
    pub cannot_record_as: Option<String>,
    /// Who this screen works as and where, on a server ("dana · north_panel on db1"), for the
    /// header: a shared store names its login.
    pub signed_in: Option<String>,
    pub trainer: Option<Trainer>,
    pub quit: bool,
    /// What the last key asked of the store or the file system, for the runner.
    pub commands: Vec<super::runner::Command>,
    /// The letter templates beside the panel definition (None: the built-in set).
    pub letters: Option<crate::domain::letters::LettersFile>,
    /// This store's local draft journal (owner-only, on this machine): typed work the store
    /// could not take is kept there and offered back. None: nothing is kept (a store in memory).
    pub journal: Option<std::path::PathBuf>,
    /// Referrals whose typing on screen is also kept in the journal: saving it to the store
    /// settles the journal's entry.
    pub kept: BTreeSet<Option<i64>>,
}

pub(crate) fn text_area(text: &str) -> TextArea<'static> {
    let mut a = TextArea::new(text.lines().map(str::to_string).collect());
    a.set_wrap_mode(WrapMode::WordOrGlyph);
    a.move_cursor(ratatui_textarea::CursorMove::Bottom);
    a.move_cursor(ratatui_textarea::CursorMove::End);
    a
}

impl App {
    /// The panel screen on `store`: the store opened (today's sitting, the queue, a walk left
    /// in progress).
    pub fn new(store: impl Into<Box<dyn Backend>>, panel: PanelDefinition, today: NaiveDate, training: bool) -> Self {
        let mut app = Self::bare(store, panel, today, training);
        app.cmd(Command::Start);
        app.run_commands();
        app
    }

    /// The app on `store` with nothing read from it yet: each screen's constructor says what it
    /// reads first.
    pub(crate) fn bare(
        store: impl Into<Box<dyn Backend>>,
        panel: PanelDefinition,
        today: NaiveDate,
        training: bool,
    ) -> Self {
        let mut store: Box<dyn Backend> = store.into();
        store.use_panel(&panel);
        let db_path = store.path().map(|p| p.to_path_buf());
        let protected = db_path.as_deref().map(crate::outfile::database_files).unwrap_or_default();
        Self {
            protected,
            db_path,
            store,
            panel,
            today,
            // The caller names the operating-system account; the screen never works it out.
            actor: String::new(),
            key_dir: crate::signing::key_dir(),
            training,
            synthetic: false,
            privacy: false,
            screen: Screen::Queue(Default::default()),
            overlay: None,
            asked_after_typing: None,
            status: None,
            session: PanelSession::default(),
            cannot_record_as: None,
            signed_in: None,
            trainer: None,
            quit: false,
            commands: Vec::new(),
            letters: None,
            journal: None,
            kept: BTreeSet::new(),
        }
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
        app.session.members = crate::training::training_members();
        app.session.chair = crate::training::TRAINING_CHAIR.into();
        app.trainer = Some(Trainer {
            scenarios,
            cursor: 0,
            current: None,
            revealed: BTreeSet::new(),
            released: 0,
            notes_visible: false,
            notices: Vec::new(),
        });
        app.screen = Screen::Picker;
        if let Some(s) = chosen {
            app.start_scenario(s);
        }
        app
    }

    // ----- opening things -----

    /// The walk on screen, if a walk is on screen.
    pub fn walk(&self) -> Option<&Walk> {
        match &self.screen {
            Screen::Walk(s) => Some(&s.walk),
            _ => None,
        }
    }

    pub fn walk_mut(&mut self) -> Option<&mut Walk> {
        match &mut self.screen {
            Screen::Walk(s) => Some(&mut s.walk),
            _ => None,
        }
    }

    /// The referral of the walk on screen, once it is stored.
    pub fn walk_referral(&self) -> Option<i64> {
        match &self.screen {
            Screen::Walk(s) => s.referral,
            _ => None,
        }
    }

    pub fn cx(&self) -> Ctx<'_> {
        walk_cx(&self.panel, &self.session, &self.cannot_record_as)
    }

    // ----- effects -----

    // ----- keys -----

    /// A key: the overlay or screen handles it, then the runner does what it asked.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.handle_key(key);
        self.run_commands();
        // A question that waited while a field was typed in is asked once nothing else is open
        // (after this key's commands, so a save on leaving the field is part of what it asks).
        if self.overlay.is_none()
            && let Some(question) = self.asked_after_typing.take()
        {
            self.overlay = Some(Overlay::Confirm(question));
        }
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
        let Some(action) = keys::action(self.key_context(), key) else { return };
        match action {
            Action::QuitNow => self.stop(),
            Action::Quit => {
                if self.walk().is_some_and(|w| w.recorded.is_none()) {
                    self.overlay = Some(Overlay::Confirm(Confirm::Quit));
                } else if self.scrutiny_state().is_some_and(|s| s.view == ScrutinyView::Case && s.unrecorded()) {
                    self.overlay = Some(Overlay::Confirm(Confirm::LeaveReview { quit: true }));
                } else {
                    self.quit = true;
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Privacy => {
                self.privacy = !self.privacy;
                self.cmd(Command::SavePrivacy);
            }
            a => match &self.screen {
                Screen::Start => self.on_start_key(a),
                Screen::Queue(_) => self.on_queue_key(a),
                Screen::Session(_) => self.on_session_key(a),
                Screen::Walk(_) => self.on_walk_key(a),
                Screen::Recorded(_) => self.on_recorded_key(a),
                Screen::Picker => self.on_picker_key(a),
                Screen::Debrief(_) => self.on_debrief_key(a),
                Screen::Tasks(_) => self.on_tasks_key(a),
                Screen::Scrutiny(s) => match s.view {
                    ScrutinyView::Queue => self.on_scrutiny_queue_key(a),
                    ScrutinyView::Case => self.on_scrutiny_case_key(a),
                    ScrutinyView::Report => self.on_report_key(a),
                },
            },
        }
    }

    /// Which part of the key map applies now.
    pub fn key_context(&self) -> Context {
        let training = self.trainer.is_some();
        match &self.screen {
            Screen::Start => Context::Start,
            Screen::Queue(_) => Context::Queue,
            Screen::Session(_) => Context::Session,
            Screen::Walk(s) => match (s.walk.recorded.is_some(), training, s.walk.step) {
                (true, true, _) => Context::TrainingWalkDone,
                (true, false, _) => Context::WalkDone,
                (false, _, Step::Review) => Context::WalkReview,
                (false, _, Step::Record)
                    if !s.walk.can_record(walk_cx(&self.panel, &self.session, &self.cannot_record_as)) =>
                {
                    Context::WalkRecordBlocked
                }
                (false, _, Step::Record) => Context::WalkRecord,
                (false, true, _) => Context::TrainingWalk,
                (false, false, _) => Context::Walk,
            },
            Screen::Recorded(_) => Context::Recorded,
            Screen::Picker => Context::Scenarios,
            Screen::Debrief(_) => Context::Debrief,
            Screen::Tasks(_) => Context::Tasks,
            Screen::Scrutiny(s) => match s.view {
                ScrutinyView::Queue => Context::ScrutinyQueue,
                ScrutinyView::Case => Context::ScrutinyCase,
                ScrutinyView::Report => Context::Report,
            },
        }
    }

    // ----- overlays -----

    /// Stops jdp without losing anything: text in an open editor is kept in the walk (and so in
    /// its draft) first. Ctrl-C, confirmed q, SIGTERM and SIGHUP all come here.
    pub fn stop(&mut self) {
        // The editor may be open, or waiting behind "quit with unsaved typing?".
        let editor = match self.overlay.take() {
            Some(Overlay::Edit(e)) => Some(e),
            Some(Overlay::Confirm(Confirm::QuitWithTyping(e))) => Some(*e),
            _ => None,
        };
        if let Some(e) = editor
            && e.changed
            && let Target::Walk(key) = e.target
        {
            self.send(Msg::SetText(key, e.area.lines().join("\n")));
        }
        if let Some(step) = self.walk().filter(|w| w.recorded.is_none()).map(|w| w.step) {
            self.cmd(Command::SaveDraft(step));
        }
        self.run_commands();
        self.quit = true;
    }

    /// Called about twice a second: saves a draft while a long piece of typing goes on.
    pub fn tick(&mut self, now: Instant) {
        if self.overlay.is_none()
            && let Screen::Queue(q) = &mut self.screen
        {
            match q.read_at {
                Some(at) if now.duration_since(at) < QUEUE_REREAD => {}
                Some(_) => {
                    q.read_at = Some(now);
                    // The row the chair is on stays chosen, wherever it now falls.
                    q.select = q.rows.get(q.selected).map(|r| r.id);
                    self.cmd(Command::RefreshQueue);
                    self.run_commands();
                }
                None => q.read_at = Some(now),
            }
            return;
        }
        // The editor may be waiting behind "quit with unsaved typing?": its typing is saved too.
        let e = match self.overlay.as_mut() {
            Some(Overlay::Edit(e)) => e,
            Some(Overlay::Confirm(Confirm::QuitWithTyping(e))) => &mut **e,
            _ => return,
        };
        if !e.changed || now.duration_since(e.last_save) < AUTOSAVE_AFTER {
            return;
        }
        let Target::Walk(key) = e.target.clone() else { return };
        let text = e.area.lines().join("\n");
        e.last_save = now;
        if let Screen::Walk(s) = &mut self.screen {
            let effects =
                s.walk.handle(Msg::SetText(key, text), walk_cx(&self.panel, &self.session, &self.cannot_record_as));
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
