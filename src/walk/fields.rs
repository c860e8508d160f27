//! The fields of each walk step, bound to the case: what a chair sees and edits, built from the
//! panel definition (offences, factors, outcomes, needs domains) and the case itself.

use chrono::NaiveDate;

use crate::domain::PanelDefinition;
use crate::domain::gravity;
use crate::domain::referral::*;

use super::Step;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Reference,
    ChildName,
    KnownAs,
    DateOfBirth,
    Sex,
    Ethnicity,
    LookedAfter,
    LocalAuthority,
    SocialWorker,
    Offence,
    OffenceDate,
    OffenceDetails,
    Response,
    Previous,
    Officer,
    ReferralDate,
    AppropriateAdult,
    History,
    Intelligence,
    FamilyContext,
    Exploitation,
    Safeguarding,
    LiveInvestigation,
    OicConsulted,
    SafeguardingReferral,
    Search(usize, SearchPart),
    AddSearch,
    VictimStatus,
    VictimReason,
    ContactedOn,
    ContactedBy,
    ContactMethod,
    VictimUnder18,
    VictimViews,
    VictimWishes,
    VictimConsent,
    VictimNoContact,
    Restorative,
    VictimSafety,
    VictimEnhanced,
    RjStatus,
    RjReason,
    NeedsTool,
    Assessor,
    AssessedOn,
    NeedLevel(String),
    NeedNote(String),
    Strengths,
    ChildViews,
    CarerViews,
    Conclusion,
    GravityOffence,
    Factors,
    InspectorName,
    InspectorRank,
    JudgedScore,
    JudgementRationale,
    Outcome,
    Evidence,
    Consent,
    CpsAuthority,
    Variant,
    InterventionWeeks,
    Checklist,
    AuthorisedBy,
    PoliceView,
    YjsView,
    FinalOutcome,
    Rationale,
    Conditions,
    Interventions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchPart {
    RequestedOn,
    RequestedBy,
    Request,
    Systems,
    Supplied,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Line,
    /// Several lines, wrapped.
    Text,
    Date,
    Toggle,
    /// One of these (id, label); `None` allowed when `optional`.
    Choice {
        options: Vec<(String, String)>,
        optional: bool,
    },
    /// Any of these.
    Multi(Vec<(String, String)>),
    /// A button, e.g. "Add a search".
    Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: Key,
    pub label: String,
    pub kind: Kind,
    pub hint: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Date(Option<NaiveDate>),
    Bool(bool),
    Choice(Option<String>),
    Multi(Vec<String>),
    None,
}

impl Value {
    /// The value as a person reads it in the form.
    pub fn display(&self, kind: &Kind) -> String {
        match (self, kind) {
            (Value::Text(t), _) => t.clone(),
            (Value::Date(d), _) => d.map(|d| d.to_string()).unwrap_or_default(),
            (Value::Bool(b), _) => if *b { "[x] yes" } else { "[ ] no" }.into(),
            (Value::Choice(c), Kind::Choice { options, .. }) => c
                .as_ref()
                .map(|id| options.iter().find(|(o, _)| o == id).map_or(id.clone(), |(_, l)| l.clone()))
                .unwrap_or_default(),
            (Value::Multi(items), _) if items.is_empty() => "— none".into(),
            (Value::Multi(items), Kind::Multi(options)) => items
                .iter()
                .map(|id| options.iter().find(|(o, _)| o == id).map_or(id.clone(), |(_, l)| l.clone()))
                .collect::<Vec<_>>()
                .join("; "),
            (Value::Choice(c), _) => c.clone().unwrap_or_default(),
            (Value::Multi(items), _) => items.join("; "),
            (Value::None, _) => String::new(),
        }
    }
}

fn f(key: Key, label: &str, kind: Kind) -> Field {
    Field { key, label: label.to_string(), kind, hint: "" }
}

