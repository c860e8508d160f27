//! Guidance checks on a proposed outcome: each finding is blocking (the decision cannot be
//! recorded) or a warning (the panel may go on, with the reason in its rationale).

use super::gravity::{self, GravityScore};
use super::panel::{ConditionsRule, OffenceType, OutcomeDef, PanelDefinition};
use super::referral::{Case, Member};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Blocking,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Warning => "WARNING",
            Self::Blocking => "BLOCKED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable id for tests, debriefs and reports.
    pub rule: &'static str,
    pub severity: Severity,
    pub reason: String,
    pub guidance: &'static str,
}

const G_ADMISSION: &str =
    "Crime and Disorder Act 1998 ss.66ZA, 66A: a youth caution or youth conditional caution needs an admission";
const G_ACCEPTANCE: &str = "Community resolution guidance: the child must accept responsibility";
const G_CONSENT: &str = "Crime and Disorder Act 1998 s.66A: a youth conditional caution needs the child's consent";
const G_EVIDENCE: &str = "Crime and Disorder Act 1998 s.66ZA: evidence sufficient to charge";
const G_CR_PREVIOUS: &str = "HM Inspectorate of Probation out-of-court thematic: community resolutions are not for children with previous offending";
const G_CR_SERIOUS: &str = "Child Gravity Matrix: community resolutions are for less serious offences";
const G_DEPARTURE: &str =
    "Child Gravity Matrix (NPCC 2023): departing from the indicated outcome needs a recorded rationale";
const G_RATIONALE: &str = "YJB case management guidance: every joint decision records its rationale";
const G_INSPECTOR: &str =
    "Joint inspection 2023/25: moving a score by more than the allowed adjustment needs an inspector's authority";
const G_CONDITIONS: &str = "Youth conditional caution code of practice: conditions must be set";
const G_CONDITIONS_NONE: &str = "Outcome definition: this outcome carries no conditions";
const G_VICTIM: &str = "Victims' Code: seek the victim's views before the decision";
const G_CHILD_VOICE: &str = "Child First (YJB): the child's own views are heard and recorded";
const G_CARER: &str = "HM Inspectorate of Probation: record the parent/carer's views";
const G_QUORUM: &str = "YJB/NPCC joint decision making: police and YJS both take part";
const G_DISAGREE: &str = "NPCC 2025: where police and YJS disagree the final decision rests with the police, and the disagreement is recorded";
const G_AGE: &str = "Youth out-of-court outcomes apply to children aged 10–17 at the time of the offence";
const G_WEAPON: &str = "National guidance on knife and offensive weapon offences";
const G_CPS: &str = "Director's Guidance on Charging: CPS authority for an indictable-only offence";
const G_SAFEGUARDING: &str = "Working Together to Safeguard Children: act on safeguarding concerns";
const G_UNKNOWN: &str = "Panel definition: outcome codes";

fn finding(rule: &'static str, severity: Severity, reason: String, guidance: &'static str) -> Finding {
    Finding { rule, severity, reason, guidance }
}

/// The required agencies (by name) with no one among `present`: empty when the quorum is met.
pub fn missing_for_quorum(present: &[Member], panel: &PanelDefinition) -> Vec<String> {
    panel
        .quorum
        .required
        .iter()
        .filter(|a| !present.iter().any(|m| &m.agency == *a))
        .map(|a| panel.agency(a).map_or(a.clone(), |ag| ag.name.clone()))
        .collect()
}

/// Findings that hold whatever outcome is chosen (quorum, victim, voices, age, safeguarding).
pub fn case_findings(case: &Case, panel: &PanelDefinition) -> Vec<Finding> {
    use Severity::*;
    let mut out = Vec::new();
    let missing = missing_for_quorum(&case.decision.present, panel);
    if !missing.is_empty() {
        out.push(finding(
            "quorum",
            Blocking,
            format!("Not a joint decision: no one present from {}", missing.join(", ")),
            G_QUORUM,
        ));
    }
    if !case.victim.is_settled() {
        out.push(finding(
            "victim_views",
            Blocking,
            "The victim's views are not recorded, nor marked not obtainable with a reason".into(),
            G_VICTIM,
        ));
    }
    if case.needs.child_views.trim().is_empty() {
        out.push(finding("child_views", Warning, "The child's own views are not recorded".into(), G_CHILD_VOICE));
    }
    if case.needs.carer_views.trim().is_empty() {
        out.push(finding("carer_views", Warning, "The parent/carer's views are not recorded".into(), G_CARER));
    }
    match case.referral.age_at_offence() {
        Some(age) if !(10..=17).contains(&age) => {
            out.push(finding("age", Blocking, format!("The child was {age} at the offence: outside 10–17"), G_AGE))
        }
        None => out.push(finding("age", Blocking, "No offence date, so no age at offence".into(), G_AGE)),
        _ => {}
    }
    let r = &case.research;
    if !r.safeguarding.trim().is_empty() && !r.safeguarding_referral_made {
        out.push(finding(
            "safeguarding",
            Warning,
            "The research summary notes a safeguarding concern but no safeguarding referral is recorded".into(),
            G_SAFEGUARDING,
        ));
    }
    out
}

