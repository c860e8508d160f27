//! The panel walk as a pure state machine: messages in, effects out. The terminal holds only
//! widget state (text being typed, an open picker); the runner performs the effects against the
//! store. Never names a terminal, a database or the clock: `today` is given.

pub mod fields;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::domain::checks::{self, Finding, Severity};
use crate::domain::record::{DecisionSnapshot, snapshot_with};
use crate::domain::referral::*;
use crate::domain::{PanelDefinition, tasks};

pub use crate::domain::steps::Step;
pub use fields::{Field, Key, Kind, Value};

/// What the walk reads but does not own: the panel definition, and who is present now (from
/// the panel session, read when needed so a late arrival counts at once). `present: None`
/// means the attendance the case itself carries (a scenario, a test).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub panel: &'a PanelDefinition,
    pub present: Option<&'a [Member]>,
    pub chair: &'a str,
    /// The login of a screen that may prepare but not record (a member's, on a server): its
    /// name, so the walk says so before offering to record.
    pub cannot_record_as: Option<&'a str>,
}

impl<'a> From<&'a PanelDefinition> for Ctx<'a> {
    fn from(panel: &'a PanelDefinition) -> Self {
        Ctx { panel, present: None, chair: "", cannot_record_as: None }
    }
}

impl<'a> From<&Ctx<'a>> for Ctx<'a> {
    fn from(cx: &Ctx<'a>) -> Self {
        *cx
    }
}

/// How a step stands, derived from the findings every time it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// Not reached yet: nothing is claimed about it.
    NotVisited,
    /// Something on it blocks the decision.
    Blocked,
    /// Something on it is missing or needs a look, but does not block.
    Incomplete,
    Complete,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Next,
    Back,
    Goto(Step),
    FocusNext,
    FocusPrev,
    /// A typed value for a text or date field.
    SetText(Key, String),
    Toggle(Key),
    Choose(Key, Option<String>),
    SetMulti(Key, Vec<String>),
    /// Activates a button field (e.g. add a search entry).
    Press(Key),
    /// Takes out the row a field belongs to (a search audit entry added by mistake).
    Remove(Key),
    /// The chair gave up on a rejected value: the field keeps what it had.
    Discard(Key),
    /// Typing has gone on a while: save what there is.
    Autosave,
    /// Ask to record the decision (or correction).
    Record,
    /// The store has recorded it.
    Recorded {
        seq: i64,
        hash: String,
    },
    /// The store refused it (e.g. a failed write); nothing was recorded.
    RecordFailed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveDraft { step: Step },
    RecordDecision(Box<DecisionSnapshot>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub seq: i64,
    pub hash: String,
    pub snapshot: DecisionSnapshot,
}

#[derive(Debug, Clone)]
pub struct Walk {
    pub case: Case,
    pub step: Step,
    pub focus: usize,
    /// The focus each step had when the chair left it, restored on return.
    pub focus_by_step: BTreeMap<Step, usize>,
    pub visited: BTreeSet<Step>,
    /// Problems with typed values, shown beside their fields.
    pub errors: BTreeMap<Key, String>,
    /// Blocking findings from the last attempt to record.
    pub refused: Vec<Finding>,
    pub failure: Option<String>,
    /// A correction: the record it supersedes, and why.
    pub correction_of: Option<i64>,
    pub correction_reason: String,
    /// The case as the corrected record holds it: a correction must change something.
    pub original: Option<Box<Case>>,
    pub recorded: Option<Recorded>,
    pub today: NaiveDate,
}

impl Walk {
    pub fn new(case: Case, today: NaiveDate) -> Self {
        Self {
            case,
            step: Step::Facts,
            focus: 0,
            focus_by_step: BTreeMap::new(),
            visited: BTreeSet::from([Step::Facts]),
            errors: BTreeMap::new(),
            refused: Vec::new(),
            failure: None,
            correction_of: None,
            correction_reason: String::new(),
            original: None,
            recorded: None,
            today,
        }
    }

    /// A correction opens the walk pre-filled with the recorded case.
    pub fn correction(case: Case, supersedes: i64, today: NaiveDate) -> Self {
        let mut w = Self::new(case.clone(), today);
        w.correction_of = Some(supersedes);
        w.original = Some(Box::new(case));
        w
    }

    /// The correction changes nothing the record holds (attendance aside, which is the sitting's).
    fn changes_nothing(&self) -> bool {
        self.original.as_deref().is_some_and(|o| {
            let (mut a, mut b) = (o.clone(), self.case.clone());
            a.decision.present.clear();
            b.decision.present.clear();
            a == b
        })
    }

