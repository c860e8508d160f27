//! The task board: where each follow-up task of every recorded decision stands. Derived, never
//! stored: the tasks come from the current decisions (`record::TaskSnapshot`, worked out when the
//! decision was recorded), and completing a task is its own record in the chain (a `TaskEvent`),
//! never an edit. Corrections carry the tasks forward: a task the correcting decision still
//! derives keeps its state (done stays done); one it no longer derives is closed with the
//! correction's reason; a new one is open. Pure: `today` is passed in.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::letters::Recipient;
use super::record::TaskSnapshot;
use super::tasks::TaskKind;

/// One recorded decision's tasks, as the board needs them.
#[derive(Debug, Clone)]
pub struct DecisionTasks {
    /// The decision's record number.
    pub seq: i64,
    pub referral_id: i64,
    pub reference: String,
    pub tasks: Vec<TaskSnapshot>,
    /// The record that supersedes this one, and the correction's reason.
    pub superseded: Option<(i64, String)>,
}

/// How a task was closed, or a letter toward it sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Closed {
    Done,
    NotNeeded {
        reason: String,
    },
    /// A letter recorded as sent: the task is done once every letter it needs
    /// ([`letters_needed`]) is sent, so the child's letter alone does not tell the carer.
    LetterSent {
        to: Recipient,
    },
}

/// The letters that answer a task of a kind: telling the child and the parent or carer takes
/// both their letters; telling the victim or the social worker takes theirs.
pub fn letters_needed(kind: &str) -> Vec<Recipient> {
    Recipient::ALL.into_iter().filter(|r| r.task() == kind).collect()
}

/// Whose letter, in words: "the child's", "the parent's or carer's".
pub fn whose(to: Recipient) -> &'static str {
    match to {
        Recipient::Child => "the child's",
        Recipient::Carer => "the parent's or carer's",
        Recipient::Victim => "the victim's",
        Recipient::SocialWorker => "the social worker's",
    }
}

/// A letter recorded sent toward a task still open for another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentLetter {
    pub to: Recipient,
    pub by: String,
    pub on: NaiveDate,
}

/// The body of a `task` record: a task closed by someone on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEvent {
    pub referral_id: i64,
    /// The decision record the task was shown against when it was closed.
    pub decision: i64,
    /// The task's kind (`TaskKind::id`).
    pub task: String,
    #[serde(flatten)]
    pub closed: Closed,
    pub by: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Due,
    Overdue,
    Done { by: String, on: NaiveDate },
    NotNeeded { reason: String },
}

impl Status {
    pub fn is_open(&self) -> bool {
        matches!(self, Status::Due | Status::Overdue)
    }

    /// The status in words: "due", "overdue", "done by A. Khan on Mon 30 Nov 2026",
    /// "not needed: …".
    pub fn label(&self) -> String {
        match self {
            Status::Due => "due".into(),
            Status::Overdue => "overdue".into(),
            Status::Done { by, on } if by.trim().is_empty() => format!("done on {}", day(*on)),
            Status::Done { by, on } => format!("done by {by} on {}", day(*on)),
            Status::NotNeeded { reason } => format!("not needed: {reason}"),
        }
    }

    /// One word, for a column or a filter.
    pub fn short(&self) -> &'static str {
        match self {
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::Done { .. } => "done",
            Status::NotNeeded { .. } => "not needed",
        }
    }
}

/// A date with its weekday, as the board shows it: "Mon 30 Nov 2026".
pub fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// One task on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardTask {
    /// `DECISION/KIND`, e.g. `7/inform_victim`: what `jdp tasks done` takes.
    pub id: String,
    pub decision: i64,
    pub referral_id: i64,
    pub reference: String,
    pub kind: String,
    pub description: String,
    /// The agency that does it (a panel-definition agency id).
    pub owner: &'static str,
    pub due: NaiveDate,
    pub status: Status,
    /// Letters recorded sent toward the task while it is open for another letter.
    pub letters: Vec<SentLetter>,
}