/// Findings for one outcome as if it were proposed: the proposed-outcome step lists every
/// outcome with these, so the panel sees what each would need.
pub fn outcome_findings(
    case: &Case,
    outcome: &OutcomeDef,
    score: Option<&GravityScore>,
    panel: &PanelDefinition,
) -> Vec<Finding> {
    use Severity::*;
    let mut out = Vec::new();
    let d = &case.decision;
    let response = case.referral.response;
    let label = &outcome.label;
    if outcome.requires_admission && !response.is_admission() {
        out.push(finding(
            "admission",
            Blocking,
            format!("{label} needs an admission; the child's response was: {}", response.label()),
            G_ADMISSION,
        ));
    } else if outcome.requires_acceptance && !response.accepts_responsibility() {
        out.push(finding(
            "acceptance",
            Blocking,
            format!("{label} needs acceptance of responsibility; the child's response was: {}", response.label()),
            G_ACCEPTANCE,
        ));
    }
    if outcome.requires_consent && !d.child_consents {
        out.push(finding("consent", Blocking, format!("{label} needs the child's consent, not recorded"), G_CONSENT));
    }
    if outcome.requires_sufficient_evidence && !d.evidence_sufficient {
        out.push(finding(
            "evidence",
            Blocking,
            format!("{label} needs evidence sufficient to charge, not confirmed"),
            G_EVIDENCE,
        ));
    }
    if outcome.warn_if_previous_outcomes && !case.referral.previous_outcomes.is_empty() {
        out.push(finding(
            "previous_outcomes",
            Warning,
            format!("{label} for a child with {} previous outcome(s)", case.referral.previous_outcomes.len()),
            G_CR_PREVIOUS,
        ));
    }
    if let (Some(threshold), Some(s)) = (outcome.warn_at_or_above_score, score)
        && s.final_score >= threshold
    {
        out.push(finding(
            "serious",
            Warning,
            format!("{label} at gravity score {} (serious from {threshold})", s.final_score),
            G_CR_SERIOUS,
        ));
    }
    let no_rationale = d.rationale.trim().is_empty();
    if let Some(s) = score
        && s.is_departure(&outcome.code)
        && no_rationale
    {
        out.push(finding(
            "departure",
            Blocking,
            format!(
                "{label} departs from the matrix (score {} points to {}): record why in the rationale",
                s.final_score,
                s.indicated_outcome().unwrap_or("no outcome")
            ),
            G_DEPARTURE,
        ));
    }
    match outcome.conditions {
        ConditionsRule::Required if d.conditions.iter().all(|c| c.trim().is_empty()) => {
            out.push(finding("conditions", Blocking, format!("{label} needs at least one condition"), G_CONDITIONS))
        }
        ConditionsRule::None if !d.conditions.is_empty() => out.push(finding(
            "conditions_not_allowed",
            Warning,
            format!("{label} carries no conditions; record them as voluntary interventions instead"),
            G_CONDITIONS_NONE,
        )),
        _ => {}
    }
    if let Some(offence) = panel.offence(&case.gravity.offence) {
        if let (Some(from), Some(age)) = (offence.normally_charge_from_age, case.referral.age_at_offence())
            && age >= u32::from(from)
            && !outcome.goes_to_court
        {
            out.push(finding(
                "weapon_age",
                Warning,
                format!("{}: children aged {from} and over are normally charged; the child was {age}", offence.name),
                G_WEAPON,
            ));
        }
        if outcome.cps_authority_for_indictable_only
            && offence.offence_type == OffenceType::IndictableOnly
            && d.cps_authority.as_deref().is_none_or(|a| a.trim().is_empty())
        {
            out.push(finding(
                "cps_authority",
                Blocking,
                format!("{label} for an indictable-only offence needs CPS authority, not recorded"),
                G_CPS,
            ));
        }
    }
    out
}

/// Everything that stands between this case and a recorded decision.
pub fn check(case: &Case, panel: &PanelDefinition) -> Vec<Finding> {
    use Severity::*;
    let mut out = case_findings(case, panel);
    let score = gravity::score(&panel.gravity, &case.gravity);
    match &score {
        Err(e) => out.push(finding("gravity", Blocking, format!("No gravity score: {e}"), G_DEPARTURE)),
        Ok(s) if s.needs_inspector && !inspector_named(case) => out.push(finding(
            "inspector",
            Blocking,
            format!(
                "The score moves {} point(s) from the base {} (allowed without an inspector: {}); record the inspector's name and rank",
                s.movement.abs(),
                s.base,
                panel.gravity.max_move_without_inspector
            ),
            G_INSPECTOR,
        )),
        Ok(_) => {}
    }
    let d = &case.decision;
    if d.disagreement() {
        let final_say = &panel.quorum.final_say;
        match (d.outcome.as_deref(), d.view_of(final_say)) {
            (None, _) => out.push(finding(
                "disagreement",
                Blocking,
                "Police and YJS disagree and the final outcome is not stated".into(),
                G_DISAGREE,
            )),
            (Some(o), Some(v)) if v.outcome != o => out.push(finding(
                "disagreement",
                Blocking,
                format!("Where the views differ the final outcome is {}'s view ({}), not {o}", final_say, v.outcome),
                G_DISAGREE,
            )),
            _ => {}
        }
    }
    match d.outcome.as_deref() {
        None => out.push(finding("outcome", Blocking, "No outcome has been chosen".into(), G_RATIONALE)),
        Some(code) => match panel.outcome(code) {
            None => out.push(finding(
                "outcome",
                Blocking,
                format!("\"{code}\" is not an outcome in this panel definition"),
                G_UNKNOWN,
            )),
            Some(outcome) => out.extend(outcome_findings(case, outcome, score.as_ref().ok(), panel)),
        },
    }
    if d.rationale.trim().is_empty() {
        out.push(finding("rationale", Blocking, "The decision has no rationale".into(), G_RATIONALE));
    }
    out.sort_by(|a, b| b.severity.cmp(&a.severity));
    out
}

fn inspector_named(case: &Case) -> bool {
    case.gravity.inspector.as_ref().is_some_and(|i| !i.name.trim().is_empty() && !i.rank.trim().is_empty())
}

pub fn blocking(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Blocking)
}
