//! Guidance checks on a proposed outcome: each finding is blocking (the decision cannot be
//! recorded) or a warning (the panel may go on, with the reason in its rationale).

use super::gravity::{self, GravityScore};
use super::panel::{ConditionsRule, OffenceType, OutcomeDef, PanelDefinition};
use super::referral::{Case, Member, NeedLevel};
use super::steps::Step;

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
    /// The step where the panel puts it right.
    pub step: Step,
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
const G_ROLES: &str = "the panel's roles (jdp server grant): a chair records decisions, a member prepares them";
const G_CHAIR: &str = "YJB/NPCC joint decision making: the panel's decision and who made it are recorded";
const G_QUORUM: &str = "YJB/NPCC joint decision making: police and YJS both take part";
const G_DISAGREE: &str = "NPCC 2025: where police and YJS disagree the final decision rests with the police, and the disagreement is recorded";
const G_AGE: &str = "Youth out-of-court outcomes apply to children aged 10–17 at the time of the offence";
const G_WEAPON: &str = "Home Office/MoJ guidance on children and knives (12 February 2026); NPCC guidance on knife and offensive weapon offences";
const G_O22: &str = "NPCC Outcome 22 guidance (April 2019): the panel records which kind of Outcome 22 it is";
const G_DEFERRED_CAUTION: &str = "NPCC Outcome 22 guidance: a deferred caution needs an admission, as a caution does (Crime and Disorder Act 1998 s.66ZA)";
const G_INTERVENTION: &str = "Local Outcome 22 protocol: the intervention's length (panel definition)";
const G_CHECKLIST: &str = "Statutory requirements of the outcome (panel definition; source named with each)";
const G_AUTHORISED: &str = "Crime and Disorder Act 1998 s.66A and the youth conditional caution code of practice: given by an authorised person";
const G_RJ: &str = "Victims' Code 2021 and YJB case management guidance: the YJS offers restorative justice to the victim and records why a victim was not invited";
const G_JUDGEMENT: &str = "Child Gravity Matrix (NPCC 2023): the final score is a judgement within what the factors support, with a recorded rationale";
const G_CPS: &str = "Director's Guidance on Charging: CPS authority for an indictable-only offence";
const G_SAFEGUARDING: &str = "Working Together to Safeguard Children: act on safeguarding concerns";
const G_UNKNOWN: &str = "Panel definition: outcome codes";

const G_RECORD: &str = "YJB case management guidance: a complete, consistent record of the referral";
const G_RESEARCH: &str = "YJB/NPCC joint decision making: an auditable record of each police systems search";
const G_NEEDS: &str = "YJB Prevention and Diversion assessment: every needs domain assessed";
const G_VIEWS: &str = "YJB/NPCC joint decision making: each agency's view is recorded for the outcome proposed";

fn finding(rule: &'static str, severity: Severity, reason: String, guidance: &'static str) -> Finding {
    Finding { rule, severity, reason, guidance, step: step_of(rule) }
}

/// Where each rule is put right: one table, so no screen has to guess.
fn step_of(rule: &str) -> Step {
    match rule {
        "age" | "child_dob" | "reference" | "child_name" | "offence" | "ethnicity" | "officer" | "local_authority" => {
            Step::Facts
        }
        "research_audit" | "research_history" | "safeguarding" => Step::Research,
        "victim_views" => Step::Victim,
        "recorder" => Step::Record,
        "child_views" | "carer_views" | "needs_assessed" => Step::Needs,
        "gravity" | "inspector" => Step::Gravity,
        "outcome"
        | "admission"
        | "acceptance"
        | "consent"
        | "evidence"
        | "previous_outcomes"
        | "serious"
        | "departure"
        | "weapon_age"
        | "cps_authority"
        | "variant"
        | "variant_admission"
        | "intervention_length"
        | "checklist"
        | "authorised_by" => Step::Outcome,
        "rj_offer" | "rj_reason" | "rj_safety" => Step::Victim,
        "judgement" | "judgement_range" => Step::Gravity,
        _ => Step::Decision,
    }
}

/// The required agencies (by name) with no one among `present`: empty when the quorum is met.
pub fn missing_for_quorum(present: &[Member], panel: &PanelDefinition) -> Vec<String> {
    panel
        .quorum
        .required
        .iter()
        .filter(|a| !present.iter().any(|m| m.is_someone() && &m.agency == *a))
        .map(|a| panel.agency(a).map_or(a.clone(), |ag| ag.name.clone()))
        .collect()
}