    pub fn fields(&self, panel: &PanelDefinition) -> Vec<Field> {
        fields::fields(self.step, &self.case, panel)
    }

    pub fn focused(&self, panel: &PanelDefinition) -> Option<Field> {
        self.fields(panel).into_iter().nth(self.focus)
    }

    /// Opens the walk at a step (a resumed draft).
    pub fn at(mut self, step: Step) -> Self {
        // Only where the walk stands is known to have been seen: the step bar claims nothing
        // about steps the draft does not say were visited.
        self.step = step;
        self.visited.insert(step);
        self
    }

    /// The case as it would be recorded now: attendance read from the context.
    fn effective<'c>(&'c self, cx: &Ctx) -> Cow<'c, Case> {
        match cx.present {
            Some(present) if present != self.case.decision.present.as_slice() => {
                let mut c = self.case.clone();
                c.decision.present = present.to_vec();
                Cow::Owned(c)
            }
            _ => Cow::Borrowed(&self.case),
        }
    }

    pub fn value(&self, key: &Key) -> Value {
        fields::get(&self.case, key)
    }

    fn goto(&mut self, step: Step) -> Vec<Effect> {
        if step == self.step || self.recorded.is_some() {
            return vec![];
        }
        self.focus_by_step.insert(self.step, self.focus);
        self.step = step;
        self.visited.insert(step);
        self.focus = self.focus_by_step.get(&step).copied().unwrap_or(0);
        self.refused.clear();
        vec![Effect::SaveDraft { step }]
    }

    pub fn handle<'a>(&mut self, msg: Msg, cx: impl Into<Ctx<'a>>) -> Vec<Effect> {
        let cx: Ctx = cx.into();
        let panel = cx.panel;
        if self.recorded.is_some() && !matches!(msg, Msg::Recorded { .. }) {
            return vec![]; // a recorded decision is read-only
        }
        let n = self.fields(panel).len();
        match msg {
            Msg::Next => self.goto(self.step.offset(1)),
            Msg::Back => self.goto(self.step.offset(-1)),
            Msg::Goto(step) => self.goto(step),
            Msg::FocusNext => {
                if n > 0 {
                    self.focus = (self.focus + 1) % n;
                }
                vec![]
            }
            Msg::FocusPrev => {
                if n > 0 {
                    self.focus = (self.focus + n - 1) % n;
                }
                vec![]
            }
            // Every change is a draft at once: nothing typed or ticked waits for a step change.
            Msg::SetText(key, text) => self.apply(key, Value::Text(text)),
            Msg::Toggle(key) => {
                let on = matches!(self.value(&key), Value::Bool(true));
                self.apply(key, Value::Bool(!on))
            }
            Msg::Choose(key, choice) => self.apply(key, Value::Choice(choice)),
            Msg::SetMulti(key, items) => self.apply(key, Value::Multi(items)),
            Msg::Press(key) => {
                self.apply(key, Value::None);
                // Land on the first field of what was just added.
                if let Some(i) = self
                    .fields(panel)
                    .iter()
                    .rposition(|f| matches!(f.key, Key::Search(_, fields::SearchPart::RequestedOn)))
                {
                    self.focus = i;
                }
                vec![Effect::SaveDraft { step: self.step }]
            }
            Msg::Autosave => vec![Effect::SaveDraft { step: self.step }],
            Msg::Remove(key) => {
                if !fields::remove(&mut self.case, &key) {
                    return vec![];
                }
                // A rejected value waiting on a later entry moves with it.
                if let Key::Search(gone, _) = key {
                    let errors = std::mem::take(&mut self.errors);
                    self.errors = errors
                        .into_iter()
                        .filter_map(|(k, e)| match k {
                            Key::Search(i, _) if i == gone => None,
                            Key::Search(i, part) if i > gone => Some((Key::Search(i - 1, part), e)),
                            k => Some((k, e)),
                        })
                        .collect();
                }
                let n = self.fields(panel).len();
                self.focus = self.focus.min(n.saturating_sub(1));
                vec![Effect::SaveDraft { step: self.step }]
            }
            Msg::Discard(key) => {
                self.errors.remove(&key);
                vec![]
            }
            Msg::Record => self.record(&cx),
            Msg::Recorded { seq, hash } => {
                if let Ok(snap) = self.snapshot(&cx) {
                    self.case = snap.case.clone();
                    self.recorded = Some(Recorded { seq, hash, snapshot: snap });
                }
                vec![]
            }
            Msg::RecordFailed(why) => {
                self.failure = Some(why);
                vec![]
            }
        }
    }

    fn apply(&mut self, key: Key, value: Value) -> Vec<Effect> {
        self.refused.clear();
        self.failure = None;
        match fields::set(&mut self.case, &key, value, self.today) {
            Ok(()) => {
                self.errors.remove(&key);
                vec![Effect::SaveDraft { step: self.step }]
            }
            Err(e) => {
                self.errors.insert(key, e);
                vec![]
            }
        }
    }

    fn snapshot(&self, cx: &Ctx) -> Result<DecisionSnapshot, Vec<Finding>> {
        let case = self.effective(cx);
        // The findings every screen showed, not worked out again without the session's own.
        let mut snap = snapshot_with(&case, cx.panel, self.today, self.findings(cx))?;
        snap.chair = cx.chair.trim().to_string();
        Ok(snap)
    }

    fn record(&mut self, cx: &Ctx) -> Vec<Effect> {
        if self.correction_of.is_some() && self.correction_reason.trim().is_empty() {
            self.failure = Some("A correction needs a reason: type it on the Record step.".into());
            return vec![];
        }
        if self.correction_of.is_some() && self.changes_nothing() {
            self.failure = Some("Not recorded: this correction changes nothing in the record it corrects.".into());
            return vec![];
        }
        match self.snapshot(cx) {
            Ok(snap) => vec![Effect::RecordDecision(Box::new(snap))],
            Err(blocking) => {
                self.refused = blocking;
                vec![]
            }
        }
    }

    /// Everything the guidance finds: the one list the step bar, the review, the record button
    /// and the confirm dialog all read.
    pub fn findings<'a>(&self, cx: impl Into<Ctx<'a>>) -> Vec<Finding> {
        let cx = cx.into();
        let mut out = checks::check_with(&self.case, cx.panel, cx.present.unwrap_or(&self.case.decision.present));
        // A live panel session (attendance read from it) must name its chair.
        if let Some(present) = cx.present {
            out.extend(checks::session_findings(cx.chair, present));
        }
        // First: whatever else is missing, this screen will not record it.
        if let Some(login) = cx.cannot_record_as {
            out.insert(0, checks::not_a_recorder(login));
        }
        out
    }

    /// Whether the decision can be recorded now: no blocking finding anywhere.
    pub fn can_record<'a>(&self, cx: impl Into<Ctx<'a>>) -> bool {
        !checks::blocking(&self.findings(cx))
    }

    pub fn tasks(&self, panel: &PanelDefinition) -> Vec<tasks::Task> {
        tasks::tasks(&self.case, panel, self.today)
    }

    /// What is still missing on a step, in words; empty means the step is complete.
    pub fn missing<'a>(&self, step: Step, cx: impl Into<Ctx<'a>>) -> Vec<String> {
        step_findings(&self.findings(cx), step).map(|f| f.reason.clone()).collect()
    }

    /// How each step stands, from the same findings as everything else.
    pub fn step_status<'a>(&self, step: Step, cx: impl Into<Ctx<'a>>) -> StepStatus {
        status_of(&self.findings(cx), step, self.visited.contains(&step))
    }
}

