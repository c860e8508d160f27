//! Synthetic referrals and decisions for demonstrations, tests and benchmarks. Deterministic for
//! a seed (the RNG is passed in); every decision passes the same checks a real one must, so demo
//! data never holds a decision the panel could not have recorded. All names are invented.

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use crate::domain::checks;
use crate::domain::gravity;
use crate::domain::panel::{ConditionsRule, PanelDefinition};
use crate::domain::record::{DecisionSnapshot, snapshot};
use crate::domain::referral::*;

pub struct DemoDecision {
    pub referral: Referral,
    pub decision: DecisionSnapshot,
    /// A later correction of the decision, with its reason.
    pub correction: Option<(DecisionSnapshot, String)>,
}

const FIRST: &[&str] = &[
    "Alfie", "Amara", "Ayaan", "Bailey", "Bella", "Callum", "Chidi", "Daisy", "Deon", "Ellis", "Farah", "Finley",
    "Grace", "Harvey", "Idris", "Isla", "Jayden", "Kai", "Keira", "Leon", "Lola", "Mason", "Mia", "Nathan", "Olu",
    "Priya", "Reece", "Rhys", "Sami", "Tayo", "Tyler", "Zara",
];
const LAST: &[&str] = &[
    "Abbott", "Adeyemi", "Ahmed", "Barker", "Campbell", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hussain",
    "Jones", "Kaur", "Khan", "Lewis", "Mensah", "Morgan", "Nowak", "Okafor", "Patel", "Price", "Roberts", "Shaw",
    "Thomas", "Walsh", "Williams", "Wright", "Young",
];
/// Broad ONS groups, weighted roughly as a YJS caseload might be.
const ETHNICITY: &[(&str, u32)] = &[
    ("White", 68),
    ("Black or Black British", 12),
    ("Asian or Asian British", 8),
    ("Mixed", 9),
    ("Other ethnic group", 2),
    ("Not stated", 1),
];
const AGES: &[(u32, u32)] = &[(10, 2), (11, 3), (12, 6), (13, 10), (14, 15), (15, 20), (16, 22), (17, 22)];

fn weighted<'a, T>(rng: &mut impl Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return item;
        }
        pick -= w;
    }
    &items[items.len() - 1].0
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

/// The earliest and latest `until` demo data accepts: the generator works in days before it.
pub const UNTIL_RANGE: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(1990, 1, 1).expect("a valid date"),
    NaiveDate::from_ymd_opt(2200, 12, 31).expect("a valid date"),
);

/// One synthetic decision, as [`try_generate`]; for tests and benchmarks with a usable panel.
pub fn generate(rng: &mut impl Rng, panel: &PanelDefinition, index: u64, until: NaiveDate) -> DemoDecision {
    try_generate(rng, panel, index, until).expect("the panel definition allows a synthetic decision")
}

