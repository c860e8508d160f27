//! The panel walk as a pure state machine: messages in, effects out. The terminal holds only
//! widget state (text being typed, an open picker); the runner performs the effects against the
//! store. Never names a terminal, a database or the clock: `today` is given.

pub mod fields;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::checks::{self, Finding, Severity};
use crate::domain::gravity;
use crate::domain::record::{DecisionSnapshot, snapshot};
use crate::domain::referral::*;
use crate::domain::{PanelDefinition, tasks};

pub use fields::{Field, Key, Kind, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Facts,
    Research,
    Victim,
    Needs,
    Gravity,
    Outcome,
    Decision,
    Review,
    Record,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Facts,
        Step::Research,
        Step::Victim,
        Step::Needs,
        Step::Gravity,
        Step::Outcome,
        Step::Decision,
        Step::Review,
        Step::Record,
    ];

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).expect("every step is in ALL")
    }

    pub fn id(self) -> &'static str {
        match self {
            Step::Facts => "facts",
            Step::Research => "research",
            Step::Victim => "victim",
            Step::Needs => "needs",
            Step::Gravity => "gravity",
            Step::Outcome => "outcome",
            Step::Decision => "decision",
            Step::Review => "review",
            Step::Record => "record",
        }
    }

    pub fn from_id(id: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    fn offset(self, by: isize) -> Step {
        let i = (self.index() as isize + by).clamp(0, Self::ALL.len() as isize - 1);
        Self::ALL[i as usize]
    }
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
    /// Problems with typed values, shown beside their fields.
    pub errors: BTreeMap<Key, String>,
    /// Blocking findings from the last attempt to record.
    pub refused: Vec<Finding>,
    pub failure: Option<String>,
    /// A correction: the record it supersedes, and why.
    pub correction_of: Option<i64>,
    pub correction_reason: String,
    pub recorded: Option<Recorded>,
    pub today: NaiveDate,
}

impl Walk {
    pub fn new(case: Case, today: NaiveDate) -> Self {
        Self {
            case,
            step: Step::Facts,
            focus: 0,
            errors: BTreeMap::new(),
            refused: Vec::new(),
            failure: None,
            correction_of: None,
            correction_reason: String::new(),
            recorded: None,
            today,
        }
    }

    /// A correction opens the walk pre-filled with the recorded case.
    pub fn correction(case: Case, supersedes: i64, today: NaiveDate) -> Self {
        let mut w = Self::new(case, today);
        w.correction_of = Some(supersedes);
        w
    }

    pub fn fields(&self, panel: &PanelDefinition) -> Vec<Field> {
        fields::fields(self.step, &self.case, panel)
    }

    pub fn focused(&self, panel: &PanelDefinition) -> Option<Field> {
        self.fields(panel).into_iter().nth(self.focus)
    }

    pub fn value(&self, key: &Key) -> Value {
        fields::get(&self.case, key)
    }

    fn goto(&mut self, step: Step) -> Vec<Effect> {
        if step == self.step || self.recorded.is_some() {
            return vec![];
        }
        self.step = step;
        self.focus = 0;
        self.refused.clear();
        vec![Effect::SaveDraft { step }]
    }