fn hinted(key: Key, label: &str, kind: Kind, hint: &'static str) -> Field {
    Field { key, label: label.to_string(), kind, hint }
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

pub fn sex_options() -> Vec<(String, String)> {
    Sex::ALL.into_iter().map(|v| (id_of(v).unwrap_or_default(), v.label().to_string())).collect()
}

pub fn response_options() -> Vec<(String, String)> {
    Response::ALL.into_iter().map(|v| (id_of(v).unwrap_or_default(), v.label().to_string())).collect()
}

pub fn victim_options() -> Vec<(String, String)> {
    pairs(&[
        ("not-recorded", "Not yet recorded"),
        ("no-direct-victim", "No direct victim"),
        ("not-obtainable", "Views not obtainable"),
        ("contacted", "Victim contacted"),
    ])
}

pub fn level_options() -> Vec<(String, String)> {
    NeedLevel::ALL.into_iter().map(|v| (id_of(v).unwrap_or_default(), v.label().to_string())).collect()
}

pub fn rj_status_options() -> Vec<(String, String)> {
    RjStatus::ALL.into_iter().map(|v| (id_of(v).unwrap_or_default(), v.label().to_string())).collect()
}

/// The outcome the outcome step's questions are about: the final one once chosen, else the proposal.
fn outcome_in_question<'p>(case: &Case, panel: &'p PanelDefinition) -> Option<&'p crate::domain::panel::OutcomeDef> {
    case.decision.outcome.as_deref().or(case.decision.proposed.as_deref()).and_then(|c| panel.outcome(c))
}

fn outcome_options(panel: &PanelDefinition) -> Vec<(String, String)> {
    panel.outcomes.iter().map(|o| (o.code.clone(), format!("{} ({})", o.label, o.code))).collect()
}