impl BoardTask {
    /// The status in words, with the letters sent toward an open task and those still to send:
    /// "due; the child's letter sent on Tue 24 Nov 2026; the parent's or carer's still to send".
    pub fn status_label(&self) -> String {
        let mut s = self.status.label();
        if self.status.is_open() && !self.letters.is_empty() {
            for l in &self.letters {
                s.push_str(&format!("; {} letter sent on {}", whose(l.to), day(l.on)));
            }
            let left: Vec<&str> = letters_needed(&self.kind)
                .into_iter()
                .filter(|r| !self.letters.iter().any(|l| l.to == *r))
                .map(whose)
                .collect();
            if !left.is_empty() {
                s.push_str(&format!("; {} still to send", left.join(" and ")));
            }
        }
        s
    }
}

/// Every agency that owns some task (`owner`'s answers), by panel-definition agency id.
pub const OWNERS: [&str; 3] = ["police", "yjs", "victim"];

/// Why a closing cannot be recorded, if it cannot: done names who did it, not needed says why
/// (a closed task is never reopened, so a slip would stand for good).
pub fn check_closing(closed: &Closed, by: &str) -> Result<(), String> {
    if let Closed::NotNeeded { reason } = closed
        && reason.trim().is_empty()
    {
        return Err("a task closed as not needed needs a reason".into());
    }
    if by.trim().is_empty() {
        return Err("say who closed the task (a closed task is never reopened)".into());
    }
    Ok(())
}

/// Why a letter cannot be recorded sent toward a task, if it cannot: the task must need it,
/// and it must not be recorded sent already.
pub fn check_letter(task: &BoardTask, to: Recipient) -> Result<(), String> {
    if !letters_needed(&task.kind).contains(&to) {
        return Err(format!("task {} is not answered by {} letter", task.id, whose(to)));
    }
    if task.letters.iter().any(|l| l.to == to) {
        return Err(format!("{} letter for task {} is already recorded sent", whose(to), task.id));
    }
    Ok(())
}

/// Which agency does a task (DOMAIN.md, "Follow-up tasks"): the police tell the YJS and the
/// neighbourhood team, deliver a caution and send the CPS file; the victim service tells the
/// victim; the YJS tells the child and carer, the social worker, assesses and runs a knife plan.
pub fn owner(kind: &str) -> &'static str {
    match TaskKind::from_id(kind) {
        Some(TaskKind::InformVictim) => "victim",
        Some(
            TaskKind::NotifyYjs
            | TaskKind::InformNeighbourhoodTeam
            | TaskKind::ArrangeDelivery
            | TaskKind::ChildInformationForm
            | TaskKind::KnifePlan,
        ) => "police",
        Some(
            TaskKind::InformChildAndCarer
            | TaskKind::NotifySocialWorker
            | TaskKind::YjsAssessment
            | TaskKind::KnifeCompliance,
        )
        | None => "yjs",
    }
}

