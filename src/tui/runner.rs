//! The runner: the only place in the terminal layer that reads or writes the store or a file.
//! Key handlers never do I/O; they queue a `Command`, and `App::perform` carries it out once the
//! key has been handled (atuin's driver pattern). What a command finds is written back into the
//! screen's state and the status line.

use std::collections::BTreeSet;

use chrono::Utc;

use super::app::{App, Confirm, Overlay, PAGE, RecordedScreen, Screen, ScrutinyView, walk_cx};
use super::scrutiny::empty_form;
use crate::domain::referral::Case;
use crate::store::{Correction, ReferralStatus, Store};

/// What the screen says where it needs something a server store cannot do yet.
pub const NOT_ON_A_SERVER: &str = "not yet available on a PostgreSQL store";
use crate::walk::{Effect, Msg, Step, Walk};

/// The screen setting (one per referral, "walk_focus:ID") naming where its walk was left:
/// "STEP FIELD VISITED,STEPS".
const WALK_FOCUS: &str = "walk_focus";
/// A new referral not yet complete enough to join the queue (no reference, name or offence):
/// kept here, as typed, so nothing is lost; `n` carries on with it.
const NEW_REFERRAL: &str = "new_referral";

#[derive(serde::Serialize, serde::Deserialize)]
struct PendingNew {
    step: String,
    case: Case,
}

/// What a key asks for that needs the store or the file system.
#[derive(Debug, Clone)]
pub enum Command {
    /// Opening the store: today's sitting, the queue, and a walk left in progress.
    Start,
    /// Privacy mode was switched: it stays as it is at the next start.
    SavePrivacy,
    RefreshQueue,
    /// Start a new referral, carrying on with one left unfinished.
    NewReferral,
    OpenReferral(i64),
    StartScenario(Box<crate::training::Scenario>),
    BecomeTraining,
    LoadExamples,
    Import(String),
    /// The walk's effects: drafts and the decision itself.
    Walk(Vec<Effect>),
    SaveDraft(Step),
    SaveSession,
    SaveDebrief {
        path: std::path::PathBuf,
        markdown: String,
        overwrite: bool,
    },
    Reveal,
    Release,
    RefreshReviews,
    OpenReview(i64),
    RecordReview,
    /// A member's own rating of the case open for review.
    RecordOwnRating {
        reviewer: String,
        agency: String,
        rating: String,
    },
    BuildReport,
    /// Write a letter about the current decision of the referral on screen.
    WriteLetter {
        to: crate::domain::letters::Recipient,
        path: std::path::PathBuf,
    },
    /// Read the task board afresh.
    RefreshTasks,
    /// Close a task on the board: a record in the chain.
    CloseTask {
        id: String,
        closed: crate::domain::task_board::Closed,
        by: String,
    },
}