/// The fields of a step for this case, in the order the panel works through them.
pub fn fields(step: Step, case: &Case, panel: &PanelDefinition) -> Vec<Field> {
    use Kind::*;
    let choice = |options, optional| Choice { options, optional };
    match step {
        Step::Facts => {
            let mut v = vec![
                f(Key::Reference, "Local reference", Line),
                f(Key::ChildName, "Child's name", Line),
                hinted(Key::KnownAs, "Also known as", Line, "other names, comma-separated"),
                hinted(Key::DateOfBirth, "Date of birth", Date, "YYYY-MM-DD"),
                f(Key::Sex, "Sex", choice(sex_options(), false)),
                hinted(Key::Ethnicity, "Ethnicity", Line, "as the child describes it"),
                f(Key::LookedAfter, "Looked-after child", Toggle),
            ];
            if case.referral.child.looked_after.is_some() {
                v.push(f(Key::LocalAuthority, "Responsible local authority", Line));
                v.push(f(Key::SocialWorker, "Allocated social worker", Line));
            }
            let offences = panel.gravity.offences.iter().map(|o| (o.name.clone(), o.name.clone())).collect();
            v.extend([
                f(Key::Offence, "Offence", choice(offences, false)),
                hinted(Key::OffenceDate, "Offence date", Date, "YYYY-MM-DD"),
                f(Key::OffenceDetails, "What happened", Text),
                f(Key::Response, "Response to the allegation", choice(response_options(), false)),
                hinted(Key::Previous, "Previous outcomes", Text, "one a line: YYYY-MM-DD, outcome, offence"),
                f(Key::Officer, "Officer in the case", Line),
                hinted(Key::ReferralDate, "Referral date", Date, "YYYY-MM-DD"),
                f(Key::AppropriateAdult, "Appropriate adult", Line),
            ]);
            v
        }
        Step::Research => {
            let mut v = vec![
                f(Key::History, "History of involvement", Text),
                f(Key::Intelligence, "Intelligence", Text),
                f(Key::FamilyContext, "Family context", Text),
                f(Key::Exploitation, "Exploitation concerns", Text),
                f(Key::Safeguarding, "Safeguarding concerns", Text),
                f(Key::LiveInvestigation, "Live investigation involved", Toggle),
                f(Key::OicConsulted, "Officer in the case consulted", Toggle),
                f(Key::SafeguardingReferral, "Safeguarding referral made", Toggle),
            ];
            for i in 0..case.research.searches.len() {
                let n = i + 1;
                v.extend([
                    hinted(
                        Key::Search(i, SearchPart::RequestedOn),
                        &format!("Search {n}: date of request"),
                        Date,
                        "YYYY-MM-DD",
                    ),
                    f(Key::Search(i, SearchPart::RequestedBy), &format!("Search {n}: requested by"), Line),
                    f(Key::Search(i, SearchPart::Request), &format!("Search {n}: what was requested"), Line),
                    hinted(
                        Key::Search(i, SearchPart::Systems),
                        &format!("Search {n}: systems searched"),
                        Line,
                        "comma separated",
                    ),
                    f(Key::Search(i, SearchPart::Supplied), &format!("Search {n}: information supplied"), Text),
                ]);
            }
            v.push(f(Key::AddSearch, "+ Add a search audit entry", Action));
            v
        }
        Step::Victim => {
            let mut v = vec![f(Key::VictimStatus, "Victim's views", choice(victim_options(), false))];
            match &case.victim {
                VictimViews::NotObtainable { .. } => v.push(f(Key::VictimReason, "Why not obtainable", Text)),
                VictimViews::Contacted(_) => {
                    let rj = panel.restorative_options.iter().map(|c| (c.id.clone(), c.label.clone())).collect();
                    v.extend([
                        hinted(Key::ContactedOn, "Contacted on", Date, "YYYY-MM-DD"),
                        f(Key::ContactedBy, "Contacted by", Line),
                        hinted(Key::ContactMethod, "How", Line, "telephone, letter, visit…"),
                        f(Key::VictimUnder18, "Victim under 18 (enhanced service)", Toggle),
                        f(Key::VictimViews, "Views", Text),
                        f(Key::VictimWishes, "Wishes", Text),
                        f(Key::VictimConsent, "Consents to share", Toggle),
                        f(Key::VictimNoContact, "Wants no further contact", Toggle),
                        f(Key::Restorative, "Restorative justice interest", Multi(rj)),
                        f(Key::VictimSafety, "Safety concerns", Text),
                        f(Key::VictimEnhanced, "Enhanced rights: other grounds", Multi(pairs(&ENHANCED_GROUNDS))),
                        f(Key::RjStatus, "Restorative justice offer", choice(rj_status_options(), false)),
                    ]);
                    if matches!(&case.victim, VictimViews::Contacted(c) if c.rj == RjStatus::NotInvited) {
                        v.push(f(Key::RjReason, "Why the victim was not invited", Text));
                    }
                }
                _ => {}
            }
            v
        }
        Step::Needs => {
            let mut v = vec![
                hinted(Key::NeedsTool, "Assessment", Line, "Prevention and Diversion assessment, AssetPlus"),
                f(Key::Assessor, "Assessed by", Line),
                hinted(Key::AssessedOn, "Assessed on", Date, "YYYY-MM-DD"),
            ];
            for d in &panel.needs.domains {
                v.push(f(Key::NeedLevel(d.id.clone()), &d.label, choice(level_options(), false)));
                // "Note on …" first: a narrow label column cuts the end, and the note row must not
                // read the same as the level row above it.
                v.push(f(Key::NeedNote(d.id.clone()), &format!("  note on {}", d.label), Text));
            }
            v.extend([
                f(Key::Strengths, "Strengths", Text),
                f(Key::ChildViews, "The child's own views", Text),
                f(Key::CarerViews, "Parent/carer's views", Text),
                f(Key::Conclusion, "Assessor's conclusion", Text),
            ]);
            v
        }
        Step::Gravity => {
            let offences = panel.gravity.offences.iter().map(|o| (o.name.clone(), o.name.clone())).collect();
            let mut v = vec![f(Key::GravityOffence, "Most serious offence", choice(offences, false))];
            if let Some(offence) = panel.offence(&case.gravity.offence) {
                let factors = gravity::factors_for(&panel.gravity, offence)
                    .into_iter()
                    .map(|fa| (fa.id.clone(), format!("{:+}  {}", fa.effect, fa.label)))
                    .collect();
                v.push(f(Key::Factors, "Aggravating and mitigating factors", Multi(factors)));
            }
            let needs_inspector = gravity::score(&panel.gravity, &case.gravity).is_ok_and(|s| s.needs_inspector)
                || case.gravity.inspector.is_some();
            if needs_inspector {
                v.push(f(Key::InspectorName, "Authorising inspector: name", Line));
                v.push(f(Key::InspectorRank, "Authorising inspector: rank", Line));
            }
            // A matrix that leaves the final score to judgement: the panel sets it within the
            // range the factors support, and says why.
            // (Nothing to judge where the factors support one score only.)
            if panel.gravity.factor_rule == crate::domain::panel::FactorRule::Judgement
                && let Ok(s) = gravity::score(&panel.gravity, &case.gravity)
                && (s.supported.0 < s.supported.1 || case.gravity.judged_score.is_some())
            {
                let (lo, hi) = s.supported;
                let scores = (lo..=hi).map(|n| (n.to_string(), n.to_string())).collect();
                v.push(f(Key::JudgedScore, &format!("Score by judgement ({lo}–{hi})"), choice(scores, true)));
                if case.gravity.judged_score.is_some() {
                    v.push(f(Key::JudgementRationale, "Why the panel set this score", Text));
                }
            }
            v
        }
        Step::Outcome => {
            let mut v = vec![
                f(Key::Outcome, "Proposed outcome", choice(outcome_options(panel), true)),
                f(Key::Evidence, "Evidence sufficient to charge", Toggle),
                f(Key::Consent, "Child consents (conditional caution)", Toggle),
            ];
            let indictable = panel
                .offence(&case.gravity.offence)
                .is_some_and(|o| o.offence_type == crate::domain::panel::OffenceType::IndictableOnly);
            if indictable {
                v.push(f(Key::CpsAuthority, "CPS authority (indictable-only)", Line));
            }
            // What the outcome in question asks for: its kind, its length, its statutory
            // checklist and who authorises it.
            if let Some(o) = outcome_in_question(case, panel) {
                if !o.variants.is_empty() {
                    let kinds = o.variants.iter().map(|x| (x.id.clone(), x.label.clone())).collect();
                    v.push(f(Key::Variant, &format!("Which {}", o.label), choice(kinds, true)));
                }
                if let Some([lo, hi]) = o.intervention_weeks {
                    let label = format!("Intervention length (locally {lo}–{hi} weeks)");
                    v.push(hinted(Key::InterventionWeeks, &label, Line, "a whole number of weeks"));
                }
                let items: Vec<(String, String)> = o
                    .checklist
                    .iter()
                    .filter(|i| !crate::domain::checks::is_derived(&i.id))
                    .map(|i| (i.id.clone(), format!("{} ({})", i.label, i.source)))
                    .collect();
                if !items.is_empty() {
                    v.push(f(Key::Checklist, &format!("{}: statutory checklist", o.label), Multi(items)));
                }
                if let Some(rank) = &o.authorised_by {
                    v.push(f(Key::AuthorisedBy, &format!("Authorised by ({rank}): name"), Line));
                }
            }
            v
        }
        Step::Decision => vec![
            f(Key::PoliceView, "Police view", choice(outcome_options(panel), true)),
            f(Key::YjsView, "YJS view", choice(outcome_options(panel), true)),
            f(Key::FinalOutcome, "Final outcome", choice(outcome_options(panel), true)),
            f(Key::Rationale, "Rationale", Text),
            hinted(Key::Conditions, "Conditions", Text, "one a line"),
            hinted(Key::Interventions, "Interventions (voluntary)", Text, "one a line"),
        ],
        Step::Review | Step::Record => vec![],
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt(s: &Option<String>) -> Value {
    text(s.as_deref().unwrap_or_default())
}

fn lines(items: &[String]) -> Value {
    Value::Text(items.join("\n"))
}

fn id_of<T: serde::Serialize>(v: T) -> Option<String> {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string))
}

