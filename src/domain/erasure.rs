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
//!   rationale, conditions, the wording of previous convictions, and the findings' reasons and
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
    "needs/assessor",
    "needs/needs/*/note",
    "needs/strengths",
    "needs/child_views",
    "needs/carer_views",
    "needs/conclusion",
    "gravity/inspector/name",
    "decision/present/*/name",
    "decision/views/*/reason",
    "decision/rationale",
    "decision/conditions/*",
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
}

fn paths(shape: Shape) -> Vec<String> {
    match shape {
        Shape::Referral => CASE_PATHS.iter().filter_map(|p| p.strip_prefix("referral/")).map(str::to_string).collect(),
        Shape::Case => CASE_PATHS.iter().map(|p| p.to_string()).collect(),
        Shape::Record => {
            CASE_PATHS.iter().map(|p| format!("case/{p}")).chain(RECORD_PATHS.iter().map(|p| p.to_string())).collect()
        }
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