/// Findings about the panel session itself: a record names who chaired it (issue 9, "who
/// recorded it"), so a session with no chair named cannot record.
pub fn session_findings(chair: &str, present: &[Member]) -> Vec<Finding> {
    let chair = chair.trim();
    if chair.is_empty() {
        return vec![finding(
            "chair",
            Severity::Blocking,
            "No chair is named for this panel session (Esc, then s): the record says who chaired".into(),
            G_CHAIR,
        )];
    }
    // The chair is one of the panel: a name not among those present is a slip to look at.
    let same = |m: &Member| m.is_someone() && m.name.trim().to_lowercase() == chair.to_lowercase();
    if present.iter().any(same) {
        Vec::new()
    } else {
        vec![finding(
            "chair",
            Severity::Warning,
            format!("The chair ({chair}) is not among those present: add them to the session, or check the name"),
            G_CHAIR,
        )]
    }
}

/// A screen whose login may prepare but not record (a member's, on a server: the server's
/// grants refuse the record): said before the walk offers to record, as every finding is.
pub fn not_a_recorder(login: &str) -> Finding {
    finding(
        "recorder",
        Severity::Blocking,
        format!(
            "Your login ({login}) may prepare this decision but not record it: a chair of the panel records it \
             from their own screen, where your work is waiting"
        ),
        G_ROLES,
    )
}

/// Findings that hold whatever outcome is chosen (quorum, victim, voices, age, safeguarding).
pub fn case_findings(case: &Case, panel: &PanelDefinition, present: &[Member]) -> Vec<Finding> {
    use Severity::*;
    let mut out = Vec::new();
    let missing = missing_for_quorum(present, panel);
    if !missing.is_empty() {
        out.push(finding(
            "quorum",
            Blocking,
            format!("Not a joint decision: no one present from {}", missing.join(", ")),
            G_QUORUM,
        ));
    }
    for what in case.victim.missing() {
        out.push(finding("victim_views", Blocking, format!("Victim's views: {what}"), G_VICTIM));
    }
    if case.needs.child_views.trim().is_empty() {
        out.push(finding("child_views", Warning, "The child's own views are not recorded".into(), G_CHILD_VOICE));
    }
    if case.needs.carer_views.trim().is_empty() {
        out.push(finding("carer_views", Warning, "The parent/carer's views are not recorded".into(), G_CARER));
    }
    match case.referral.age_at_offence() {
        None if !case.referral.child.dob_known() => {
            out.push(finding("child_dob", Blocking, "No date of birth, so no age at offence".into(), G_AGE))
        }
        Some(age) if !(10..=17).contains(&age) => {
            out.push(finding("age", Blocking, format!("The child was {age} at the offence: outside 10–17"), G_AGE))
        }
        None => out.push(finding("age", Blocking, "No offence date, so no age at offence".into(), G_AGE)),
        _ => {}
    }
    if let super::referral::VictimViews::Contacted(c) = &case.victim {
        use super::referral::RjStatus;
        match c.rj {
            // A victim who asked for no further contact is not offered it (Victims' Code).
            RjStatus::NotYetOffered if !case.victim.opted_out() => out.push(finding(
                "rj_offer",
                Warning,
                "Restorative justice: not yet offered to the victim (record the offer, or why they were not invited)".into(),
                G_RJ,
            )),
            RjStatus::NotInvited if c.rj_not_invited_reason.trim().is_empty() => out.push(finding(
                "rj_reason",
                Warning,
                "The victim was not invited to restorative justice: record why".into(),
                G_RJ,
            )),
            RjStatus::Accepted if !c.safety_concerns.trim().is_empty() => out.push(finding(
                "rj_safety",
                Warning,
                "The victim accepted restorative justice but safety concerns are recorded: check they do not rule it out"
                    .into(),
                G_RJ,
            )),
            _ => {}
        }
    }
    let r = &case.research;
    if !r.safeguarding.trim().is_empty() && !says_nothing(&r.safeguarding) && !r.safeguarding_referral_made {
        out.push(finding(
            "safeguarding",
            Warning,
            "The research summary notes a safeguarding concern but no safeguarding referral is recorded".into(),
            G_SAFEGUARDING,
        ));
    }
    out
}