fn from_id<T: serde::de::DeserializeOwned>(id: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(id.to_string())).ok()
}

fn contact(case: &Case) -> Option<&VictimContact> {
    case.victim.contact()
}

fn view(case: &Case, agency: &str) -> Value {
    Value::Choice(case.decision.view_of(agency).map(|v| v.outcome.clone()))
}

fn need<'a>(case: &'a Case, domain: &str) -> Option<&'a Need> {
    case.needs.needs.iter().find(|n| n.domain == domain)
}

pub fn get(case: &Case, key: &Key) -> Value {
    let r = &case.referral;
    let first = r.offences.first();
    let la = r.child.looked_after.as_ref();
    let c = contact(case);
    match key {
        Key::Reference => text(&r.reference),
        Key::ChildName => text(&r.child.name),
        Key::KnownAs => Value::Text(r.child.known_as.join(", ")),
        Key::DateOfBirth => Value::Date(r.child.dob_known().then_some(r.child.date_of_birth)),
        Key::Sex => Value::Choice(id_of(r.child.sex)),
        Key::Ethnicity => text(&r.child.ethnicity),
        Key::LookedAfter => Value::Bool(la.is_some()),
        Key::LocalAuthority => text(la.map(|l| l.local_authority.as_str()).unwrap_or_default()),
        Key::SocialWorker => opt(&la.and_then(|l| l.social_worker.clone())),
        Key::Offence => Value::Choice(first.map(|o| o.offence.clone())),
        Key::OffenceDate => Value::Date(first.map(|o| o.date)),
        Key::OffenceDetails => text(first.map(|o| o.details.as_str()).unwrap_or_default()),
        Key::Response => Value::Choice(id_of(r.response)),
        Key::Previous => Value::Text(
            r.previous_outcomes
                .iter()
                .map(|p| format!("{}, {}, {}", p.date, p.outcome, p.offence))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Key::Officer => text(&r.officer_in_case),
        Key::ReferralDate => Value::Date(Some(r.referral_date)),
        Key::AppropriateAdult => opt(&r.appropriate_adult),
        Key::History => text(&case.research.history),
        Key::Intelligence => text(&case.research.intelligence),
        Key::FamilyContext => text(&case.research.family_context),
        Key::Exploitation => text(&case.research.exploitation),
        Key::Safeguarding => text(&case.research.safeguarding),
        Key::LiveInvestigation => Value::Bool(case.research.live_investigation),
        Key::OicConsulted => Value::Bool(case.research.officer_in_case_consulted),
        Key::SafeguardingReferral => Value::Bool(case.research.safeguarding_referral_made),
        Key::Search(i, part) => match case.research.searches.get(*i) {
            None => Value::None,
            Some(s) => match part {
                SearchPart::RequestedOn => Value::Date(Some(s.requested_on)),
                SearchPart::RequestedBy => text(&s.requested_by),
                SearchPart::Request => text(&s.request),
                SearchPart::Systems => Value::Text(s.systems.join(", ")),
                SearchPart::Supplied => text(&s.supplied),
            },
        },
        Key::AddSearch => Value::None,
        Key::VictimStatus => Value::Choice(Some(
            match &case.victim {
                VictimViews::NotRecorded => "not-recorded",
                VictimViews::NoDirectVictim => "no-direct-victim",
                VictimViews::NotObtainable { .. } => "not-obtainable",
                VictimViews::Contacted(_) => "contacted",
            }
            .to_string(),
        )),
        Key::VictimReason => match &case.victim {
            VictimViews::NotObtainable { reason } => text(reason),
            _ => Value::None,
        },
        // No date until one is typed: the contact date is a fact, never assumed to be today.
        Key::ContactedOn => Value::Date(c.map(|c| c.contacted_on).filter(|d| *d != DATE_NOT_GIVEN)),
        Key::ContactedBy => text(c.map(|c| c.contacted_by.as_str()).unwrap_or_default()),
        Key::ContactMethod => text(c.map(|c| c.method.as_str()).unwrap_or_default()),
        Key::VictimUnder18 => Value::Bool(c.is_some_and(|c| c.under_18)),
        Key::VictimViews => text(c.map(|c| c.views.as_str()).unwrap_or_default()),
        Key::VictimWishes => text(c.map(|c| c.wishes.as_str()).unwrap_or_default()),
        Key::VictimConsent => Value::Bool(c.is_some_and(|c| c.consent_to_share)),
        Key::VictimNoContact => Value::Bool(c.is_some_and(|c| c.wants_no_further_contact)),
        Key::Restorative => Value::Multi(c.map(|c| c.restorative_interest.clone()).unwrap_or_default()),
        Key::VictimSafety => text(c.map(|c| c.safety_concerns.as_str()).unwrap_or_default()),
        Key::VictimEnhanced => Value::Multi(c.map(|c| c.enhanced.clone()).unwrap_or_default()),
        Key::RjStatus => Value::Choice(c.and_then(|c| id_of(c.rj))),
        Key::RjReason => text(c.map(|c| c.rj_not_invited_reason.as_str()).unwrap_or_default()),
        Key::NeedsTool => text(&case.needs.tool),
        Key::Assessor => text(&case.needs.assessor),
        Key::AssessedOn => Value::Date(case.needs.assessed_on),
        Key::NeedLevel(d) => {
            Value::Choice(Some(id_of(need(case, d).map_or(NeedLevel::NotAssessed, |n| n.level)).unwrap_or_default()))
        }
        Key::NeedNote(d) => text(need(case, d).map(|n| n.note.as_str()).unwrap_or_default()),
        Key::Strengths => text(&case.needs.strengths),
        Key::ChildViews => text(&case.needs.child_views),
        Key::CarerViews => text(&case.needs.carer_views),
        Key::Conclusion => text(&case.needs.conclusion),
        Key::GravityOffence => Value::Choice(Some(case.gravity.offence.clone()).filter(|o| !o.is_empty())),
        Key::Factors => Value::Multi(case.gravity.factors.clone()),
        Key::InspectorName => text(case.gravity.inspector.as_ref().map(|i| i.name.as_str()).unwrap_or_default()),
        Key::InspectorRank => text(case.gravity.inspector.as_ref().map(|i| i.rank.as_str()).unwrap_or_default()),
        Key::JudgedScore => Value::Choice(case.gravity.judged_score.map(|n| n.to_string())),
        Key::JudgementRationale => text(&case.gravity.judgement_rationale),
        Key::Variant => Value::Choice(case.decision.variant.clone()),
        Key::InterventionWeeks => {
            Value::Text(case.decision.intervention_weeks.map(|w| w.to_string()).unwrap_or_default())
        }
        Key::Checklist => Value::Multi(case.decision.confirmed.clone()),
        Key::AuthorisedBy => text(&case.decision.authorised_by),
        // A draft from before proposals were kept apart shows its outcome as the proposal.
        Key::Outcome => Value::Choice(case.decision.proposed.clone().or_else(|| case.decision.outcome.clone())),
        Key::FinalOutcome => Value::Choice(case.decision.outcome.clone()),
        Key::Evidence => Value::Bool(case.decision.evidence_sufficient),
        Key::Consent => Value::Bool(case.decision.child_consents),
        Key::CpsAuthority => opt(&case.decision.cps_authority),
        Key::PoliceView => view(case, "police"),
        Key::YjsView => view(case, "yjs"),
        Key::Rationale => text(&case.decision.rationale),
        Key::Conditions => lines(&case.decision.conditions),
        Key::Interventions => lines(&case.decision.interventions),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected a date like 2026-11-23, found \"{}\"", s.trim()))
}

