//! Erasure after retention: which parts of a case identify the child, and taking them out.
//!
//! Pure: works on the JSON form of a referral, a case or a recorded decision (the form the store
//! keeps), so the same list serves the referral table, drafts and the chain.
//!
//! What is personal (erased after retention), and why:
//! - the child's name, "known as" names and date of birth (direct identifiers); the local
//!   authority's social worker (a named adult who identifies the child's family);
//! - every named adult: officer in the case, appropriate adult, who requested and supplied each
//!   police search, who contacted the victim, the assessor, the inspector, the members present
//!   and the chair;
//! - free text that describes the child, the family, the victim or the circumstances and can
//!   identify them: offence details, every research text (history, intelligence, family
//!   context, exploitation, safeguarding), search requests and what they supplied, the victim's
//!   views, wishes, safety concerns and why views were not obtainable, needs notes, strengths,
//!   the child's and carer's views, the assessment's conclusion, each agency's reason, the
//!   rationale, the gravity judgement's rationale, why a victim was not invited to restorative
//!   justice, conditions and interventions, who authorised the outcome or gave CPS authority,
//!   the wording of previous convictions, and the findings' reasons and
//!   tasks' descriptions (generated text that can name the social worker or the victim).
//!
//! What stays, and why: the reference (the record's key, shown in scrutiny and checked by
//! verify against the referral), sex, ethnicity, age at the offence, looked-after status and
//! local authority, offences by their matrix names and dates, previous outcome codes and dates,
//! scores, factors, outcome, agencies' outcomes, needs levels, and the rules and kinds of
//! findings and tasks: the figures the board reports and the disproportionality monitoring
//! need, none of which names the child.

use serde_json::{Map, Value};

use super::referral::DATE_NOT_GIVEN;

/// What an erased text reads, on every screen and in every export.
pub const ERASED: &str = "erased after retention";

/// The personal parts of a case, as paths in its JSON form; `*` is every element of an array.
const CASE_PATHS: &[&str] = &[
    "referral/child/name",
    "referral/child/known_as/*",
    "referral/child/date_of_birth",
    "referral/child/looked_after/social_worker",
    "referral/offences/*/details",
    "referral/previous_outcomes/*/offence",
    "referral/officer_in_case",
    "referral/appropriate_adult",
    "research/history",
    "research/intelligence",
    "research/family_context",
    "research/exploitation",
    "research/safeguarding",
    "research/searches/*/requested_by",
    "research/searches/*/request",
    "research/searches/*/supplied",
    "victim/reason",
    "victim/contacted_by",
    "victim/views",
    "victim/wishes",
    "victim/safety_concerns",
    "victim/rj_not_invited_reason",
    "needs/assessor",
    "needs/needs/*/note",
    "needs/strengths",
    "needs/child_views",
    "needs/carer_views",
    "needs/conclusion",
    "gravity/inspector/name",
    "gravity/judgement_rationale",
    "decision/present/*/name",
    "decision/views/*/reason",
    "decision/rationale",
    "decision/conditions/*",
    "decision/interventions/*",
    "decision/cps_authority",
    "decision/authorised_by",
];

/// The personal parts of a recorded decision beyond its case.
const RECORD_PATHS: &[&str] = &["chair", "findings/*/reason", "tasks/*/description"];

/// Which JSON document a path list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A `Referral` (the referrals table).
    Referral,
    /// A `Case` (drafts, correction drafts).
    Case,
    /// A `DecisionSnapshot` (recorded decisions).
    Record,
    /// A scrutiny review or blind rating of a decision: the reviewer's observations on the case
    /// (free text that can repeat what identifies the child). The rating, learning points and
    /// actions are about practice, and what the board report counts, so they stay.
    Scrutiny,
    /// A follow-up task's closing: who closed it and why it was not needed (workers write "moved
    /// to Leeds with mum" there). The task's kind, decision and day stay.
    Task,
}

fn paths(shape: Shape) -> Vec<String> {
    match shape {
        Shape::Referral => CASE_PATHS.iter().filter_map(|p| p.strip_prefix("referral/")).map(str::to_string).collect(),
        Shape::Case => CASE_PATHS.iter().map(|p| p.to_string()).collect(),
        Shape::Record => {
            CASE_PATHS.iter().map(|p| format!("case/{p}")).chain(RECORD_PATHS.iter().map(|p| p.to_string())).collect()
        }
        Shape::Scrutiny => vec!["observations".to_string()],
        Shape::Task => vec!["by".to_string(), "reason".to_string()],
    }
}