/// One synthetic decision, `index` from 0; decided on or before `until`. An error (never a
/// panic) when the panel definition allows no decision the generator can make, or `until` is
/// outside [`UNTIL_RANGE`].
pub fn try_generate(
    rng: &mut impl Rng,
    panel: &PanelDefinition,
    index: u64,
    until: NaiveDate,
) -> Result<DemoDecision, String> {
    if until < UNTIL_RANGE.0 || until > UNTIL_RANGE.1 {
        return Err(format!("the latest decision date must be from {} to {}", UNTIL_RANGE.0, UNTIL_RANGE.1));
    }
    if panel.outcomes.is_empty() || panel.gravity.offences.is_empty() {
        return Err("the panel definition has no outcomes or no offences to make decisions from".into());
    }
    let decided_on = days_before(until, rng.random_range(0..730));
    // Timeliness: most referrals reach panel within weeks, a few much later.
    let to_decision = if rng.random_bool(0.1) { rng.random_range(30..90) } else { rng.random_range(3..30) };
    let referral_date = days_before(decided_on, to_decision);
    let to_referral = if rng.random_bool(0.15) { rng.random_range(60..180) } else { rng.random_range(5..60) };
    let offence_date = days_before(referral_date, to_referral);
    let age = *weighted(rng, AGES);
    let dob = days_before(offence_date, u64::from(age) * 365 + u64::from(age / 4) + rng.random_range(1..360));
    let ethnicity = *weighted(rng, ETHNICITY);
    let sex = *weighted(rng, &[(Sex::Male, 80), (Sex::Female, 19), (Sex::NotKnown, 1)]);
    // Weight offences towards the less serious, as referrals are.
    let offences: Vec<(_, u32)> =
        panel.gravity.offences.iter().map(|o| (o, 1 + u32::from(panel.gravity.scale_max - o.base_score) * 3)).collect();
    let offence = *weighted(rng, &offences);
    // Lower trust reduces admissions (a known driver of disproportionality): model it mildly.
    let no_comment = if ethnicity.starts_with("Black") || ethnicity == "Mixed" { 18 } else { 9 };
    let response = *weighted(
        rng,
        &[
            (Response::Admitted, 74),
            (Response::AcceptedResponsibility, 10),
            (Response::NoComment, no_comment),
            (Response::Denied, 5),
        ],
    );
    let previous = *weighted(rng, &[(0usize, 70), (1, 20), (2, 7), (3, 3)]);
    let looked_after = rng.random_bool(0.06);
    let referral = Referral {
        reference: format!("DEMO-{:07}", index + 1),
        child: Child {
            name: format!("{} {}", FIRST.choose(rng).unwrap(), LAST.choose(rng).unwrap()),
            known_as: Vec::new(),
            date_of_birth: dob,
            sex,
            ethnicity: ethnicity.to_string(),
            looked_after: looked_after.then(|| LookedAfter {
                local_authority: "Example Borough".into(),
                social_worker: Some("Allocated social worker".into()),
            }),
        },
        offences: vec![Offence { offence: offence.name.clone(), date: offence_date, details: String::new() }],
        response,
        previous_outcomes: (0..previous)
            .map(|k| PreviousOutcome {
                date: days_before(offence_date, 90 * (k as u64 + 1)),
                outcome: "CR".into(),
                offence: "Theft from a shop".into(),
            })
            .collect(),
        officer_in_case: "PC Demo".into(),
        referral_date,
        appropriate_adult: Some("Parent".into()),
    };
    let mut case = Case::new(referral);
    case.victim = match *weighted(rng, &[(0u8, 70), (1, 20), (2, 10)]) {
        0 => VictimViews::Contacted(VictimContact {
            contacted_on: days_before(decided_on, 2),
            contacted_by: "Victim liaison officer".into(),
            method: "Telephone".into(),
            under_18: false,
            views: "Wants the child to understand the harm".into(),
            wishes: "Apology".into(),
            consent_to_share: true,
            wants_no_further_contact: false,
            restorative_interest: vec![],
            safety_concerns: String::new(),
            declined_views: false,
            enhanced: Vec::new(),
            // Spread over the offers by date (no draw from the generator, so every other field
            // of a seed's demo data stays as it was).
            rj: match chrono::Datelike::ordinal(&decided_on) % 5 {
                0 | 1 => RjStatus::Accepted,
                2 => RjStatus::Declined,
                3 => RjStatus::Offered,
                _ => RjStatus::NotInvited,
            },
            rj_not_invited_reason: if chrono::Datelike::ordinal(&decided_on) % 5 == 4 {
                "Safety concerns ruled out a meeting".into()
            } else {
                String::new()
            },
        }),
        1 => VictimViews::NoDirectVictim,
        _ => VictimViews::NotObtainable { reason: "No reply to calls and a letter".into() },
    };
    // The YJS assessment, some days after the referral (3 to 20, by date: no draw), and never
    // after the decision; some late against the 10-working-day timescale.
    let assessed = referral_date + chrono::Days::new(u64::from(chrono::Datelike::ordinal(&referral_date) % 18 + 3));
    case.needs.tool = "Prevention and Diversion assessment".into();
    case.needs.assessor = "YJS case manager".into();
    case.needs.assessed_on = Some(assessed.min(decided_on));
    if rng.random_bool(0.9) {
        case.needs.child_views = "Wants to put things right".into();
    }
    if rng.random_bool(0.85) {
        case.needs.carer_views = "Supportive".into();
    }
    let available = gravity::factors_for(&panel.gravity, offence);
    let n_factors = *weighted(rng, &[(0usize, 50), (1, 35), (2, 15)]);
    case.gravity.factors = available.choose_multiple(rng, n_factors).map(|f| f.id.clone()).collect();
    let score = gravity::score(&panel.gravity, &case.gravity).expect("factors come from the matrix");
    if score.needs_inspector {
        case.gravity.inspector = Some(Inspector { name: "Insp. Demo".into(), rank: "Inspector".into() });
    }
    let consistent = score.indication.as_ref().map(|i| i.outcomes.clone()).unwrap_or_default();
    let preferred = if rng.random_bool(0.88) || consistent.is_empty() {
        consistent.first().cloned().unwrap_or_else(|| panel.outcomes[0].code.clone())
    } else {
        panel.outcomes.choose(rng).unwrap().code.clone()
    };
    let d = &mut case.decision;
    d.present = vec![
        Member { name: "PC Demo".into(), agency: "police".into(), role: "YJS police officer".into() },
        Member { name: "Demo Case Manager".into(), agency: "yjs".into(), role: "Case manager".into() },
    ];
    d.evidence_sufficient = true;
    d.child_consents = true;
    d.rationale = format!("Synthetic. Score {}; {}.", score.final_score, response.label());
    // The preferred outcome if guidance allows it, else the first that does.
    let candidates = std::iter::once(preferred).chain(consistent).chain(panel.outcomes.iter().map(|o| o.code.clone()));
    let candidates: Vec<String> = candidates.collect();
    let decidable = |case: &mut Case| {
        for code in &candidates {
            let Some(o) = panel.outcome(code) else { continue };
            case.decision.conditions = if o.conditions == ConditionsRule::Required {
                vec!["Letter of apology".into(), "Four sessions with the YJS".into()]
            } else {
                vec![]
            };
            case.decision.cps_authority = o.cps_authority_for_indictable_only.then(|| "CPS Direct".into());
            // What the outcome asks the panel to say: its kind (one the response allows), its
            // length, its statutory checklist confirmed and who authorised it. No draw from the
            // generator, so a seed's data is otherwise unchanged.
            let admitted = case.referral.response.is_admission();
            case.decision.variant = o.variants.iter().find(|v| admitted || !v.requires_admission).map(|v| v.id.clone());
            case.decision.intervention_weeks = o.intervention_weeks.map(|[lo, _]| lo);
            case.decision.confirmed = o.checklist.iter().map(|i| i.id.clone()).collect();
            case.decision.authorised_by = o.authorised_by.as_ref().map_or(String::new(), |r| format!("{r} Demo"));
            if !checks::blocking(&checks::outcome_findings(case, o, Some(&score), panel)) {
                return Some(code.clone());
            }
        }
        None
    };
    // A panel may allow every outcome only on an admission: then the synthetic child admits.
    let chosen = match decidable(&mut case) {
        Some(c) => c,
        None => {
            case.referral.response = Response::Admitted;
            case.decision.rationale =
                format!("Synthetic. Score {}; {}.", score.final_score, Response::Admitted.label());
            decidable(&mut case).ok_or_else(|| {
                format!("the panel definition allows no outcome for synthetic decision {index}, even with an admission")
            })?
        }
    };
    let yjs_view = if rng.random_bool(0.05) {
        panel.outcomes.iter().map(|o| o.code.clone()).find(|c| *c != chosen).unwrap_or(chosen.clone())
    } else {
        chosen.clone()
    };
    case.decision.views = vec![
        AgencyView { agency: "police".into(), outcome: chosen.clone(), reason: String::new(), given_for: None },
        AgencyView { agency: "yjs".into(), outcome: yjs_view, reason: String::new(), given_for: None },
    ];
    case.decision.outcome = Some(chosen);
    let not_decidable = |_| format!("synthetic decision {index} is not decidable under this panel definition");
    let decision = snapshot(&case, panel, decided_on).map_err(not_decidable)?;
    let correction = if rng.random_bool(0.01) {
        let mut corrected = case.clone();
        corrected.decision.rationale.push_str(" Corrected: the victim's wishes were recorded against the wrong case.");
        let snap = snapshot(&corrected, panel, decided_on).map_err(not_decidable)?;
        Some((snap, "Rationale recorded against the wrong case".to_string()))
    } else {
        None
    };
    Ok(DemoDecision { referral: case.referral.clone(), decision, correction })
}