fn split_lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn contact_mut(case: &mut Case) -> Option<&mut VictimContact> {
    match &mut case.victim {
        VictimViews::Contacted(c) => Some(c),
        _ => None,
    }
}

fn need_mut<'a>(case: &'a mut Case, domain: &str) -> &'a mut Need {
    let needs = &mut case.needs.needs;
    if let Some(i) = needs.iter().position(|n| n.domain == domain) {
        return &mut needs[i];
    }
    needs.push(Need { domain: domain.to_string(), level: NeedLevel::NotAssessed, note: String::new() });
    needs.last_mut().expect("just pushed")
}

/// Applies a typed or chosen value; an error (shown beside the field) leaves the case unchanged.
/// Keys whose text may run over several lines; every other text field is one line.
pub fn is_multiline(key: &Key) -> bool {
    matches!(
        key,
        Key::OffenceDetails
            | Key::Previous
            | Key::History
            | Key::Intelligence
            | Key::FamilyContext
            | Key::Exploitation
            | Key::Safeguarding
            | Key::Search(_, SearchPart::Supplied)
            | Key::VictimReason
            | Key::VictimViews
            | Key::VictimWishes
            | Key::VictimSafety
            | Key::NeedNote(_)
            | Key::Strengths
            | Key::ChildViews
            | Key::CarerViews
            | Key::Conclusion
            | Key::Rationale
            | Key::Conditions
            | Key::Interventions
    )
}