/// What the board derives a task's state from: each (referral, task)'s records in chain order,
/// what each referral's current decision derives, and what each decision asked of each kind.
struct Index<'a> {
    closed: BTreeMap<(i64, &'a str), Vec<&'a TaskEvent>>,
    current: BTreeMap<i64, BTreeSet<&'a str>>,
    asked: BTreeMap<(i64, &'a str), &'a str>,
}

impl<'a> Index<'a> {
    fn new(decisions: &'a [DecisionTasks], events: &'a [TaskEvent]) -> Self {
        let mut closed: BTreeMap<(i64, &str), Vec<&TaskEvent>> = BTreeMap::new();
        for e in events {
            closed.entry((e.referral_id, e.task.as_str())).or_default().push(e);
        }
        let current = decisions
            .iter()
            .filter(|d| d.superseded.is_none())
            .map(|d| (d.referral_id, d.tasks.iter().map(|t| t.kind.as_str()).collect()))
            .collect();
        let asked = decisions
            .iter()
            .flat_map(|d| d.tasks.iter().map(move |t| ((d.seq, t.kind.as_str()), t.description.as_str())))
            .collect();
        Self { closed, current, asked }
    }

    /// A closing answers the task it was closed against, and a later decision's task of the
    /// same kind only where that asks the same thing: telling the victim of a community
    /// resolution is not telling them of the correction to no further action. The latest
    /// closing that answers the task wins; else, where every letter the task needs is recorded
    /// sent, it is done (by whoever sent the last); else the letters sent so far.
    fn status_of(&self, d: &DecisionTasks, t: &TaskSnapshot) -> (Option<Status>, Vec<SentLetter>) {
        let answering: Vec<&&TaskEvent> = self
            .closed
            .get(&(d.referral_id, t.kind.as_str()))
            .map(|v| {
                v.iter()
                    .filter(|e| {
                        e.decision == d.seq
                            || self.asked.get(&(e.decision, t.kind.as_str())) == Some(&t.description.as_str())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let closing = answering.iter().rev().find_map(|e| match &e.closed {
            Closed::Done => Some(Status::Done { by: e.by.clone(), on: e.on }),
            Closed::NotNeeded { reason } => Some(Status::NotNeeded { reason: reason.clone() }),
            Closed::LetterSent { .. } => None,
        });
        if closing.is_some() {
            return (closing, Vec::new());
        }
        let mut letters: Vec<SentLetter> = Vec::new();
        for e in &answering {
            if let Closed::LetterSent { to } = e.closed
                && !letters.iter().any(|l| l.to == to)
            {
                letters.push(SentLetter { to, by: e.by.clone(), on: e.on });
            }
        }
        let needed = letters_needed(&t.kind);
        if !needed.is_empty() && needed.iter().all(|r| letters.iter().any(|l| l.to == *r)) {
            let last = letters.last().expect("every needed letter is sent");
            return (Some(Status::Done { by: last.by.clone(), on: last.on }), Vec::new());
        }
        (None, letters)
    }
}

/// The closing `event` of task `id` on `board` (the board on `event.on`), filled in with the
/// task it closes: refused for a task not on the board or already closed, a letter the task
/// does not need or already has, or a closing without who or why. Both stores close tasks by it.
pub fn closing(board: &[BoardTask], id: &str, event: TaskEvent) -> Result<TaskEvent, String> {
    let Some(task) = board.iter().find(|t| t.id == id) else {
        return Err(format!("no task {id} (jdp tasks lists them with their ids)"));
    };
    if !task.status.is_open() {
        return Err(format!("task {id} is already closed: {}", task.status.label()));
    }
    if let Closed::LetterSent { to } = event.closed {
        check_letter(task, to)?;
    }
    check_closing(&event.closed, &event.by)?;
    Ok(TaskEvent { referral_id: task.referral_id, decision: task.decision, task: task.kind.clone(), ..event })
}

/// What to say after a letter to `to` was recorded sent toward task `id` (record `seq`), where
/// the board now leaves the task open (other letters still to send); None where it is done.
pub fn letter_left_open(board: &[BoardTask], id: &str, to: Recipient, seq: i64) -> Option<String> {
    let t = board.iter().find(|t| t.id == id).filter(|t| t.status.is_open())?;
    Some(format!(
        "Task {id}: {} letter recorded sent (record {seq}); the task stays open: {}.",
        whose(to),
        t.status_label()
    ))
}

/// A task's id on the board and in the CLI: the decision that asked for it and its kind.
pub fn task_id(decision: i64, kind: &str) -> String {
    format!("{decision}/{kind}")
}

fn open_on(due: NaiveDate, today: NaiveDate) -> Status {
    if due < today { Status::Overdue } else { Status::Due }
}

fn board_task(d: &DecisionTasks, t: &TaskSnapshot, status: Status, letters: Vec<SentLetter>) -> BoardTask {
    let letters = if status.is_open() { letters } else { Vec::new() };
    BoardTask {
        id: task_id(d.seq, &t.kind),
        decision: d.seq,
        referral_id: d.referral_id,
        reference: d.reference.clone(),
        kind: t.kind.clone(),
        description: t.description.clone(),
        owner: owner(&t.kind),
        due: t.due,
        status,
        letters,
    }
}

/// One task a decision created, with where it stands; for a superseded decision's task the
/// correction took over unchanged, the record it was carried forward to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnTask {
    pub task: BoardTask,
    pub carried_to: Option<i64>,
}

/// The tasks decision `seq` itself created (never a correction's), each with where it stands on
/// `today`: closed against it (or against a later decision's same task); open while it is
/// current; once superseded, carried forward to the correction that asks the same thing (with
/// that task's state) or "closed by correction N: reason". For the minutes, which list each
/// decision with its own tasks.
pub fn created_by(decisions: &[DecisionTasks], events: &[TaskEvent], seq: i64, today: NaiveDate) -> Vec<OwnTask> {
    OwnTasks::new(decisions, events, today).of(seq)
}

/// The tasks of many decisions, as `created_by` gives one's: the board's index built once
/// (the minutes ask it for every decision of a sitting).
pub struct OwnTasks<'a> {
    idx: Index<'a>,
    decisions: &'a [DecisionTasks],
    today: NaiveDate,
}

impl<'a> OwnTasks<'a> {
    pub fn new(decisions: &'a [DecisionTasks], events: &'a [TaskEvent], today: NaiveDate) -> Self {
        Self { idx: Index::new(decisions, events), decisions, today }
    }

    /// The tasks decision `seq` created, with their state (see `created_by`).
    pub fn of(&self, seq: i64) -> Vec<OwnTask> {
        let (idx, decisions, today) = (&self.idx, self.decisions, self.today);
        let Some(d) = decisions.iter().find(|d| d.seq == seq) else { return Vec::new() };
        let standing = |d: &DecisionTasks, t: &TaskSnapshot| -> (Status, Vec<SentLetter>, Option<i64>) {
            let mut d = d;
            let mut t = t;
            let mut carried = None;
            loop {
                let (found, letters) = idx.status_of(d, t);
                if let Some(s) = found {
                    return (s, letters, carried);
                }
                let Some((by, reason)) = &d.superseded else { return (open_on(t.due, today), letters, carried) };
                let next = decisions.iter().find(|n| n.seq == *by);
                match next.and_then(|n| {
                    n.tasks.iter().find(|x| x.kind == t.kind && x.description == t.description).map(|x| (n, x))
                }) {
                    Some((n, x)) => {
                        carried = Some(n.seq);
                        d = n;
                        t = x;
                    }
                    None => {
                        let reason =
                            if reason.trim().is_empty() { String::new() } else { format!(": {}", reason.trim()) };
                        return (
                            Status::NotNeeded { reason: format!("closed by correction {by}{reason}") },
                            Vec::new(),
                            carried,
                        );
                    }
                }
            }
        };
        d.tasks
            .iter()
            .map(|t| {
                let (status, letters, carried_to) = standing(d, t);
                OwnTask { task: board_task(d, t, status, letters), carried_to }
            })
            .collect()
    }
}

/// Every task of every decision, with where it stands on `today`: the current decisions' tasks
/// (open, done or not needed), then those a correction no longer derives (closed with its reason
/// unless they were already closed). Ordered by due date, then reference.
pub fn board(decisions: &[DecisionTasks], events: &[TaskEvent], today: NaiveDate) -> Vec<BoardTask> {
    let idx = Index::new(decisions, events);
    let mut out: Vec<BoardTask> = Vec::new();
    let mut shown: BTreeSet<(i64, String)> = BTreeSet::new();
    // Newest first, so a task dropped by two corrections is shown once, from the latest decision.
    let mut order: Vec<&DecisionTasks> = decisions.iter().collect();
    order.sort_by_key(|d| std::cmp::Reverse(d.seq));
    for d in order {
        for t in &d.tasks {
            let (found, letters) = idx.status_of(d, t);
            let status = match &d.superseded {
                None => found.unwrap_or(open_on(t.due, today)),
                Some((by, reason)) => {
                    if idx.current.get(&d.referral_id).is_some_and(|k| k.contains(t.kind.as_str())) {
                        continue; // carried forward: the current decision shows it
                    }
                    found.unwrap_or_else(|| Status::NotNeeded { reason: format!("corrected by record {by}: {reason}") })
                }
            };
            if !shown.insert((d.referral_id, t.kind.clone())) {
                continue;
            }
            out.push(board_task(d, t, status, letters));
        }
    }
    out.sort_by(|a, b| (a.due, &a.reference, a.decision).cmp(&(b.due, &b.reference, b.decision)));
    out
}

/// How many open tasks are past their due date.
pub fn overdue_count(board: &[BoardTask]) -> usize {
    board.iter().filter(|t| t.status == Status::Overdue).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_has_one_of_the_owners() {
        for k in TaskKind::ALL {
            assert!(OWNERS.contains(&owner(k.id())), "{k:?}");
        }
        for o in OWNERS {
            assert!(TaskKind::ALL.iter().any(|k| owner(k.id()) == o), "{o} owns no task");
        }
    }

    #[test]
    fn a_closing_names_who_and_a_task_not_needed_says_why() {
        let not_needed = |r: &str| Closed::NotNeeded { reason: r.into() };
        assert_eq!(check_closing(&Closed::Done, "A. Khan"), Ok(()));
        assert_eq!(check_closing(&not_needed("moved away"), "A. Khan"), Ok(()));
        assert!(check_closing(&Closed::Done, "  ").unwrap_err().contains("who"));
        assert!(check_closing(&not_needed(" "), "A. Khan").unwrap_err().contains("reason"));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn task(kind: &str, due: &str) -> TaskSnapshot {
        TaskSnapshot { kind: kind.into(), description: format!("do {kind}"), due: d(due) }
    }

    fn decision(seq: i64, tasks: Vec<TaskSnapshot>, superseded: Option<(i64, &str)>) -> DecisionTasks {
        DecisionTasks {
            seq,
            referral_id: 1,
            reference: "R1".into(),
            tasks,
            superseded: superseded.map(|(s, r)| (s, r.to_string())),
        }
    }

    fn event(kind: &str, closed: Closed) -> TaskEvent {
        TaskEvent { referral_id: 1, decision: 1, task: kind.into(), closed, by: "A. Khan".into(), on: d("2026-11-27") }
    }

    fn status(board: &[BoardTask], kind: &str) -> Status {
        board.iter().find(|t| t.kind == kind).unwrap_or_else(|| panic!("no {kind}")).status.clone()
    }

    #[test]
    fn open_tasks_are_due_until_their_day_has_passed() {
        let ds = [decision(1, vec![task("notify_yjs", "2026-11-30"), task("inform_victim", "2026-12-04")], None)];
        // Due on the day itself; overdue the day after.
        let b = board(&ds, &[], d("2026-11-30"));
        assert_eq!(status(&b, "notify_yjs"), Status::Due);
        let b = board(&ds, &[], d("2026-12-01"));
        assert_eq!(status(&b, "notify_yjs"), Status::Overdue);
        assert_eq!(status(&b, "inform_victim"), Status::Due);
        assert_eq!(overdue_count(&b), 1);
        assert_eq!(b[0].id, "1/notify_yjs");
        assert_eq!(b[0].owner, "police");
        assert_eq!(b[1].owner, "victim");
    }

    #[test]
    fn a_closing_record_closes_the_task_whatever_the_date() {
        let ds = [decision(1, vec![task("notify_yjs", "2026-11-30"), task("inform_victim", "2026-12-04")], None)];
        let ev = [
            event("notify_yjs", Closed::Done),
            event("inform_victim", Closed::NotNeeded { reason: "victim asked not to be told".into() }),
        ];
        let b = board(&ds, &ev, d("2027-01-01"));
        assert_eq!(status(&b, "notify_yjs"), Status::Done { by: "A. Khan".into(), on: d("2026-11-27") });
        assert_eq!(status(&b, "inform_victim"), Status::NotNeeded { reason: "victim asked not to be told".into() });
        assert_eq!(overdue_count(&b), 0);
        assert_eq!(status(&b, "notify_yjs").label(), "done by A. Khan on Fri 27 Nov 2026");
    }

    #[test]
    fn a_correction_carries_tasks_forward_closes_dropped_ones_and_adds_new_ones() {
        let ds = [
            decision(
                1,
                vec![task("notify_yjs", "2026-11-30"), task("arrange_delivery", "2026-12-11")],
                Some((2, "outcome was wrong")),
            ),
            DecisionTasks {
                seq: 2,
                referral_id: 1,
                reference: "R1".into(),
                tasks: vec![task("notify_yjs", "2026-12-01"), task("inform_victim", "2026-12-07")],
                superseded: None,
            },
        ];
        let ev = [event("notify_yjs", Closed::Done)];
        let b = board(&ds, &ev, d("2026-12-02"));
        assert_eq!(b.len(), 3, "{b:?}");
        // Done against the first decision, still done: the correction derives it too.
        let yjs = b.iter().find(|t| t.kind == "notify_yjs").unwrap();
        assert_eq!(yjs.decision, 2);
        assert!(matches!(yjs.status, Status::Done { .. }));
        assert_eq!(
            status(&b, "arrange_delivery"),
            Status::NotNeeded { reason: "corrected by record 2: outcome was wrong".into() }
        );
        assert_eq!(status(&b, "inform_victim"), Status::Due);
    }

    #[test]
    fn a_dropped_task_already_done_stays_done() {
        let ds = [
            decision(1, vec![task("arrange_delivery", "2026-12-11")], Some((2, "wrong"))),
            DecisionTasks { seq: 2, referral_id: 1, reference: "R1".into(), tasks: vec![], superseded: None },
        ];
        let b = board(&ds, &[event("arrange_delivery", Closed::Done)], d("2026-12-20"));
        assert!(matches!(status(&b, "arrange_delivery"), Status::Done { .. }));
    }

    fn sent(to: Recipient, on: &str) -> TaskEvent {
        TaskEvent { on: d(on), ..event("inform_child_and_carer", Closed::LetterSent { to }) }
    }

    #[test]
    fn telling_the_child_and_carer_is_done_when_both_letters_are_sent() {
        let ds = [decision(1, vec![task("inform_child_and_carer", "2026-11-30")], None)];
        let b = board(&ds, &[sent(Recipient::Child, "2026-11-24")], d("2026-12-01"));
        assert_eq!(status(&b, "inform_child_and_carer"), Status::Overdue);
        assert_eq!(
            b[0].status_label(),
            "overdue; the child's letter sent on Tue 24 Nov 2026; the parent's or carer's still to send"
        );
        assert_eq!(
            check_letter(&b[0], Recipient::Child).unwrap_err(),
            "the child's letter for task 1/inform_child_and_carer is already recorded sent"
        );
        assert!(check_letter(&b[0], Recipient::Victim).is_err());
        assert_eq!(check_letter(&b[0], Recipient::Carer), Ok(()));
        let ev = [sent(Recipient::Child, "2026-11-24"), sent(Recipient::Carer, "2026-11-26")];
        let b = board(&ds, &ev, d("2026-12-01"));
        assert_eq!(status(&b, "inform_child_and_carer"), Status::Done { by: "A. Khan".into(), on: d("2026-11-26") });
        assert!(b[0].letters.is_empty());
        // The victim's task needs the victim's letter only.
        let ds = [decision(1, vec![task("inform_victim", "2026-11-30")], None)];
        let ev = [TaskEvent { task: "inform_victim".into(), ..sent(Recipient::Victim, "2026-11-24") }];
        assert!(matches!(status(&board(&ds, &ev, d("2026-12-01")), "inform_victim"), Status::Done { .. }));
    }

    #[test]
    fn a_letter_sent_for_a_superseded_outcome_does_not_count_toward_the_corrected_one() {
        let mut old = task("inform_child_and_carer", "2026-11-30");
        old.description = "Tell them: community resolution".into();
        let mut new = task("inform_child_and_carer", "2026-12-02");
        new.description = "Tell them: no further action".into();
        let ds = [
            decision(1, vec![old], Some((2, "wrong outcome"))),
            DecisionTasks { seq: 2, referral_id: 1, reference: "R1".into(), tasks: vec![new], superseded: None },
        ];
        let ev = [sent(Recipient::Child, "2026-11-24"), sent(Recipient::Carer, "2026-11-25")];
        let b = board(&ds, &ev, d("2026-12-01"));
        let t = b.iter().find(|t| t.decision == 2).unwrap();
        assert_eq!(t.status, Status::Due);
        assert!(t.letters.is_empty());
    }

    #[test]
    fn each_decision_lists_the_tasks_it_created_and_what_became_of_them() {
        let mut told = task("inform_victim", "2026-11-30");
        told.description = "Tell the victim: community resolution".into();
        let mut told_again = told.clone();
        told_again.description = "Tell the victim: no further action".into();
        let ds = [
            decision(
                1,
                vec![told, task("notify_yjs", "2026-11-24"), task("inform_neighbourhood_team", "2026-11-30")],
                Some((2, "did not admit")),
            ),
            DecisionTasks {
                seq: 2,
                referral_id: 1,
                reference: "R1".into(),
                tasks: vec![told_again, task("inform_neighbourhood_team", "2026-12-01")],
                superseded: None,
            },
        ];
        let ev = [event("notify_yjs", Closed::Done)];
        let own = created_by(&ds, &ev, 1, d("2026-11-23"));
        let got: Vec<(&str, String, Option<i64>)> =
            own.iter().map(|o| (o.task.kind.as_str(), o.task.status_label(), o.carried_to)).collect();
        assert_eq!(
            got,
            [
                ("inform_victim", "not needed: closed by correction 2: did not admit".to_string(), None),
                ("notify_yjs", "done by A. Khan on Fri 27 Nov 2026".to_string(), None),
                ("inform_neighbourhood_team", "due".to_string(), Some(2)),
            ]
        );
        let own = created_by(&ds, &ev, 2, d("2026-12-01"));
        assert_eq!(own.len(), 2);
        assert_eq!(own[0].task.description, "Tell the victim: no further action");
        assert_eq!(own[0].task.status, Status::Overdue);
        assert_eq!(own[1].task.status, Status::Due);
    }

    #[test]
    fn the_event_body_round_trips() {
        let e = sent(Recipient::Carer, "2026-11-24");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"status\":\"letter_sent\",\"to\":\"carer\""), "{json}");
        assert_eq!(serde_json::from_str::<TaskEvent>(&json).unwrap(), e);
        let e = event("inform_victim", Closed::NotNeeded { reason: "x".into() });
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"status\":\"not_needed\""), "{json}");
        assert_eq!(serde_json::from_str::<TaskEvent>(&json).unwrap(), e);
    }

    #[test]
    fn days_carry_their_weekday() {
        assert_eq!(day(d("2026-11-30")), "Mon 30 Nov 2026");
    }
}
