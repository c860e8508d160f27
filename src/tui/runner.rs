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

/// What the screen says when the server cannot be reached ({what}: saved or recorded).
const UNREACHABLE_KEPT: &str = "Not {what}: the server cannot be reached — your draft is kept on this machine. It is saved when the server is back.";

/// A stored time (RFC 3339) as the people in the room read it: "14:02" today, else "3 Dec 14:02".
fn local_time(stamp: &str, today: chrono::NaiveDate) -> String {
    super::strings::local_time(stamp, today, "%-d %b %H:%M").unwrap_or_else(|| stamp.to_string())
}
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
    /// What every screen reads first: whether the store is synthetic, and this screen's privacy
    /// mode as it was left.
    ScreenSettings,
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
    /// Another workstation saved the case: show its version, the typing on screen staying kept
    /// on this machine (offered at the next start) or let go at once.
    Reload {
        referral: i64,
        keep_yours: bool,
    },
    /// Another workstation saved the case: save the version on screen over theirs, as asked.
    SaveOver(Step),
    /// Carry on with typing kept on this machine.
    RestoreKept(Option<i64>),
    /// Discard typing kept on this machine, as asked.
    ForgetKept(Option<i64>),
}

impl App {
    /// The store is held in memory only (a mock panel), neither a file nor a server: leaving
    /// ends it. Asked of the store here, where the store is touched.
    pub(crate) fn held_in_memory(&self) -> bool {
        self.db_path.is_none() && self.store.login().is_none()
    }

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
            Command::ScreenSettings => self.screen_settings(),
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
            Command::Reload { referral: id, keep_yours } => {
                let forgotten = if keep_yours { Ok(()) } else { self.forget_kept(Some(id)) };
                self.kept.remove(&Some(id));
                // Their version, on this desk's own step and field: the stored step is where
                // the other desk was.
                let here = self.walk().map(|w| (w.step, w.focus, w.visited.clone()));
                self.open_referral(id);
                if let (Some((step, focus, visited)), Screen::Walk(s)) = (here, &mut self.screen) {
                    let w = &mut s.walk;
                    w.step = step;
                    w.visited.extend(visited);
                    w.focus = focus.min(w.fields(&self.panel).len().saturating_sub(1));
                }
                // A correction's opening names whose it is; either way, say where theirs and ours are.
                let whose = match (self.walk().is_some_and(|w| w.correction_of.is_some()), self.status.take()) {
                    (true, Some(said)) => said,
                    _ => "Their version is on screen.".into(),
                };
                let yours = match (keep_yours, forgotten) {
                    (true, _) => "Yours stays kept on this machine and is offered back when jdp next opens.".into(),
                    (false, Ok(())) => "Yours is discarded.".into(),
                    (false, Err(e)) => e,
                };
                self.status = Some(format!("{whose} {yours}"));
            }
            Command::SaveOver(step) => {
                // Read their version's number, then save over it: asked for, never silent.
                if let Some(id) = self.walk_referral() {
                    let correcting = self.walk().is_some_and(|w| w.correction_of.is_some());
                    let read = if correcting {
                        self.store.correction_draft(id).map(drop)
                    } else {
                        self.store.draft(id).map(drop)
                    };
                    if let Err(e) = read {
                        return self.fail(e);
                    }
                }
                self.save_draft(step);
            }
            Command::RestoreKept(id) => self.restore_kept(id),
            Command::ForgetKept(id) => {
                self.status = Some(match self.forget_kept(id) {
                    Ok(()) => "The typing kept on this machine is discarded.".into(),
                    Err(e) => e,
                });
                self.kept.remove(&id);
            }
        }
    }

    fn screen_settings(&mut self) {
        self.synthetic = self.store.is_synthetic().unwrap_or(false);
        // A screen left in privacy mode comes back in privacy mode, before anything is drawn.
        self.privacy = matches!(self.store.setting("privacy"), Ok(Some(v)) if v == "on");
    }

    fn start_up(&mut self) {
        self.screen_settings();
        self.session = self.store.session_on(self.today).ok().flatten().unwrap_or_default();
        // On a server, the header names the login and where it works.
        let login = self.store.login().map(str::to_string);
        self.signed_in = login.as_ref().map(|l| match self.store.place() {
            Some(place) => format!("{l} · {place}"),
            None => l.clone(),
        });
        // A login the server will not let record (a member's) is told so before any walk
        // offers to record; the server's grants still decide.
        self.cannot_record_as = login.filter(|_| matches!(self.store.records_decisions(), Ok(false)));
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

    /// This machine's journal for the store: typing kept there is offered back, before any
    /// other question (it is nowhere else).
    pub fn with_journal(mut self, path: std::path::PathBuf) -> Self {
        self.journal = Some(path);
        self.offer_kept();
        self
    }

    fn offer_kept(&mut self) {
        let kept = self.journal.as_deref().map(super::files::journal_read);
        match kept {
            Some(Ok(all)) => {
                if let Some(k) = all.into_iter().next() {
                    let step = Step::from_id(&k.step).map_or("the start", crate::tui::strings::step_title);
                    // What was typed as the reference (a new referral may have none yet),
                    // made safe for the terminal: the journal is a file like any other.
                    let reference = match k.reference.trim() {
                        "" => "a new referral".to_string(),
                        r => crate::domain::text::escape_for_terminal(r).into_owned(),
                    };
                    self.overlay = Some(Overlay::Confirm(Confirm::Kept {
                        referral: k.referral,
                        reference,
                        step: step.to_string(),
                        kept_at: local_time(&k.kept_at, self.today),
                        why: k.why,
                    }));
                }
            }
            Some(Err(e)) => self.status = Some(format!("The typing kept on this machine cannot be read: {e}")),
            None => {}
        }
    }

    /// Keeps the typing on screen in this machine's journal, saying why.
    fn keep_here(&mut self, step: Step, why: String) -> bool {
        let Some(path) = self.journal.clone() else { return false };
        let Screen::Walk(ws) = &self.screen else { return false };
        let referral = ws.referral;
        let w = &ws.walk;
        let k = super::files::Kept {
            referral,
            reference: w.case.referral.reference.clone(),
            step: step.id().to_string(),
            case: w.case.clone(),
            correction: w.correction_of.map(|seq| (seq, w.correction_reason.clone())),
            kept_at: Utc::now().to_rfc3339(),
            why,
        };
        match super::files::journal_keep(&path, k, &self.protected) {
            Ok(()) => {
                self.kept.insert(referral);
                true
            }
            Err(e) => {
                self.status = Some(format!("Not saved, and it could not be kept on this machine either: {e}"));
                false
            }
        }
    }

    /// Lets go of the typing kept on this machine for `referral` (`Err`: why it could not).
    fn forget_kept(&self, referral: Option<i64>) -> Result<(), String> {
        let Some(path) = &self.journal else { return Ok(()) };
        super::files::journal_forget(path, referral, &self.protected)
            .map_err(|e| format!("The kept typing could not be discarded: {e}"))
    }

    /// The case reached the store (saved or recorded): the typing kept here for it, if any, is
    /// no longer needed.
    fn settle_kept(&mut self, referral: Option<i64>) {
        if self.kept.remove(&referral)
            && let Some(path) = self.journal.clone()
            && let Err(e) = super::files::journal_forget(&path, referral, &self.protected)
        {
            self.status = Some(format!("Saved; the copy kept on this machine could not be removed: {e}"));
        }
    }

    /// What a save or record to the store came to: a lost server keeps the typing here; a case
    /// saved elsewhere meanwhile keeps it here and asks; saved, it settles the journal.
    fn after_save(&mut self, referral: Option<i64>, step: Step, result: crate::store::Result<()>) {
        use crate::store::StoreError;
        match result {
            Ok(()) => self.settle_kept(referral),
            Err(StoreError::DraftChanged { referral_id: referral, saved_at, saved_by }) => {
                let by = if saved_by.is_empty() { "another screen".to_string() } else { saved_by };
                let by = crate::domain::text::escape_for_terminal(&by).into_owned();
                let at = local_time(&saved_at, self.today);
                self.keep_here(step, format!("changed by {by} at {at}"));
                let question = Confirm::Reload { referral, by: by.clone(), at: at.clone() };
                if matches!(self.overlay, Some(Overlay::Edit(_))) {
                    // Typing goes on: asked when the field is left, never answered by a letter.
                    self.status = Some(format!(
                        "Changed by {by} at {at}: you will be asked when you leave this field (your typing is kept on this machine)."
                    ));
                    self.asked_after_typing = Some(question);
                } else {
                    self.asked_after_typing = None;
                    self.overlay = Some(Overlay::Confirm(question));
                }
            }
            Err(StoreError::Unreachable(_)) => {
                let kept = self.keep_here(step, "the server could not be reached".into());
                if kept {
                    self.status = Some(UNREACHABLE_KEPT.replace("{what}", "saved"));
                }
            }
            Err(e) => self.fail(e),
        }
    }

    /// Carries on with typing kept on this machine: the case opened as the store has it, then
    /// the kept typing put back on screen. If someone else's version is in the store, the
    /// question is asked again before anything is saved over it.
    fn restore_kept(&mut self, id: Option<i64>) {
        let Some(path) = self.journal.clone() else { return };
        let k = match super::files::journal_read(&path) {
            Ok(all) => all.into_iter().find(|e| e.referral == id),
            Err(e) => return self.status = Some(format!("The typing kept on this machine cannot be read: {e}")),
        };
        let Some(k) = k else { return };
        let step = Step::from_id(&k.step).unwrap_or(Step::Facts);
        let Some(id) = id else {
            // A new referral the store never had: carried on with as typed, and stored now.
            self.start_walk(Walk::new(k.case, self.today).at(step), None);
            self.kept.insert(None);
            return self.save_restored(None, step);
        };
        self.open_referral(id);
        match &k.correction {
            None => match &mut self.screen {
                Screen::Walk(ws) if ws.walk.correction_of.is_none() => {
                    ws.walk.case = k.case;
                    ws.walk.step = step;
                    ws.walk.focus = 0;
                }
                _ => {
                    return self.status = Some(format!(
                        "{} was recorded meanwhile: the typing kept on this machine stays there (d discards it when offered).",
                        k.reference
                    ));
                }
            },
            Some((supersedes, reason)) => {
                let original = match self.store.decisions_for(id) {
                    Ok(rows) => rows.into_iter().find(|r| r.seq == *supersedes).map(|r| r.snapshot.case),
                    Err(e) => return self.fail(e),
                };
                let Some(original) = original else { return };
                let mut w = Walk::correction(original, *supersedes, self.today).at(step);
                w.case = k.case;
                w.correction_reason = reason.clone();
                self.start_walk(w, Some(id));
            }
        }
        self.kept.insert(Some(id));
        if k.correction.is_none()
            && let Ok(Some(d)) = self.store.draft(id)
            && !d.saved_by.is_empty()
            && d.saved_by != self.actor
        {
            let by = crate::domain::text::escape_for_terminal(&d.saved_by).into_owned();
            let at = local_time(&d.saved_at, self.today);
            self.status = Some("Your kept typing is on screen; the store has another version.".into());
            self.overlay = Some(Overlay::Confirm(Confirm::Reload { referral: id, by, at }));
            return;
        }
        self.save_restored(Some(id), step);
    }

    /// Saves typing restored from the journal; saved (the journal settled), says so, unless the
    /// save had something else to say.
    fn save_restored(&mut self, kept: Option<i64>, step: Step) {
        self.save_draft(step);
        if !self.kept.contains(&kept) && self.status.is_none() {
            self.status = Some("The typing kept on this machine is back, and saved to the store.".into());
        }
    }

    /// Writes the letter (never over an existing file), logs the disclosure, and asks whether
    /// it has been sent.
    fn write_letter(&mut self, to: crate::domain::letters::Recipient, path: std::path::PathBuf) {
        use super::files::{WriteError, write_private};
        use crate::domain::letters::{self, LetterFormat};
        // The referral's current decision: from the recorded-decision screen, or the one the
        // walk has just recorded.
        let current = match &self.screen {
            Screen::Recorded(r) => {
                r.records.iter().rev().find(|x| x.superseded_by.is_none()).map(|x| (x.seq, x.snapshot.clone()))
            }
            Screen::Walk(w) => w.walk.recorded.as_ref().map(|r| (r.seq, r.snapshot.clone())),
            _ => None,
        };
        let Some((seq, snapshot)) = current else { return };
        let built_in;
        let file = match &self.letters {
            Some(f) => f,
            None => match crate::config::letters::built_in_letters() {
                Ok(f) => {
                    built_in = f;
                    &built_in
                }
                Err(e) => return self.status = Some(format!("The letter templates cannot be read: {e}")),
            },
        };
        let (html, over) = match letters::compose(&snapshot, &self.panel, file, to, LetterFormat::Html) {
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
            seq,
            snapshot.case.referral.reference,
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
        let task = crate::domain::task_board::task_id(seq, to.task());
        self.overlay = Some(Overlay::Confirm(Confirm::LetterSent { task, to, path }));
    }

    fn refresh_tasks(&mut self) {
        match self.store.task_board(self.today) {
            Ok(board) => self.show_board(board),
            Err(e) => self.fail(e),
        }
    }

    fn show_board(&mut self, board: Vec<crate::domain::task_board::BoardTask>) {
        if let Screen::Tasks(t) = &mut self.screen {
            t.tasks = board;
            t.selected = t.selected.min(t.tasks.len().saturating_sub(1));
        }
    }

    fn close_task(&mut self, id: String, closed: crate::domain::task_board::Closed, by: String) {
        let closed_as = closed.clone();
        let event = crate::domain::task_board::TaskEvent {
            referral_id: 0,
            decision: 0,
            task: String::new(),
            closed,
            by,
            on: self.today,
        };
        let letter = match closed_as {
            crate::domain::task_board::Closed::LetterSent { to } => Some(to),
            _ => None,
        };
        let rec = match self.store.close_task(&id, event, &self.actor, Utc::now()) {
            Ok(rec) => rec,
            Err(e) => return self.fail(e),
        };
        // Where the task stands now, as the board derives it (a letter may leave it open): the
        // board read once, for the message and the task screen.
        let board = match self.store.task_board(self.today) {
            Ok(b) => b,
            Err(e) => return self.fail(e),
        };
        let open = letter.and_then(|to| crate::domain::task_board::letter_left_open(&board, &id, to, rec.seq));
        self.status = Some(open.unwrap_or_else(|| format!("Task {id} closed (record {}).", rec.seq)));
        self.show_board(board);
    }

    fn build_report(&mut self) {
        let Some((from, to)) = self.scrutiny_state().map(|s| (s.sample.from, s.sample.to)) else { return };
        let built = crate::report::board::build(&*self.store.as_chain(), &self.panel, from, to);
        match built {
            Ok(r) => {
                if let Some(s) = self.scrutiny_state_mut() {
                    s.report = Some(r);
                    s.scroll = 0;
                    s.view = ScrutinyView::Report;
                }
            }
            // A scrutiny login may not read the dates the report's timeliness needs.
            Err(e @ crate::store::StoreError::NotPermitted(_)) => {
                self.status = Some(format!(
                    "The board report reads the decisions' dates, which this login may not read: a chair, member \
                     or admin makes it (jdp report). ({e})"
                ))
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    fn fail(&mut self, e: crate::store::StoreError) {
        let e = match self.store.path() {
            Some(p) => e.in_file(p),
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
                        // Saved by someone else (another chair's desk): say whose it is.
                        self.status = Some(if d.saved_by.is_empty() || d.saved_by == self.actor {
                            format!(
                                "Your correction of record {} was in progress: it is restored where you stopped.",
                                d.supersedes
                            )
                        } else {
                            format!(
                                "{}'s correction of record {} is in progress: it is on screen as they left it.",
                                crate::domain::text::escape_for_terminal(&d.saved_by),
                                d.supersedes
                            )
                        });
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
                    // A server lost at an earlier attempt is connected again first.
                    let reconnected = self.store.reconnect();
                    let result = reconnected.and_then(|()| {
                        self.store.record_decision(
                            id,
                            &snap,
                            correction.as_ref().map(|(seq, reason)| Correction { supersedes: *seq, reason }),
                            &self.actor,
                            Utc::now(),
                        )
                    });
                    let msg = match result {
                        Ok(rec) => {
                            // A live store's head (a file's or a server's) is signed at once,
                            // for the minutes; a store in memory (training) has nothing to minute.
                            let live = !self.held_in_memory() && !self.training;
                            let signed = if live {
                                match crate::signing::Signer::load_or_create(&self.key_dir)
                                    .and_then(|s| s.sign_head(&mut *self.store, Utc::now()))
                                {
                                    Ok(h) => format!(" Minute the head: {}", h.head.minute()),
                                    Err(e) => format!(" The head could not be signed: {e}"),
                                }
                            } else {
                                String::new()
                            };
                            self.status = Some(format!("Recorded as record {}.{signed}", rec.seq));
                            self.settle_kept(Some(id));
                            Msg::Recorded { seq: rec.seq, hash: rec.hash_hex() }
                        }
                        Err(crate::store::StoreError::Unreachable(_)) => {
                            let step = self.walk().map_or(crate::walk::Step::Record, |w| w.step);
                            if self.keep_here(step, "the server could not be reached when recording".into()) {
                                Msg::RecordFailed(UNREACHABLE_KEPT.replace("{what}", "recorded"))
                            } else {
                                Msg::RecordFailed(
                                    "Not recorded: the server cannot be reached — nothing could be kept on this machine."
                                        .into(),
                                )
                            }
                        }
                        // Another desk saved a version this screen has not seen: asked, as a
                        // save is (their version, or ours over it), and ours kept here meanwhile.
                        Err(crate::store::StoreError::DraftChanged { referral_id, saved_at, saved_by }) => {
                            let step = self.walk().map_or(crate::walk::Step::Record, |w| w.step);
                            // The time as the question beside it gives it (a time already shown
                            // is shown as it is, there and in the refusal).
                            let saved_at = local_time(&saved_at, self.today);
                            let e = crate::store::StoreError::DraftChanged { referral_id, saved_at, saved_by };
                            let why =
                                format!("Not recorded: {}", crate::domain::text::escape_for_terminal(&e.to_string()));
                            self.after_save(Some(id), step, Err(e));
                            Msg::RecordFailed(why)
                        }
                        Err(e) => Msg::RecordFailed(format!("Not recorded: {e}")),
                    };
                    if let Screen::Walk(s) = &mut self.screen {
                        s.walk.handle(msg, walk_cx(&self.panel, &self.session, &self.cannot_record_as));
                    }
                }
            }
        }
    }

    fn save_draft(&mut self, step: Step) {
        if !self.save_draft_only(step) {
            return;
        }
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

    /// Saves the walk on screen to the store; whether it was saved.
    fn save_draft_only(&mut self, step: Step) -> bool {
        // A server lost at an earlier attempt: connect again first (still lost, the typing is
        // kept). Connected, or a file, this does nothing.
        if let Err(e) = self.store.reconnect() {
            if !matches!(self.screen, Screen::Walk(_)) {
                self.fail(e);
                return false;
            }
            self.after_save(self.walk_referral(), step, Err(e));
            return false;
        }
        // Field by field, so the walk on screen and the store can be borrowed together.
        let Screen::Walk(ws) = &mut self.screen else { return false };
        let w = &ws.walk;
        if let (Some(supersedes), Some(id)) = (w.correction_of, ws.referral) {
            // A correction in progress is kept apart: the recorded original stays as it is.
            let d = crate::store::CorrectionDraft {
                supersedes,
                reason: w.correction_reason.clone(),
                step: step.id().to_string(),
                case: w.case.clone(),
                saved_at: String::new(),
                saved_by: String::new(),
            };
            let saved = self.store.save_correction_draft(id, &d, &self.actor, Utc::now());
            let ok = saved.is_ok();
            self.after_save(Some(id), step, saved);
            return ok;
        }
        let new = ws.referral.is_none();
        if new {
            // A new referral is stored once its facts are complete enough to identify it;
            // until then it is kept aside as typed.
            let r = &w.case.referral;
            if !r.is_identifiable() {
                let pending = PendingNew { step: step.id().to_string(), case: w.case.clone() };
                let kept = crate::store::json(&pending).and_then(|j| self.store.set_setting(NEW_REFERRAL, &j));
                let ok = kept.is_ok();
                self.after_save(None, step, kept);
                return ok;
            }
            let added = self
                .store
                .add_referrals(std::slice::from_ref(r), &self.actor, Utc::now())
                .and_then(|ids| self.store.remove_setting(NEW_REFERRAL).map(|()| ids));
            match added {
                Ok(ids) => ws.referral = ids.first().copied(),
                Err(e) => {
                    self.after_save(None, step, Err(e));
                    return false;
                }
            }
        }
        let Some(id) = ws.referral else { return false };
        let saved = self.store.save_draft_as(id, step.id(), &ws.walk.case, &self.actor, Utc::now());
        let ok = saved.is_ok();
        if new {
            // In the store now: what was kept here as a new referral is settled (anything not
            // saved of its draft is kept under its referral next).
            self.settle_kept(None);
        }
        self.after_save(Some(id), step, saved);
        ok
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
        // One lookup a row: the review that stands for each case.
        let reviews =
            crate::scrutiny::standing_reviews(crate::scrutiny::reviews(&*self.store.as_chain()).unwrap_or_default());
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
            match self.store.decision_summaries(&missing) {
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
        // As a reviewer reads it: on a server, what was kept for scrutiny logins, never the
        // record's body. A correction comes with what it changed.
        let case = match self.store.anonymised_case(id, &self.panel) {
            Ok(Some(case)) => case,
            Ok(None) => return self.status = Some(format!("Record {id} is not a decision.")),
            Err(e) => return self.status = Some(e.to_string()),
        };
        if let Err(e) =
            self.store.log_access(&self.actor, "view", &format!("record {id}"), "scrutiny review", Utc::now())
        {
            return self.status = Some(e.to_string());
        }
        let standing =
            crate::scrutiny::standing_reviews(crate::scrutiny::reviews(&*self.store.as_chain()).unwrap_or_default());
        let Screen::Scrutiny(s) = &mut self.screen else { return };
        s.form = empty_form(s.sample_seq, id);
        s.actions_text.clear();
        // A case reviewed before opens with its review: recording again replaces it as the one
        // that stands (both stay in the chain).
        if let Some((seq, earlier)) = standing.get(&(s.sample_seq, id)).cloned() {
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
            case,
            max_scroll: Default::default(),
            blind: Vec::new(),
            revealed: false,
            opened: s.form.clone(),
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
        let mut chain = self.store.as_chain();
        let own = match crate::scrutiny::own_ratings(&*chain, seq, &sample) {
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
        let kept = crate::scrutiny::record_blind_ratings(&mut *chain, &[b], &self.actor, Utc::now());
        drop(chain);
        if let Err(e) = kept {
            return self.status = Some(format!("Not kept: {e}"));
        }
        self.refresh_own_ratings();
        let given = self.scrutiny_state().and_then(|s| s.case.as_ref()).map_or(0, |c| c.blind.len());
        self.status = Some(format!("{reviewer}'s own rating is kept, hidden ({given} given)."));
    }

    /// The open case's own ratings, read again from the store.
    fn refresh_own_ratings(&mut self) {
        let blind = crate::scrutiny::blind_ratings(&*self.store.as_chain()).unwrap_or_default();
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
        let recorded = crate::scrutiny::record_review(&mut *self.store.as_chain(), &form, &self.actor, Utc::now());
        match recorded {
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
