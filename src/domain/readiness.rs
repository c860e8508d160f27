//! Readiness for the panel: how long a referral has waited, when the YJS assessment is due, and
//! what the panel still lacks before it can decide. Pure: the date is passed in. What is missing
//! is read from the findings the walk shows (`checks::check`), never kept beside them, so the
//! agenda, the queue and the walk always agree.

use chrono::NaiveDate;

use super::checks;
use super::panel::PanelDefinition;
use super::referral::{Case, Referral};
use super::steps::Step;

/// The YJS assessment's timescale as guidance gives it (an area changes the number in its panel
/// definition, `[timescales] assessment_working_days`).
pub const G_ASSESSMENT_TIMESCALE: &str =
    "YJB case management guidance, 2014: the YJS assesses within 10 working days of the referral";

/// What the panel needs before it can decide, in the order the walk gathers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Prerequisite {
    PoliceResearch,
    VictimViews,
    YjsAssessment,
    ChildViews,
    CarerViews,
}

impl Prerequisite {
    pub const ALL: [Prerequisite; 5] = [
        Prerequisite::PoliceResearch,
        Prerequisite::VictimViews,
        Prerequisite::YjsAssessment,
        Prerequisite::ChildViews,
        Prerequisite::CarerViews,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::PoliceResearch => "Police research",
            Self::VictimViews => "Victim's views",
            Self::YjsAssessment => "YJS assessment",
            Self::ChildViews => "Child's views",
            Self::CarerViews => "Parent/carer's views",
        }
    }

    /// A word or two, for a line on the queue.
    pub fn short(self) -> &'static str {
        match self {
            Self::PoliceResearch => "research",
            Self::VictimViews => "victim's views",
            Self::YjsAssessment => "assessment",
            Self::ChildViews => "child's views",
            Self::CarerViews => "carer's views",
        }
    }

    /// Which prerequisite a finding belongs to: by the step where it is put right, and within
    /// the assessed-needs step by the voice it asks for. Findings of other steps (the facts, the
    /// gravity score, the outcome, the decision) are the panel's own work at the meeting.
    fn of(finding: &checks::Finding) -> Option<Prerequisite> {
        match (finding.step, finding.rule) {
            (Step::Research, _) => Some(Self::PoliceResearch),
            (Step::Victim, _) => Some(Self::VictimViews),
            (Step::Needs, "child_views") => Some(Self::ChildViews),
            (Step::Needs, "carer_views") => Some(Self::CarerViews),
            (Step::Needs, _) => Some(Self::YjsAssessment),
            _ => None,
        }
    }
}

/// One prerequisite not yet in place, with what the checks say is lacking and the guidance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub what: Prerequisite,
    pub details: Vec<String>,
    pub guidance: Vec<&'static str>,
}

/// When the YJS assessment is due and when (if yet) it was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessmentTimescale {
    pub due: NaiveDate,
    pub completed: Option<NaiveDate>,
}

impl AssessmentTimescale {
    /// Not done by `on`, and `on` is past the due date (the due date itself is still in time).
    pub fn overdue_on(&self, on: NaiveDate) -> bool {
        on > self.due && self.completed.is_none_or(|done| done > on)
    }

    /// Done, but after the due date: for timeliness figures.
    pub fn completed_late(&self) -> bool {
        self.completed.is_some_and(|done| done > self.due)
    }
}

/// The date the YJS assessment is due: the panel's working days after the referral date.
pub fn assessment_due(referral: &Referral, panel: &PanelDefinition) -> NaiveDate {
    panel.working_days.add(referral.referral_date, u32::from(panel.timescales.assessment_working_days))
}

pub fn assessment_timescale(
    referral: &Referral,
    assessed_on: Option<NaiveDate>,
    panel: &PanelDefinition,
) -> AssessmentTimescale {
    AssessmentTimescale { due: assessment_due(referral, panel), completed: assessed_on }
}

/// Calendar days from the referral to `on` (none before the referral arrives).
pub fn days_waiting(referral: &Referral, on: NaiveDate) -> i64 {
    (on - referral.referral_date).num_days().max(0)
}

/// Where one referral stands on a date, before the panel decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub days_waiting: i64,
    pub assessment: AssessmentTimescale,
    pub assessment_overdue: bool,
    /// In the order of [`Prerequisite::ALL`]; empty when the panel has what it needs.
    pub missing: Vec<Missing>,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.missing.is_empty()
    }

    pub fn lacks(&self, what: Prerequisite) -> bool {
        self.missing.iter().any(|m| m.what == what)
    }
}

const NOT_COMPLETED: &str = "Not completed (no assessment date recorded)";

pub fn readiness(case: &Case, panel: &PanelDefinition, on: NaiveDate) -> Readiness {
    let assessment = assessment_timescale(&case.referral, case.needs.assessed_on, panel);
    let mut missing: Vec<Missing> = Vec::new();
    let mut add = |what: Prerequisite, detail: String, guidance: &'static str| {
        match missing.iter_mut().find(|m| m.what == what) {
            Some(m) => m.details.push(detail),
            None => missing.push(Missing { what, details: vec![detail], guidance: Vec::new() }),
        }
        let m = missing.iter_mut().find(|m| m.what == what).expect("just added");
        if !m.guidance.contains(&guidance) {
            m.guidance.push(guidance);
        }
    };
    if case.needs.assessed_on.is_none_or(|d| d > on) {
        add(Prerequisite::YjsAssessment, NOT_COMPLETED.into(), G_ASSESSMENT_TIMESCALE);
    }
    for f in checks::check(case, panel) {
        if let Some(what) = Prerequisite::of(&f) {
            add(what, f.reason, f.guidance);
        }
    }
    missing.sort_by_key(|m| m.what);
    Readiness {
        days_waiting: days_waiting(&case.referral, on),
        assessment,
        assessment_overdue: assessment.overdue_on(on),
        missing,
    }
}