impl App {
    /// Queues a command for the runner.
    pub fn cmd(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Carries out every queued command, including any a command queues in turn.
    pub fn run_commands(&mut self) {
        while !self.commands.is_empty() {
            let batch = std::mem::take(&mut self.commands);
            for c in batch {
                self.perform(c);
            }
        }
    }

    fn perform(&mut self, c: Command) {
        match c {
            Command::Start => self.start_up(),
            Command::SavePrivacy => {
                let on = if self.privacy { "on" } else { "off" };
                if let Err(e) = self.store.set_setting("privacy", on) {
                    self.fail(e);
                }
            }
            Command::RefreshQueue => self.refresh_queue(),
            Command::NewReferral => self.new_referral_walk(),
            Command::OpenReferral(id) => self.open_referral(id),
            Command::StartScenario(s) => self.start_scenario(*s),
            Command::BecomeTraining => self.become_training(),
            Command::LoadExamples => self.load_examples(),
            Command::Import(path) => self.import(&path),
            Command::Walk(effects) => self.run(effects),
            Command::SaveDraft(step) => self.save_draft(step),
            Command::SaveSession => self.save_session(),
            Command::SaveDebrief { path, markdown, overwrite } => self.save_debrief(path, markdown, overwrite),
            Command::Reveal => self.reveal(),
            Command::Release => self.release(),
            Command::RefreshReviews => self.refresh_reviews(),
            Command::OpenReview(id) => self.open_review(id),
            Command::RecordReview => self.record_review(),
            Command::RecordOwnRating { reviewer, agency, rating } => self.record_own_rating(reviewer, agency, rating),
            Command::BuildReport => self.build_report(),
            Command::RefreshTasks => self.refresh_tasks(),
            Command::WriteLetter { to, path } => self.write_letter(to, path),
            Command::CloseTask { id, closed, by } => self.close_task(id, closed, by),
        }
    }

    fn start_up(&mut self) {
        self.synthetic = self.store.is_synthetic().unwrap_or(false);
        // A screen left in privacy mode comes back in privacy mode, before anything is drawn.
        self.privacy = matches!(self.store.setting("privacy"), Ok(Some(v)) if v == "on");
        self.session = self.store.session_on(self.today).ok().flatten().unwrap_or_default();
        self.refresh_queue();
        if self.queue_state().is_some_and(|q| q.total == 0) {
            self.screen = Screen::Start;
        }
        if matches!(self.store.setting(NEW_REFERRAL), Ok(Some(_))) {
            self.status = Some("A new referral was left unfinished: press n to carry on with it.".into());
        }
        if let Ok(Some((id, draft))) = self.store.latest_draft() {
            let step = Step::from_id(&draft.step).map_or("the start", crate::tui::strings::step_title);
            let saved = chrono::DateTime::parse_from_rfc3339(&draft.saved_at)
                .map(|t| t.with_timezone(&chrono::Local).format("%-d %b %H:%M").to_string())
                .unwrap_or(draft.saved_at.clone());
            let reference = draft.case.referral.reference.clone();
            self.overlay =
                Some(Overlay::Confirm(Confirm::Resume { referral: id, reference, step: step.to_string(), saved }));
        }
    }

    /// Writes the letter (never over an existing file), logs the disclosure, and asks whether
    /// it has been sent.
    fn write_letter(&mut self, to: crate::domain::letters::Recipient, path: std::path::PathBuf) {
        use super::files::{WriteError, write_private};
        use crate::domain::letters::{self, LetterFormat};
        let Screen::Recorded(r) = &self.screen else { return };
        let Some(current) = r.records.iter().rev().find(|x| x.superseded_by.is_none()).cloned() else { return };
        let built_in;
        let file = match &self.letters {
            Some(f) => f,
            None => match crate::config::letters::parse_letters(
                crate::config::letters::DEFAULT_LETTERS_NAME,
                crate::config::letters::DEFAULT_LETTERS,
            ) {
                Ok(f) => {
                    built_in = f;
                    &built_in
                }
                Err(e) => return self.status = Some(format!("The letter templates cannot be read: {e}")),
            },
        };
        let (html, over) = match letters::compose(&current.snapshot, &self.panel, file, to, LetterFormat::Html) {
            Ok(x) => x,
            Err(why) => return self.status = Some(format!("No letter: {why}.")),
        };
        match write_private(&path, html.as_bytes(), false, &self.protected) {
            Ok(()) => {}
            Err(WriteError::Exists) => {
                return self.status =
                    Some(format!("Not written: {} exists already; choose another name.", path.display()));
            }
            Err(WriteError::Out(e)) => return self.status = Some(format!("Could not write the letter: {e}")),
        }
        let target = format!(
            "letter to the {} for record {} ({}), {}",
            to.id(),
            current.seq,
            current.snapshot.case.referral.reference,
            path.display()
        );
        if let Err(e) =
            self.store.log_access(&self.actor, "letter", &target, "telling people the panel's decision", Utc::now())
        {
            return self.fail(e);
        }
        if let Some(o) = over.first() {
            self.status = Some(format!("The letter is hard to read: {o}"));
        }
        let task = format!("{}/{}", current.seq, to.task());
        self.overlay = Some(Overlay::Confirm(Confirm::LetterSent { task, path }));
    }

    fn refresh_tasks(&mut self) {
        let board = match self.store.task_board(self.today) {
            Ok(b) => b,
            Err(e) => return self.fail(e),
        };
        if let Screen::Tasks(t) = &mut self.screen {
            t.tasks = board;
            t.selected = t.selected.min(t.tasks.len().saturating_sub(1));
        }
    }

    fn close_task(&mut self, id: String, closed: crate::domain::task_board::Closed, by: String) {
        let event = crate::domain::task_board::TaskEvent {
            referral_id: 0,
            decision: 0,
            task: String::new(),
            closed,
            by,
            on: self.today,
        };
        match self.store.close_task(&id, event, &self.actor, Utc::now()) {
            Ok(rec) => self.status = Some(format!("Task {id} closed (record {}).", rec.seq)),
            Err(e) => return self.fail(e),
        }
        self.refresh_tasks();
    }

    fn build_report(&mut self) {
        let Some((from, to)) = self.scrutiny_state().map(|s| (s.sample.from, s.sample.to)) else { return };
        let Some(file) = self.store.as_file() else {
            return self.status = Some(format!("The board report is {NOT_ON_A_SERVER}: jdp report --db FILE."));
        };
        match crate::report::board::build(file, &self.panel, from, to) {
            Ok(r) => {
                if let Some(s) = self.scrutiny_state_mut() {
                    s.report = Some(r);
                    s.scroll = 0;
                    s.view = ScrutinyView::Report;
                }
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    fn fail(&mut self, e: crate::store::StoreError) {
        let e = match self.store.path() {
            Some(p) => e.in_file(&p.to_path_buf()),
            None => e,
        };
        self.status = Some(format!("Not saved: {e}"));
    }

    /// Reads the queue's page afresh (only while the queue is on show: it is read again whenever
    /// it comes back), opening at the page of the referral it was asked to select.
    pub fn refresh_queue(&mut self) {
        let Screen::Queue(q) = &mut self.screen else { return };
        let (total, at) = match self.store.summary() {
            Ok(s) => (s.referrals, q.select.map(|id| self.store.referral_position(id))),
            Err(e) => return self.fail(e),
        };
        q.total = total;
        if let Some(Ok(at)) = at {
            q.offset = at / PAGE * PAGE;
        }
        let overdue = self.store.overdue_tasks(self.today);
        let rows = self.store.referral_page(q.offset, PAGE);
        let Screen::Queue(q) = &mut self.screen else { return };
        match rows {
            Ok(rows) => q.rows = rows,
            Err(e) => return self.fail(e),
        }
        match overdue {
            Ok(n) => q.tasks_overdue = n,
            Err(e) => return self.fail(e),
        }
        if let Some(id) = q.select.take() {
            q.selected = q.rows.iter().position(|r| r.id == id).unwrap_or(0);
        }
        q.selected = q.selected.min(q.rows.len().saturating_sub(1));
    }

    pub fn open_referral(&mut self, id: i64) {
        let Ok(Some(row)) = self.store.referral(id) else {
            self.status = Some("That referral could not be read.".into());
            return;
        };
        match row.status {
            ReferralStatus::Decided | ReferralStatus::Corrected => {
                let records = match self.store.decisions_for(id) {
                    Ok(all) => all,
                    Err(e) => return self.fail(e),
                };
                let target = format!("referral {}", row.referral.reference);
                if let Err(e) = self.store.log_access(&self.actor, "view", &target, "panel", Utc::now()) {
                    return self.fail(e);
                }
                // A correction left in progress is taken up where it stopped.
                let draft = self.store.correction_draft(id);
                let original = |seq: i64| records.iter().find(|r| r.seq == seq).map(|r| r.snapshot.case.clone());
                let original = draft.as_ref().ok().and_then(|d| d.as_ref()).and_then(|d| original(d.supersedes));
                self.screen = Screen::Recorded(RecordedScreen {
                    referral: id,
                    records,
                    scroll: 0,
                    max_scroll: Default::default(),
                });
                match draft {
                    Ok(Some(d)) => {
                        let step = Step::from_id(&d.step).unwrap_or(Step::Facts);
                        let mut w =
                            Walk::correction(original.unwrap_or_else(|| d.case.clone()), d.supersedes, self.today)
                                .at(step);
                        w.case = d.case;
                        w.correction_reason = d.reason;
                        let w = self.with_focus_left(w, id);
                        self.start_walk(w, Some(id));
                        self.status = Some(format!(
                            "Your correction of record {} was in progress: it is restored where you stopped.",
                            d.supersedes
                        ));
                    }
                    Ok(None) => {}
                    Err(e) => self.fail(e),
                }
            }
            _ => {
                let (case, step) = match self.store.draft(id) {
                    Ok(Some(d)) => (d.case, Step::from_id(&d.step).unwrap_or(Step::Facts)),
                    Ok(None) => (Case::new(row.referral), Step::Facts),
                    Err(e) => return self.fail(e),
                };
                let w = self.with_focus_left(Walk::new(case, self.today).at(step), id);
                self.start_walk(w, Some(id));
            }
        }
    }

    /// The walk on the field it was left on, when it was left on the step it resumes at.
    fn with_focus_left(&mut self, mut w: Walk, referral: i64) -> Walk {
        let place = self.store.setting(&format!("{WALK_FOCUS}:{referral}")).ok().flatten().unwrap_or_default();
        let mut parts = place.split(' ');
        let (Some(step), Some(focus)) = (parts.next(), parts.next()) else { return w };
        if step == w.step.id()
            && let Ok(focus) = focus.parse::<usize>()
        {
            w.focus = focus.min(w.fields(&self.panel).len().saturating_sub(1));
        }
        // The steps seen before: the step bar marks them as it did before the restart.
        w.visited.extend(parts.next().unwrap_or_default().split(',').filter_map(Step::from_id));
        w
    }

    pub fn start_scenario(&mut self, s: crate::training::Scenario) {
        let mut case = crate::training::opening_case(&s);
        // A kept training history can hold the same scenario many times over.
        let n = self.store.summary().map(|x| x.referrals).unwrap_or(0) + 1;
        case.referral.reference = format!("{}-{n}", case.referral.reference);
        let id = match self.store.add_referrals(std::slice::from_ref(&case.referral), &self.actor, Utc::now()) {
            Ok(ids) => ids[0],
            Err(e) => return self.fail(e),
        };
        if let Some(t) = self.trainer.as_mut() {
            t.current = Some(s);
            t.revealed = BTreeSet::new();
            t.released = 0;
            t.notices.clear();
        }
        self.start_walk(Walk::new(case, self.today), Some(id));
        self.status = Some("The room has the referral facts. More arrives as you reach each step.".into());
    }

    /// Leaves the live store alone and becomes a mock panel on a fresh in-memory store.
    fn become_training(&mut self) {
        let scenarios = crate::config::scenario::shipped_or_dir(std::path::Path::new("panels/training"), &self.panel)
            .into_iter()
            .filter_map(|(name, s)| s.ok().map(|s| (name, s)))
            .collect();
        let store = match Store::open_in_memory().and_then(|mut s| s.make_training().map(|()| s)) {
            Ok(s) => s,
            Err(e) => return self.fail(e),
        };
        let actor = std::mem::take(&mut self.actor);
        let protected = std::mem::take(&mut self.protected);
        *self = App::training(store, self.panel.clone(), self.today, scenarios, None);
        self.actor = actor;
        self.protected = protected;
    }

    pub fn load_examples(&mut self) {
        let text = include_str!("../../panels/examples/referrals.toml");
        let parsed = crate::config::parse_str("panels/examples/referrals.toml", text, |f| {
            crate::config::referrals::validate(f, &self.panel)
        });
        match parsed {
            Err(e) => self.status = Some(format!("The example referrals do not fit this panel definition: {e}")),
            Ok(file) => {
                let refs: Vec<&str> = file.referrals.iter().map(|r| r.reference.as_str()).collect();
                if matches!(self.store.existing_references(&refs), Ok(v) if !v.is_empty()) {
                    self.status = Some("The example referrals are already loaded.".into());
                } else {
                    match self.store.add_referrals(&file.referrals, &self.actor, Utc::now()) {
                        Ok(ids) => self.status = Some(format!("Loaded {} example referrals.", ids.len())),
                        Err(e) => self.fail(e),
                    }
                }
                self.screen = Screen::Queue(Default::default());
                self.refresh_queue();
            }
        }
    }

    fn import(&mut self, path: &str) {
        let path = std::path::Path::new(path.trim());
        match crate::config::referrals::load_referrals(path, &self.panel) {
            Err(e) => self.status = Some(e.to_string().lines().next().unwrap_or_default().to_string()),
            Ok(file) => match self.store.add_referrals(&file.referrals, &self.actor, Utc::now()) {
                Ok(ids) => self.status = Some(format!("Imported {} referral(s) from {}.", ids.len(), path.display())),
                Err(e) => self.fail(e),
            },
        }
        self.refresh_queue();
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::SaveDraft { step } => self.save_draft(step),
                Effect::RecordDecision(snap) => {
                    let Some(id) = self.walk_referral() else { continue };
                    let correction =
                        self.walk().and_then(|w| w.correction_of.map(|seq| (seq, w.correction_reason.clone())));
                    let result = self.store.record_decision(
                        id,
                        &snap,
                        correction.as_ref().map(|(seq, reason)| Correction { supersedes: *seq, reason }),
                        &self.actor,
                        Utc::now(),
                    );
                    let msg = match result {
                        Ok(rec) => {
                            // A live store's head is signed at once, for the minutes; a store in
                            // memory (training) has nothing to minute.
                            let signed = match self.store.as_file() {
                                Some(file) if self.db_path.is_some() && !self.training => {
                                    match crate::signing::Signer::load_or_create(&crate::signing::key_dir())
                                        .and_then(|s| s.sign_head(file, Utc::now()))
                                    {
                                        Ok(h) => format!(" Minute the head: {}", h.head.minute()),
                                        Err(e) => format!(" The head could not be signed: {e}"),
                                    }
                                }
                                // On a server the head is not signed yet (jdp sign is not
                                // available there): the head to minute is the record itself.
                                None => format!(" Minute the head: {}:{}", rec.seq, rec.hash_hex()),
                                Some(_) => String::new(),
                            };
                            self.status = Some(format!("Recorded as record {}.{signed}", rec.seq));
                            Msg::Recorded { seq: rec.seq, hash: rec.hash_hex() }
                        }
                        Err(e) => Msg::RecordFailed(format!("Not recorded: {e}")),
                    };
                    if let Screen::Walk(s) = &mut self.screen {
                        s.walk.handle(msg, walk_cx(&self.panel, &self.session));
                    }
                }
            }
        }
    }

    fn save_draft(&mut self, step: Step) {
        self.save_draft_only(step);
        // Where the chair was, so a resumed walk comes back on the same field (screen state,
        // kept beside the draft, never in it).
        if let Screen::Walk(ws) = &self.screen
            && let Some(id) = ws.referral
        {
            let visited: Vec<&str> = ws.walk.visited.iter().map(|s| s.id()).collect();
            let place = format!("{} {} {}", ws.walk.step.id(), ws.walk.focus, visited.join(","));
            if let Err(e) = self.store.set_setting(&format!("{WALK_FOCUS}:{id}"), &place) {
                self.fail(e);
            }
        }
    }

    fn new_referral_walk(&mut self) {
        let pending = self.store.setting(NEW_REFERRAL).ok().flatten();
        match pending.and_then(|p| serde_json::from_str::<PendingNew>(&p).ok()) {
            Some(p) => {
                let step = Step::from_id(&p.step).unwrap_or(Step::Facts);
                self.start_walk(Walk::new(p.case, self.today).at(step), None);
                self.status = Some("The new referral you left unfinished, as you left it.".into());
            }
            None => self.blank_referral(),
        }
    }

    fn save_draft_only(&mut self, step: Step) {
        // Field by field, so the walk on screen and the store can be borrowed together.
        let Screen::Walk(ws) = &mut self.screen else { return };
        let w = &ws.walk;
        if let (Some(supersedes), Some(id)) = (w.correction_of, ws.referral) {
            // A correction in progress is kept apart: the recorded original stays as it is.
            let d = crate::store::CorrectionDraft {
                supersedes,
                reason: w.correction_reason.clone(),
                step: step.id().to_string(),
                case: w.case.clone(),
                saved_at: String::new(),
            };
            if let Err(e) = self.store.save_correction_draft(id, &d, Utc::now()) {
                self.fail(e);
            }
            return;
        }
        if ws.referral.is_none() {
            // A new referral is stored once its facts are complete enough to identify it;
            // until then it is kept aside as typed.
            let r = &w.case.referral;
            if !r.is_identifiable() {
                let pending = PendingNew { step: step.id().to_string(), case: w.case.clone() };
                let kept = crate::store::json(&pending).and_then(|j| self.store.set_setting(NEW_REFERRAL, &j));
                if let Err(e) = kept {
                    self.fail(e);
                }
                return;
            }
            let added = self
                .store
                .add_referrals(std::slice::from_ref(r), &self.actor, Utc::now())
                .and_then(|ids| self.store.remove_setting(NEW_REFERRAL).map(|()| ids));
            match added {
                Ok(ids) => ws.referral = ids.first().copied(),
                Err(e) => return self.fail(e),
            }
        }
        let Some(id) = ws.referral else { return };
        if let Err(e) = self.store.save_draft_as(id, step.id(), &ws.walk.case, &self.actor, Utc::now()) {
            self.fail(e);
        }
    }

    fn save_session(&mut self) {
        if let Err(e) = self.store.save_session(&self.session, self.today, Utc::now()) {
            self.fail(e);
        }
    }

    fn save_debrief(&mut self, path: std::path::PathBuf, md: String, overwrite: bool) {
        use super::files::{WriteError, write_private};
        self.status = Some(match write_private(&path, md.as_bytes(), overwrite, &self.protected) {
            Ok(()) => format!("Debrief saved to {} (readable by you only).", path.display()),
            Err(WriteError::Exists) => {
                self.overlay = Some(Overlay::Confirm(Confirm::Overwrite { path, markdown: md }));
                return;
            }
            Err(WriteError::Out(e)) => format!("Could not save the debrief: {e}"),
        });
    }

    fn reveal(&mut self) {
        let (Some(t), Screen::Walk(ws)) = (self.trainer.as_mut(), &mut self.screen) else { return };
        let w = &mut ws.walk;
        let Some(s) = &t.current else { return };
        if let Some(msg) = crate::training::reveal(&mut w.case, s, w.step, &mut t.revealed) {
            self.status = Some(msg);
            let step = w.step;
            self.save_draft(step);
        }
    }

    fn release(&mut self) {
        let (Some(t), Screen::Walk(ws)) = (self.trainer.as_mut(), &mut self.screen) else { return };
        let w = &mut ws.walk;
        let Some(s) = &t.current else { return };
        match crate::training::release(&mut w.case, s, w.step, &mut t.released) {
            None => self.status = Some("Nothing more to release on this step.".into()),
            Some((title, text)) => {
                // The room cannot miss it: a panel now, and a mark on the step afterwards.
                t.notices.push((w.step, title.clone(), text.clone()));
                self.overlay = Some(Overlay::Notice { title, text });
                let step = w.step;
                self.save_draft(step);
            }
        }
    }
    fn refresh_reviews(&mut self) {
        let Some(file) = self.store.as_file() else {
            return self.status = Some(format!("The scrutiny screen is {NOT_ON_A_SERVER}."));
        };
        // One lookup a row: the review that stands for each case.
        let reviews = crate::scrutiny::standing_reviews(crate::scrutiny::reviews(file).unwrap_or_default());
        // The rows' offence, outcome, score, age and month, once, from the records' columns.
        let missing: Vec<i64> = match &self.screen {
            Screen::Scrutiny(s) if s.rows.len() <= super::scrutiny::SUMMARISED_UP_TO => {
                s.rows.iter().filter(|r| r.summary.is_none()).map(|r| r.id).collect()
            }
            Screen::Scrutiny(_) => Vec::new(),
            _ => return,
        };
        let summaries = if missing.is_empty() {
            Vec::new()
        } else {
            match file.decision_summaries(&missing) {
                Ok(v) => v,
                Err(e) => return self.fail(e),
            }
        };
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        let mut by_seq: std::collections::HashMap<i64, _> = summaries.into_iter().map(|x| (x.seq, x)).collect();
        for row in &mut s.rows {
            if let Some(sum) = by_seq.remove(&row.id) {
                row.summary = Some(Box::new(sum));
            }
        }
        for row in &mut s.rows {
            row.reviewed =
                reviews.get(&(s.sample_seq, row.id)).map(|(_, r)| self.panel.rating_label(&r.rating).to_string());
        }
    }

    fn open_review(&mut self, id: i64) {
        let row = match self.store.decision(id) {
            Ok(Some(row)) => row,
            Ok(None) => return self.status = Some(format!("Record {id} is not a decision.")),
            Err(e) => return self.status = Some(e.to_string()),
        };
        if let Err(e) =
            self.store.log_access(&self.actor, "view", &format!("record {id}"), "scrutiny review", Utc::now())
        {
            return self.status = Some(e.to_string());
        }
        // A correction is read with the record it corrects, so the reviewer sees what changed.
        let correction = match (row.supersedes, row.correction_reason) {
            (Some(of), Some(why)) => match self.store.decision(of) {
                Ok(Some(original)) => Some((why, original.snapshot)),
                Ok(None) => None,
                Err(e) => return self.status = Some(e.to_string()),
            },
            _ => None,
        };
        let Some(file) = self.store.as_file() else {
            return self.status = Some(format!("The scrutiny screen is {NOT_ON_A_SERVER}."));
        };
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        s.form = empty_form(s.sample_seq, id);
        s.actions_text.clear();
        // A case reviewed before opens with its review: recording again replaces it as the one
        // that stands (both stay in the chain).
        if let Some((seq, earlier)) =
            crate::scrutiny::standing_reviews(crate::scrutiny::reviews(file).unwrap_or_default())
                .remove(&(s.sample_seq, id))
        {
            // Its actions were recorded with it and are tracked on their own (closing one is a
            // record): recording again adds only new actions, never the old ones a second time.
            let agreed = earlier.actions.len();
            s.form = earlier;
            s.form.actions.clear();
            self.status = Some(format!(
                "Reviewed before (record {seq}): its review is shown; recording again replaces it as the review that stands. \
                 Its {agreed} action(s) stay as agreed (jdp scrutiny actions); add only new ones."
            ));
        }
        s.focus = 0;
        s.scroll = 0;
        s.case = Some(super::scrutiny::ReviewCase {
            id,
            snapshot: row.snapshot,
            correction,
            max_scroll: Default::default(),
            blind: Vec::new(),
            revealed: false,
        });
        s.view = ScrutinyView::Case;
        self.refresh_own_ratings();
    }

    /// Takes a member's own rating of the open case, checked by the same rules as a returned
    /// ratings file, and shows only that it was given.
    fn record_own_rating(&mut self, reviewer: String, agency: String, rating: String) {
        let Some(s) = self.scrutiny_state() else { return };
        let Some(decision) = s.case.as_ref().map(|c| c.id) else { return };
        let seq = s.sample_seq;
        let sample = s.sample.clone();
        let Some(file) = self.store.as_file() else {
            return self.status = Some(format!("Own ratings are {NOT_ON_A_SERVER}."));
        };
        let own = match crate::scrutiny::own_ratings(file, seq, &sample) {
            Ok(o) => o,
            Err(e) => return self.status = Some(format!("Not kept: {e}")),
        };
        let id = decision.to_string();
        let row = [id.as_str(), reviewer.as_str(), agency.as_str(), rating.as_str(), ""];
        let taken = match crate::domain::ratings::check(&row, &own.against(&self.panel, seq)) {
            Ok(t) => t,
            Err(problems) => {
                let why: Vec<String> = problems.into_iter().map(|p| format!("expected {}", p.expected)).collect();
                return self.status = Some(format!("Own rating not kept: {}.", why.join("; ")));
            }
        };
        let b = crate::scrutiny::BlindRating {
            sample: seq,
            decision,
            reviewer: reviewer.clone(),
            agency: taken.agency,
            rating: taken.rating,
            observations: String::new(),
        };
        if let Err(e) = crate::scrutiny::record_blind_ratings(file, &[b], &self.actor, Utc::now()) {
            return self.status = Some(format!("Not kept: {e}"));
        }
        self.refresh_own_ratings();
        let given = self.scrutiny_state().and_then(|s| s.case.as_ref()).map_or(0, |c| c.blind.len());
        self.status = Some(format!("{reviewer}'s own rating is kept, hidden ({given} given)."));
    }

    /// The open case's own ratings, read again from the store.
    fn refresh_own_ratings(&mut self) {
        let Some(file) = self.store.as_file() else { return };
        let blind = crate::scrutiny::blind_ratings(file).unwrap_or_default();
        let Some(s) = self.scrutiny_state_mut() else { return };
        let seq = s.sample_seq;
        if let Some(c) = s.case.as_mut() {
            c.blind = blind.into_iter().map(|(_, b)| b).filter(|b| b.sample == seq && b.decision == c.id).collect();
        }
    }

    fn record_review(&mut self) {
        let Some(s) = self.scrutiny_state() else { return };
        if s.form.rating.is_empty() {
            return self.status = Some("Choose a rating first.".into());
        }
        if s.form.reviewers.is_empty() {
            return self.status = Some("Record the reviewers present.".into());
        }
        let mut form = s.form.clone();
        form.actions = match super::scrutiny::parse_actions(&s.actions_text) {
            Ok(a) => a,
            Err(e) => return self.status = Some(format!("Not recorded: {e}")),
        };
        let Some(file) = self.store.as_file() else {
            return self.status = Some(format!("Not recorded: reviews on the screen are {NOT_ON_A_SERVER}."));
        };
        match crate::scrutiny::record_review(file, &form, &self.actor, Utc::now()) {
            Ok(rec) => {
                self.status = Some(format!("Review recorded as record {}.", rec.seq));
                self.refresh_reviews();
                if let Some(s) = self.scrutiny_state_mut() {
                    s.case = None;
                    s.view = ScrutinyView::Queue;
                }
            }
            Err(e) => self.status = Some(format!("Not recorded: {e}")),
        }
    }
}