    pub fn handle(&mut self, msg: Msg, panel: &PanelDefinition) -> Vec<Effect> {
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
            Msg::SetText(key, text) => {
                self.apply(key, Value::Text(text));
                vec![]
            }
            Msg::Toggle(key) => {
                let on = matches!(self.value(&key), Value::Bool(true));
                self.apply(key, Value::Bool(!on));
                vec![]
            }
            Msg::Choose(key, choice) => {
                self.apply(key, Value::Choice(choice));
                vec![]
            }
            Msg::SetMulti(key, items) => {
                self.apply(key, Value::Multi(items));
                vec![]
            }
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
            Msg::Record => self.record(panel),
            Msg::Recorded { seq, hash } => {
                if let Ok(snap) = snapshot(&self.case, panel, self.today) {
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

    fn apply(&mut self, key: Key, value: Value) {
        match fields::set(&mut self.case, &key, value, self.today) {
            Ok(()) => {
                self.errors.remove(&key);
            }
            Err(e) => {
                self.errors.insert(key, e);
            }
        }
        self.refused.clear();
        self.failure = None;
    }

    fn record(&mut self, panel: &PanelDefinition) -> Vec<Effect> {
        if self.correction_of.is_some() && self.correction_reason.trim().is_empty() {
            self.failure = Some("A correction needs a reason: type it on the Record step.".into());
            return vec![];
        }
        match snapshot(&self.case, panel, self.today) {
            Ok(snap) => vec![Effect::RecordDecision(Box::new(snap))],
            Err(blocking) => {
                self.refused = blocking;
                vec![]
            }
        }
    }

    /// Everything the guidance finds, for the review step and the step bar.
    pub fn findings(&self, panel: &PanelDefinition) -> Vec<Finding> {
        checks::check(&self.case, panel)
    }

    pub fn tasks(&self, panel: &PanelDefinition) -> Vec<tasks::Task> {
        tasks::tasks(&self.case, panel, self.today)
    }

    /// What is still missing on a step, in words; empty means the step is complete.
    pub fn missing(&self, step: Step, panel: &PanelDefinition) -> Vec<String> {
        missing(&self.case, step, panel)
    }
}

pub fn missing(case: &Case, step: Step, panel: &PanelDefinition) -> Vec<String> {
    let mut out = Vec::new();
    let mut need = |cond: bool, what: &str| {
        if cond {
            out.push(what.to_string());
        }
    };
    let r = &case.referral;
    match step {
        Step::Facts => {
            need(r.reference.trim().is_empty(), "local reference");
            need(r.child.name.trim().is_empty(), "child's name");
            need(r.child.ethnicity.trim().is_empty(), "ethnicity");
            need(r.offences.is_empty(), "offence");
            need(r.officer_in_case.trim().is_empty(), "officer in the case");
            need(
                r.child.looked_after.as_ref().is_some_and(|l| l.local_authority.trim().is_empty()),
                "responsible local authority",
            );
            if let Some(age) = r.age_at_offence()
                && !(10..=17).contains(&age)
            {
                out.push(format!("age at offence is {age}: check the dates (10–17)"));
            }
        }
        Step::Research => {
            need(case.research.searches.is_empty(), "a search audit entry (date, who, what, systems, supplied)");
            need(case.research.history.trim().is_empty(), "history of involvement");
            for (i, s) in case.research.searches.iter().enumerate() {
                if s.requested_by.trim().is_empty() || s.request.trim().is_empty() || s.systems.is_empty() {
                    out.push(format!("search {}: who requested, what, and which systems", i + 1));
                }
            }
        }
        Step::Victim => match &case.victim {
            VictimViews::NotRecorded => need(true, "the victim's views, or why there are none"),
            VictimViews::NotObtainable { reason } => need(reason.trim().is_empty(), "why the views are not obtainable"),
            VictimViews::Contacted(c) => {
                need(c.contacted_by.trim().is_empty(), "who contacted the victim");
                need(c.views.trim().is_empty() && c.wishes.trim().is_empty(), "the victim's views or wishes");
            }
            VictimViews::NoDirectVictim => {}
        },
        Step::Needs => {
            need(case.needs.child_views.trim().is_empty(), "the child's own views");
            need(case.needs.carer_views.trim().is_empty(), "the parent/carer's views");
            let assessed = case.needs.needs.iter().filter(|n| n.level != NeedLevel::NotAssessed).count();
            let domains = panel.needs.domains.len();
            if assessed < domains {
                out.push(format!("{} of {domains} needs domains not assessed", domains - assessed));
            }
        }
        Step::Gravity => match gravity::score(&panel.gravity, &case.gravity) {
            Err(e) => out.push(e.to_string()),
            Ok(s) => need(
                s.needs_inspector
                    && case
                        .gravity
                        .inspector
                        .as_ref()
                        .is_none_or(|i| i.name.trim().is_empty() || i.rank.trim().is_empty()),
                "the authorising inspector's name and rank",
            ),
        },
        Step::Outcome => need(case.decision.outcome.is_none(), "a proposed outcome"),
        Step::Decision => {
            need(case.decision.view_of("police").is_none(), "the police view");
            need(case.decision.view_of("yjs").is_none(), "the YJS view");
            need(case.decision.outcome.is_none(), "the final outcome");
            need(case.decision.rationale.trim().is_empty(), "the rationale");
        }
        Step::Review | Step::Record => {
            for f in checks::check(case, panel).into_iter().filter(|f| f.severity == Severity::Blocking) {
                out.push(f.reason);
            }
        }
    }
    out
}

/// An empty referral for the "add a referral" form, dated today.
pub fn blank_referral(today: NaiveDate) -> Referral {
    Referral {
        reference: String::new(),
        child: Child {
            name: String::new(),
            known_as: Vec::new(),
            date_of_birth: today,
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