pub fn set(case: &mut Case, key: &Key, value: Value, today: NaiveDate) -> Result<(), String> {
    let t = |v: &Value| match v {
        Value::Text(s) => s.clone(),
        _ => String::new(),
    };
    let s = t(&value);
    crate::domain::text::check_input(&s, is_multiline(key))?;
    let b = matches!(value, Value::Bool(true));
    let choice = match &value {
        Value::Choice(c) => c.clone(),
        _ => None,
    };
    let r = &mut case.referral;
    match key {
        Key::Reference => {
            if s.trim().is_empty() {
                return Err("a reference is needed".into());
            }
            r.reference = s.trim().to_string();
        }
        Key::ChildName => r.child.name = s,
        Key::KnownAs => {
            r.child.known_as = s.split(',').map(str::trim).filter(|k| !k.is_empty()).map(String::from).collect();
        }
        Key::DateOfBirth => {
            let d = parse_date(&s)?;
            if d > today {
                return Err("a date of birth cannot be in the future".into());
            }
            r.child.date_of_birth = d;
        }
        Key::Sex => r.child.sex = choice.as_deref().and_then(from_id).ok_or("choose one")?,
        Key::Ethnicity => r.child.ethnicity = s,
        Key::LookedAfter => {
            r.child.looked_after = b.then(|| LookedAfter { local_authority: String::new(), social_worker: None });
        }
        Key::LocalAuthority => {
            if let Some(la) = &mut r.child.looked_after {
                la.local_authority = s;
            }
        }
        Key::SocialWorker => {
            if let Some(la) = &mut r.child.looked_after {
                la.social_worker = Some(s).filter(|s| !s.trim().is_empty());
            }
        }
        Key::Offence => {
            let name = choice.ok_or("choose an offence")?;
            if r.offences.is_empty() {
                r.offences.push(Offence { offence: name.clone(), date: today, details: String::new() });
            } else {
                r.offences[0].offence = name.clone();
            }
            // The score is normally taken on the referred offence; the panel may change it later.
            case.gravity.offence = name;
            case.gravity.factors.clear();
        }
        Key::OffenceDate => {
            let d = parse_date(&s)?;
            if d > today {
                return Err("an offence date cannot be in the future".into());
            }
            match r.offences.first_mut() {
                Some(o) => o.date = d,
                None => return Err("choose the offence first".into()),
            }
        }
        Key::OffenceDetails => match r.offences.first_mut() {
            Some(o) => o.details = s,
            None => return Err("choose the offence first".into()),
        },
        Key::Response => r.response = choice.as_deref().and_then(from_id).ok_or("choose one")?,
        Key::Previous => {
            let mut out = Vec::new();
            for (n, line) in split_lines(&s).iter().enumerate() {
                let parts: Vec<&str> = line.splitn(3, ',').map(str::trim).collect();
                let [date, outcome, offence] = parts[..] else {
                    return Err(format!("line {}: expected \"YYYY-MM-DD, outcome, offence\"", n + 1));
                };
                let date = parse_date(date).map_err(|e| format!("line {}: {e}", n + 1))?;
                out.push(PreviousOutcome { date, outcome: outcome.into(), offence: offence.into() });
            }
            r.previous_outcomes = out;
        }
        Key::Officer => r.officer_in_case = s,
        Key::ReferralDate => r.referral_date = parse_date(&s)?,
        Key::AppropriateAdult => r.appropriate_adult = Some(s).filter(|s| !s.trim().is_empty()),
        Key::History => case.research.history = s,
        Key::Intelligence => case.research.intelligence = s,
        Key::FamilyContext => case.research.family_context = s,
        Key::Exploitation => case.research.exploitation = s,
        Key::Safeguarding => case.research.safeguarding = s,
        Key::LiveInvestigation => case.research.live_investigation = b,
        Key::OicConsulted => case.research.officer_in_case_consulted = b,
        Key::SafeguardingReferral => case.research.safeguarding_referral_made = b,
        Key::Search(i, part) => {
            let entry = case.research.searches.get_mut(*i).ok_or("no such search")?;
            match part {
                SearchPart::RequestedOn => entry.requested_on = parse_date(&s)?,
                SearchPart::RequestedBy => entry.requested_by = s,
                SearchPart::Request => entry.request = s,
                SearchPart::Systems => {
                    entry.systems = s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
                }
                SearchPart::Supplied => entry.supplied = s,
            }
        }
        Key::AddSearch => case.research.searches.push(SearchAuditEntry {
            requested_on: today,
            requested_by: String::new(),
            request: String::new(),
            systems: Vec::new(),
            supplied: String::new(),
        }),
        Key::VictimStatus => {
            let status = choice.ok_or("choose one")?;
            let current = get(case, key);
            if current != Value::Choice(Some(status.clone())) {
                case.victim = match status.as_str() {
                    "no-direct-victim" => VictimViews::NoDirectVictim,
                    "not-obtainable" => VictimViews::NotObtainable { reason: String::new() },
                    "contacted" => VictimViews::Contacted(VictimContact {
                        contacted_on: DATE_NOT_GIVEN,
                        contacted_by: String::new(),
                        method: String::new(),
                        under_18: false,
                        views: String::new(),
                        wishes: String::new(),
                        consent_to_share: false,
                        wants_no_further_contact: false,
                        restorative_interest: Vec::new(),
                        safety_concerns: String::new(),
                        declined_views: false,
                        enhanced: Vec::new(),
                        rj: RjStatus::default(),
                        rj_not_invited_reason: String::new(),
                    }),
                    _ => VictimViews::NotRecorded,
                };
            }
        }
        Key::VictimReason => {
            if let VictimViews::NotObtainable { reason } = &mut case.victim {
                *reason = s;
            }
        }
        Key::ContactedOn => {
            let d = parse_date(&s)?;
            if let Some(c) = contact_mut(case) {
                c.contacted_on = d;
            }
        }
        Key::ContactedBy | Key::ContactMethod | Key::VictimViews | Key::VictimWishes | Key::VictimSafety => {
            if let Some(c) = contact_mut(case) {
                let slot = match key {
                    Key::ContactedBy => &mut c.contacted_by,
                    Key::ContactMethod => &mut c.method,
                    Key::VictimViews => &mut c.views,
                    Key::VictimWishes => &mut c.wishes,
                    _ => &mut c.safety_concerns,
                };
                *slot = s;
            }
        }
        Key::VictimUnder18 | Key::VictimConsent | Key::VictimNoContact => {
            if let Some(c) = contact_mut(case) {
                let slot = match key {
                    Key::VictimUnder18 => &mut c.under_18,
                    Key::VictimConsent => &mut c.consent_to_share,
                    _ => &mut c.wants_no_further_contact,
                };
                *slot = b;
            }
        }
        Key::Restorative => {
            if let (Some(c), Value::Multi(items)) = (contact_mut(case), value) {
                c.restorative_interest = items;
            }
        }
        Key::VictimEnhanced => {
            if let (Some(c), Value::Multi(items)) = (contact_mut(case), value) {
                c.enhanced = items;
            }
        }
        Key::RjStatus => {
            let status = choice.as_deref().and_then(from_id).ok_or("choose one")?;
            if let Some(c) = contact_mut(case) {
                c.rj = status;
            }
        }
        Key::RjReason => {
            if let Some(c) = contact_mut(case) {
                c.rj_not_invited_reason = s;
            }
        }
        Key::NeedsTool => case.needs.tool = s,
        Key::Assessor => case.needs.assessor = s,
        Key::AssessedOn => case.needs.assessed_on = if s.trim().is_empty() { None } else { Some(parse_date(&s)?) },
        Key::NeedLevel(d) => need_mut(case, d).level = choice.as_deref().and_then(from_id).ok_or("choose a level")?,
        Key::NeedNote(d) => need_mut(case, d).note = s,
        Key::Strengths => case.needs.strengths = s,
        Key::ChildViews => case.needs.child_views = s,
        Key::CarerViews => case.needs.carer_views = s,
        Key::Conclusion => case.needs.conclusion = s,
        Key::GravityOffence => {
            case.gravity.offence = choice.ok_or("choose an offence")?;
            case.gravity.factors.clear();
        }
        Key::Factors => {
            if let Value::Multi(items) = value {
                case.gravity.factors = items;
            }
        }
        Key::InspectorName | Key::InspectorRank => {
            let i = case.gravity.inspector.get_or_insert(Inspector { name: String::new(), rank: String::new() });
            if *key == Key::InspectorName {
                i.name = s
            } else {
                i.rank = s
            }
            if i.name.trim().is_empty() && i.rank.trim().is_empty() {
                case.gravity.inspector = None;
            }
        }
        Key::JudgedScore => {
            case.gravity.judged_score = match choice {
                None => None,
                Some(n) => Some(n.trim().parse::<u8>().map_err(|_| "choose a score")?),
            };
        }
        Key::JudgementRationale => case.gravity.judgement_rationale = s,
        Key::Variant => case.decision.variant = choice,
        Key::InterventionWeeks => {
            case.decision.intervention_weeks = match s.trim() {
                "" => None,
                w => Some(w.parse::<u8>().map_err(|_| "a whole number of weeks, e.g. 12")?),
            };
        }
        Key::Checklist => {
            if let Value::Multi(items) = value {
                case.decision.confirmed = items;
            }
        }
        Key::AuthorisedBy => case.decision.authorised_by = s,
        Key::Outcome => case.decision.propose(choice),
        Key::FinalOutcome => case.decision.outcome = choice,
        Key::Evidence => case.decision.evidence_sufficient = b,
        Key::Consent => case.decision.child_consents = b,
        Key::CpsAuthority => case.decision.cps_authority = Some(s).filter(|s| !s.trim().is_empty()),
        Key::PoliceView => case.decision.give_view("police", choice),
        Key::YjsView => case.decision.give_view("yjs", choice),
        Key::Rationale => case.decision.rationale = s,
        Key::Conditions => case.decision.conditions = split_lines(&s),
        Key::Interventions => case.decision.interventions = split_lines(&s),
    }
    Ok(())
}

/// Takes out the row `key` belongs to: a search audit entry (by any of its fields). Whether
/// anything was taken out.
pub fn remove(case: &mut Case, key: &Key) -> bool {
    match key {
        Key::Search(i, _) if *i < case.research.searches.len() => {
            case.research.searches.remove(*i);
            true
        }
        _ => false,
    }
}