/// A note that says, in so many words, that there is nothing to note ("None known.", "No
/// concerns", "N/A"). Anything more is read as a concern: a needless warning costs a glance, a
/// missed concern costs more.
fn says_nothing(note: &str) -> bool {
    const NOTHING: &[&str] = &[
        "none",
        "none known",
        "none identified",
        "none noted",
        "none recorded",
        "nil",
        "n/a",
        "na",
        "not applicable",
        "nothing known",
        "nothing of note",
        "no concern",
        "no concerns",
        "no concerns known",
        "no concerns identified",
        "no concerns noted",
        "no known concerns",
        "no safeguarding concerns",
        "no safeguarding concerns identified",
        "no known safeguarding concerns",
    ];
    let letters: String =
        note.to_lowercase().chars().map(|c| if c.is_alphanumeric() || c == '/' { c } else { ' ' }).collect();
    NOTHING.contains(&letters.split_whitespace().collect::<Vec<_>>().join(" ").as_str())
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
    if !outcome.variants.is_empty() {
        match d.variant.as_deref().and_then(|v| outcome.variants.iter().find(|x| x.id == v)) {
            None => out.push(finding(
                "variant",
                Blocking,
                format!(
                    "{label}: say which — {}",
                    outcome.variants.iter().map(|v| v.label.as_str()).collect::<Vec<_>>().join(", ")
                ),
                G_O22,
            )),
            Some(v) if v.requires_admission && !response.is_admission() => out.push(finding(
                "variant_admission",
                Blocking,
                format!(
                    "A {} needs an admission; the child's response was: {}",
                    v.label.to_lowercase(),
                    response.label()
                ),
                G_DEFERRED_CAUTION,
            )),
            Some(_) => {}
        }
    }
    if let Some([lo, hi]) = outcome.intervention_weeks {
        match d.intervention_weeks {
            None => out.push(finding(
                "intervention_length",
                Warning,
                format!("{label}: the intervention's length is not recorded (locally {lo}–{hi} weeks)"),
                G_INTERVENTION,
            )),
            Some(w) if w < lo || w > hi => out.push(finding(
                "intervention_length",
                Warning,
                format!("{label}: an intervention of {w} weeks is outside the local {lo}–{hi} weeks"),
                G_INTERVENTION,
            )),
            Some(_) => {}
        }
    }
    // Items the record already shows (an admission, evidence, consent) have their own rules;
    // the others the panel confirms one by one.
    for item in outcome.checklist.iter().filter(|i| !is_derived(&i.id)) {
        if !checklist_met(case, &item.id) {
            out.push(finding(
                "checklist",
                Blocking,
                format!("{label}: not confirmed — {} ({})", item.label, item.source),
                G_CHECKLIST,
            ));
        }
    }
    if let Some(rank) = &outcome.authorised_by
        && d.authorised_by.trim().is_empty()
    {
        out.push(finding(
            "authorised_by",
            Blocking,
            format!("{label} is given on the authority of an officer of the rank of {rank}: record who authorised it"),
            G_AUTHORISED,
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
    {
        let indicated = s.indicated_outcome().and_then(|o| panel.outcome(o)).map_or("no outcome", |o| o.label.as_str());
        // The rationale clears the block, never the note: the departure stays on the record.
        let (severity, then) =
            if no_rationale { (Blocking, "record why in the rationale") } else { (Warning, "the rationale says why") };
        out.push(finding(
            "departure",
            severity,
            format!("{label} departs from the matrix: score {} indicates {indicated}; {then}", s.final_score),
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

/// Checklist items whose answer the record already holds: the child's response, the evidence
/// toggle and consent.
pub fn is_derived(id: &str) -> bool {
    matches!(id, "admission" | "evidence_sufficient" | "consent")
}

/// Whether a checklist item is met for this case.
pub fn checklist_met(case: &Case, id: &str) -> bool {
    let d = &case.decision;
    match id {
        "admission" => case.referral.response.is_admission(),
        "evidence_sufficient" => d.evidence_sufficient,
        "consent" => d.child_consents,
        other => d.confirmed.iter().any(|c| c == other),
    }
}

/// Everything that stands between this case and a recorded decision, with attendance taken
/// from the case itself (a recorded decision, a scenario, a test).
pub fn check(case: &Case, panel: &PanelDefinition) -> Vec<Finding> {
    check_with(case, panel, &case.decision.present)
}

/// Everything the guidance finds, with attendance read from whoever is present now. The one
/// source for the step bar, the review, the record button and the confirm dialog.
pub fn check_with(case: &Case, panel: &PanelDefinition, present: &[Member]) -> Vec<Finding> {
    use Severity::*;
    let mut out = completeness(case, panel);
    out.extend(case_findings(case, panel, present));
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
    if let Ok(s) = &score {
        if let Some(j) = s.judged_outside {
            out.push(finding(
                "judgement_range",
                Blocking,
                format!(
                    "The score set by judgement ({j}) is outside what the factors support ({}–{})",
                    s.supported.0, s.supported.1
                ),
                G_JUDGEMENT,
            ));
        } else if s.judged && case.gravity.judgement_rationale.trim().is_empty() {
            out.push(finding(
                "judgement",
                Blocking,
                format!("The panel set the score at {} by judgement: record why", s.final_score),
                G_JUDGEMENT,
            ));
        }
    }
    let d = &case.decision;
    for agency in ["police", "yjs"] {
        let name = panel.agency(agency).map_or(agency.to_string(), |a| a.name.clone());
        match d.view_of(agency) {
            None => out.push(finding("agency_view", Blocking, format!("The {name} view is not recorded"), G_VIEWS)),
            Some(v) if d.is_stale(v) => out.push(finding(
                "stale_view",
                Blocking,
                format!(
                    "The {name} view ({}) was given for {}; the proposal is now {}: give it again",
                    outcome_label(panel, &v.outcome),
                    v.given_for.as_deref().map_or("an earlier proposal".into(), |o| outcome_label(panel, o)),
                    d.proposed.as_deref().map_or("none".into(), |o| outcome_label(panel, o)),
                ),
                G_VIEWS,
            )),
            Some(_) => {}
        }
    }
    if !d.disagreement()
        && let (Some(v), Some(o)) = (d.view_of("police"), d.outcome.as_deref())
        && d.view_of("yjs").is_some()
        && v.outcome != o
    {
        out.push(finding(
            "final_outcome",
            Blocking,
            format!(
                "Police and YJS agree on {}, but the final outcome is {}",
                outcome_label(panel, &v.outcome),
                outcome_label(panel, o)
            ),
            G_DISAGREE,
        ));
    }
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
                format!(
                    "Where the views differ the final outcome is the {} view ({}), not {}",
                    panel.agency(final_say).map_or(final_say.as_str(), |a| a.name.as_str()),
                    outcome_label(panel, &v.outcome),
                    outcome_label(panel, o)
                ),
                G_DISAGREE,
            )),
            _ => {}
        }
    }
    match d.outcome.as_deref() {
        None => out.push(finding("final_outcome", Blocking, "No final outcome has been chosen".into(), G_RATIONALE)),
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
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.step.cmp(&b.step)));
    out
}

fn outcome_label(panel: &PanelDefinition, code: &str) -> String {
    panel.outcome(code).map_or(code.to_string(), |o| o.label.clone())
}

/// What each step still lacks. Blocking where the guidance makes it a precondition of the
/// decision; a warning where the record is merely incomplete.
fn completeness(case: &Case, panel: &PanelDefinition) -> Vec<Finding> {
    use Severity::*;
    let mut out = Vec::new();
    let mut need = |cond: bool, rule: &'static str, severity: Severity, reason: &str, guidance: &'static str| {
        if cond {
            out.push(finding(rule, severity, reason.to_string(), guidance));
        }
    };
    let r = &case.referral;
    need(r.reference.trim().is_empty(), "reference", Blocking, "No local reference", G_RECORD);
    need(r.child.name.trim().is_empty(), "child_name", Blocking, "No child's name", G_RECORD);
    need(r.offences.is_empty(), "offence", Blocking, "No offence recorded", G_RECORD);
    need(
        r.child.ethnicity.trim().is_empty(),
        "ethnicity",
        Warning,
        "Ethnicity not recorded (or \"not stated\")",
        G_RECORD,
    );
    need(r.officer_in_case.trim().is_empty(), "officer", Warning, "No officer in the case", G_RECORD);
    need(
        r.child.looked_after.as_ref().is_some_and(|l| l.local_authority.trim().is_empty()),
        "local_authority",
        Blocking,
        "A looked-after child with no responsible local authority",
        G_RECORD,
    );
    let res = &case.research;
    need(
        res.searches.is_empty(),
        "research_audit",
        Warning,
        "No search audit entry (date, who, what, systems, supplied)",
        G_RESEARCH,
    );
    need(res.history.trim().is_empty(), "research_history", Warning, "No history of involvement", G_RESEARCH);
    for (i, s) in res.searches.iter().enumerate() {
        if s.requested_by.trim().is_empty() || s.request.trim().is_empty() || s.systems.is_empty() {
            out.push(finding(
                "research_audit",
                Warning,
                format!("Search {}: who requested it, what, and which systems", i + 1),
                G_RESEARCH,
            ));
        }
    }
    let assessed = case.needs.needs.iter().filter(|n| n.level != NeedLevel::NotAssessed).count();
    let domains = panel.needs.domains.len();
    if assessed < domains {
        out.push(finding(
            "needs_assessed",
            Warning,
            format!("{} of {domains} needs domains not assessed", domains - assessed),
            G_NEEDS,
        ));
    }
    if case.decision.proposed.is_none() && case.decision.outcome.is_none() {
        out.push(finding("outcome", Blocking, "No outcome has been proposed".into(), G_RATIONALE));
    }
    out
}

fn inspector_named(case: &Case) -> bool {
    case.gravity.inspector.as_ref().is_some_and(|i| !i.name.trim().is_empty() && !i.rank.trim().is_empty())
}

pub fn blocking(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Blocking)
}