/// The value an erased field holds: the erased text, or for a date of birth the date "not
/// given" (so the child has no age on the screen, and none is guessed).
fn placeholder(pointer: &str) -> Value {
    if pointer.ends_with("/date_of_birth") {
        serde_json::to_value(DATE_NOT_GIVEN).unwrap_or(Value::Null)
    } else {
        Value::String(ERASED.to_string())
    }
}

/// JSON pointers (RFC 6901) of every personal value present in `doc`.
fn pointers(doc: &Value, shape: Shape) -> Vec<String> {
    let mut out = Vec::new();
    for path in paths(shape) {
        let parts: Vec<&str> = path.split('/').collect();
        collect(doc, &parts, String::new(), &mut out);
    }
    out
}

fn collect(v: &Value, parts: &[&str], at: String, out: &mut Vec<String>) {
    let Some((first, rest)) = parts.split_first() else {
        // Only text (and dates, written as text) is personal; an absent or empty value has
        // nothing to erase.
        if matches!(v, Value::String(s) if !s.is_empty()) {
            out.push(at);
        }
        return;
    };
    match (*first, v) {
        ("*", Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, rest, format!("{at}/{i}"), out);
            }
        }
        (key, Value::Object(map)) => {
            if let Some(child) = map.get(key) {
                collect(child, rest, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Takes the personal values out of `doc`, leaving the erased placeholder in each place, and
/// returns them keyed by JSON pointer: the record keeps them apart (and hashes only their
/// digest), so they can later be removed while the record and its hash stand.
pub fn split(doc: &mut Value, shape: Shape) -> Map<String, Value> {
    let mut taken = Map::new();
    for p in pointers(doc, shape) {
        if let Some(slot) = doc.pointer_mut(&p) {
            let value = std::mem::replace(slot, placeholder(&p));
            // A value that already reads as erased is not personal.
            if *slot != value {
                taken.insert(p, value);
            }
        }
    }
    taken
}

/// Puts personal values taken by [`split`] back in their places.
pub fn merge(doc: &mut Value, personal: &Map<String, Value>) {
    for (p, value) in personal {
        if let Some(slot) = doc.pointer_mut(p) {
            *slot = value.clone();
        }
    }
}

/// Erases every personal value in `doc`; returns whether anything changed (so erasing twice
/// changes nothing the second time).
pub fn erase(doc: &mut Value, shape: Shape) -> bool {
    !split(doc, shape).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn split_takes_every_personal_value_and_merge_restores_it() {
        let original = json!({
            "case": {
                "referral": {
                    "reference": "JDP-1",
                    "child": {"name": "Zoë Ødegård", "known_as": ["Zo", "ZZ"], "date_of_birth": "2012-05-14",
                              "sex": "female", "ethnicity": "White: Other"},
                    "offences": [{"offence": "Theft", "date": "2025-01-01", "details": "at 14 Elm Road"}],
                    "officer_in_case": "PC Marsh"
                },
                "decision": {"present": [{"name": "Ann Chair", "agency": "police"}], "rationale": "because"}
            },
            "chair": "Ann Chair",
            "tasks": [{"kind": "letter", "description": "Write to Zoë", "due": "2025-02-01"}]
        });
        let mut doc = original.clone();
        let taken = split(&mut doc, Shape::Record);
        assert_eq!(taken.len(), 10, "{taken:#?}");
        let text = doc.to_string();
        for secret in ["Zoë", "Zo\"", "ZZ", "2012-05-14", "Elm Road", "Marsh", "Ann Chair", "because"] {
            assert!(!text.contains(secret), "{secret} left in {text}");
        }
        for kept in ["JDP-1", "female", "White: Other", "Theft", "2025-01-01", "police", "letter", "2025-02-01"] {
            assert!(text.contains(kept), "{kept} lost from {text}");
        }
        assert_eq!(doc.pointer("/case/referral/child/name"), Some(&json!(ERASED)));
        merge(&mut doc, &taken);
        assert_eq!(doc, original);
    }

    /// Every field a recorded decision can hold, each filled: a struct literal without `..`, so a
    /// field added later does not compile here until it is classed as personal or not.
    fn every_field() -> crate::domain::record::DecisionSnapshot {
        use crate::domain::record::{DecisionSnapshot, FindingSnapshot, ScoreSnapshot, TaskSnapshot};
        use crate::domain::referral::*;
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let t = |s: &str| s.to_string();
        let victim = VictimContact {
            contacted_on: d("2026-01-02"),
            contacted_by: t("victim worker"),
            method: t("telephone"),
            under_18: true,
            views: t("views"),
            wishes: t("wishes"),
            consent_to_share: true,
            wants_no_further_contact: false,
            restorative_interest: vec![t("letter")],
            safety_concerns: t("safety"),
            declined_views: false,
            enhanced: vec![t("bereaved")],
            rj: RjStatus::NotInvited,
            rj_not_invited_reason: t("why not invited"),
        };
        let case = Case {
            referral: Referral {
                reference: t("JDP-1"),
                child: Child {
                    name: t("child name"),
                    known_as: vec![t("nickname")],
                    date_of_birth: d("2012-05-14"),
                    sex: Sex::Female,
                    ethnicity: t("White: Other"),
                    looked_after: Some(LookedAfter {
                        local_authority: t("Example Borough"),
                        social_worker: Some(t("social worker")),
                    }),
                },
                offences: vec![Offence { offence: t("Theft"), date: d("2025-12-01"), details: t("details") }],
                response: Response::Admitted,
                previous_outcomes: vec![PreviousOutcome {
                    date: d("2024-01-01"),
                    outcome: t("CR"),
                    offence: t("previous wording"),
                }],
                officer_in_case: t("officer"),
                referral_date: d("2026-01-01"),
                appropriate_adult: Some(t("appropriate adult")),
            },
            research: ResearchSummary {
                history: t("history"),
                intelligence: t("intelligence"),
                family_context: t("family"),
                exploitation: t("exploitation"),
                safeguarding: t("safeguarding"),
                live_investigation: true,
                officer_in_case_consulted: true,
                safeguarding_referral_made: true,
                searches: vec![SearchAuditEntry {
                    requested_on: d("2026-01-01"),
                    requested_by: t("requester"),
                    request: t("request"),
                    systems: vec![t("PNC")],
                    supplied: t("supplied"),
                }],
            },
            victim: VictimViews::Contacted(victim),
            needs: AssessedNeeds {
                tool: t("AssetPlus"),
                assessor: t("assessor"),
                assessed_on: Some(d("2026-01-03")),
                needs: vec![Need { domain: t("education"), level: NeedLevel::High, note: t("need note") }],
                strengths: t("strengths"),
                child_views: t("child views"),
                carer_views: t("carer views"),
                conclusion: t("conclusion"),
            },
            gravity: GravityInputs {
                offence: t("Theft"),
                factors: vec![t("planned")],
                inspector: Some(Inspector { name: t("inspector name"), rank: t("Inspector") }),
                judged_score: Some(3),
                judgement_rationale: t("judgement rationale"),
            },
            decision: Decision {
                present: vec![Member { name: t("member name"), agency: t("police"), role: t("chair") }],
                proposed: Some(t("YC")),
                views: vec![AgencyView {
                    agency: t("police"),
                    outcome: t("YC"),
                    reason: t("agency reason"),
                    given_for: Some(t("YC")),
                }],
                outcome: Some(t("YC")),
                rationale: t("rationale"),
                conditions: vec![t("condition")],
                interventions: vec![t("intervention")],
                evidence_sufficient: true,
                child_consents: true,
                cps_authority: Some(t("cps lawyer")),
                variant: Some(t("deferred-caution")),
                intervention_weeks: Some(12),
                confirmed: vec![t("public_interest")],
                authorised_by: t("authoriser"),
            },
        };
        DecisionSnapshot {
            case,
            chair: t("chair name"),
            decided_on: d("2026-01-04"),
            panel_version: t("default-2026.1"),
            matrix_version: t("cgm-2023"),
            score: ScoreSnapshot {
                offence: t("Theft"),
                group: t("acquisitive"),
                base: 2,
                final_score: 3,
                movement: 1,
                indicated: Some(t("YC")),
                departure: false,
                factors: vec![t("planned")],
            },
            findings: vec![FindingSnapshot { rule: t("admission"), blocking: false, reason: t("finding reason") }],
            tasks: vec![TaskSnapshot { kind: t("inform_victim"), description: t("task text"), due: d("2026-01-09") }],
        }
    }

    /// Every text leaf of `v` by path (array indices as `*`).
    fn text_leaves(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(s) => out.push((at.to_string(), s.clone())),
            Value::Array(items) => items.iter().for_each(|i| text_leaves(i, &format!("{at}/*"), out)),
            Value::Object(map) => map.iter().for_each(|(k, i)| text_leaves(i, &format!("{at}/{k}"), out)),
            _ => {}
        }
    }

    /// What is kept after retention, and nothing else: codes, ids, dates of events, the
    /// reference, and the figures the board reports (see the module comment for why).
    const KEPT: &[&str] = &[
        "/case/referral/reference",
        "/case/referral/child/sex",
        "/case/referral/child/ethnicity",
        "/case/referral/child/looked_after/local_authority",
        "/case/referral/offences/*/offence",
        "/case/referral/offences/*/date",
        "/case/referral/response",
        "/case/referral/previous_outcomes/*/date",
        "/case/referral/previous_outcomes/*/outcome",
        "/case/referral/referral_date",
        "/case/research/searches/*/requested_on",
        "/case/research/searches/*/systems/*",
        "/case/victim/status",
        "/case/victim/contacted_on",
        "/case/victim/method",
        "/case/victim/restorative_interest/*",
        "/case/victim/enhanced/*",
        "/case/victim/rj",
        "/case/needs/tool",
        "/case/needs/assessed_on",
        "/case/needs/needs/*/domain",
        "/case/needs/needs/*/level",
        "/case/gravity/offence",
        "/case/gravity/factors/*",
        "/case/gravity/inspector/rank",
        "/case/decision/present/*/agency",
        "/case/decision/present/*/role",
        "/case/decision/proposed",
        "/case/decision/views/*/agency",
        "/case/decision/views/*/outcome",
        "/case/decision/views/*/given_for",
        "/case/decision/outcome",
        "/case/decision/variant",
        "/case/decision/confirmed/*",
        "/decided_on",
        "/panel_version",
        "/matrix_version",
        "/score/offence",
        "/score/group",
        "/score/indicated",
        "/score/factors/*",
        "/findings/*/rule",
        "/tasks/*/kind",
        "/tasks/*/due",
    ];

    #[test]
    fn after_erasure_only_the_kept_fields_hold_what_was_recorded() {
        let mut doc = serde_json::to_value(every_field()).unwrap();
        erase(&mut doc, Shape::Record);
        let mut left = Vec::new();
        text_leaves(&doc, "", &mut left);
        let not_given = serde_json::to_value(DATE_NOT_GIVEN).unwrap();
        let erased = |v: &String| v == ERASED || Some(v.as_str()) == not_given.as_str();
        let unexpected: Vec<_> = left.iter().filter(|(p, v)| !erased(v) && !KEPT.contains(&p.as_str())).collect();
        assert!(unexpected.is_empty(), "personal text left after erasure: {unexpected:#?}");
        // Each kept path is real (a renamed field would otherwise pass unnoticed).
        for k in KEPT {
            assert!(left.iter().any(|(p, v)| p == k && !erased(v)), "{k} is not kept");
        }
    }

    #[test]
    fn erasing_twice_changes_nothing_the_second_time() {
        let mut doc = json!({"child": {"name": "A B", "date_of_birth": "2012-01-01"}, "officer_in_case": "PC X"});
        assert!(erase(&mut doc, Shape::Referral));
        let once = doc.clone();
        assert!(!erase(&mut doc, Shape::Referral));
        assert_eq!(doc, once);
    }

    #[test]
    fn a_referral_and_a_case_use_the_same_paths() {
        let mut referral = json!({"child": {"name": "A B"}, "appropriate_adult": "Mother (Ms B)"});
        let mut case =
            json!({"referral": referral.clone(), "victim": {"status": "not-obtainable", "reason": "moved to Leeds"}});
        assert_eq!(split(&mut referral, Shape::Referral).len(), 2);
        assert_eq!(split(&mut case, Shape::Case).len(), 3);
    }
}