/// The findings that belong on a step; the review and record steps gather every blocking one.
pub fn step_findings(findings: &[Finding], step: Step) -> impl Iterator<Item = &Finding> {
    findings.iter().filter(move |f| match step {
        Step::Review | Step::Record => f.severity == Severity::Blocking,
        s => f.step == s,
    })
}

pub fn status_of(findings: &[Finding], step: Step, visited: bool) -> StepStatus {
    if !visited {
        return StepStatus::NotVisited;
    }
    let mut on = step_findings(findings, step).peekable();
    if on.peek().is_none() {
        StepStatus::Complete
    } else if step_findings(findings, step).any(|f| f.severity == Severity::Blocking) {
        StepStatus::Blocked
    } else {
        StepStatus::Incomplete
    }
}

/// What is still missing on a step of a case, in words (attendance as the case carries it).
pub fn missing(case: &Case, step: Step, panel: &PanelDefinition) -> Vec<String> {
    step_findings(&checks::check(case, panel), step).map(|f| f.reason.clone()).collect()
}

/// An empty referral for the "add a referral" form, dated today.
pub fn blank_referral(today: NaiveDate) -> Referral {
    Referral {
        reference: String::new(),
        child: Child {
            name: String::new(),
            known_as: Vec::new(),
            date_of_birth: Child::UNKNOWN_DOB,
            sex: Sex::NotKnown,
            ethnicity: String::new(),
            looked_after: None,
        },
        offences: Vec::new(),
        response: Response::NoComment,
        previous_outcomes: Vec::new(),
        officer_in_case: String::new(),
        referral_date: today,
        appropriate_adult: None,
    }
}
