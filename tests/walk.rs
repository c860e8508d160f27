//! The panel walk as a pure state machine: messages in, effects out, no terminal, no database.

mod common;

use common::*;
use jdp::walk::fields::SearchPart;
use jdp::walk::{Effect, Key, Msg, Step, Value, Walk, missing};

fn walk() -> Walk {
    Walk::new(good_case(), date("2026-11-23"))
}

#[test]
fn every_step_change_saves_the_draft_at_the_new_step() {
    let panel = default_panel();
    let mut w = walk();
    assert_eq!(w.handle(Msg::Next, &panel), vec![Effect::SaveDraft { step: Step::Research }]);
    assert_eq!(w.handle(Msg::Goto(Step::Gravity), &panel), vec![Effect::SaveDraft { step: Step::Gravity }]);
    assert_eq!(w.handle(Msg::Back, &panel), vec![Effect::SaveDraft { step: Step::Needs }]);
    assert_eq!(w.handle(Msg::Goto(Step::Needs), &panel), vec![], "no change, no save");
    w.handle(Msg::Goto(Step::Facts), &panel);
    assert_eq!(w.handle(Msg::Back, &panel), vec![], "nothing before the first step");
    w.handle(Msg::Goto(Step::Record), &panel);
    assert_eq!(w.handle(Msg::Next, &panel), vec![], "nothing after the last step");
}

#[test]
fn focus_wraps_within_the_steps_fields() {
    let panel = default_panel();
    let mut w = walk();
    let n = w.fields(&panel).len();
    w.handle(Msg::FocusPrev, &panel);
    assert_eq!(w.focus, n - 1);
    w.handle(Msg::FocusNext, &panel);
    assert_eq!(w.focus, 0);
}

#[test]
fn a_bad_date_is_kept_out_and_explained_beside_the_field() {
    let panel = default_panel();
    let mut w = walk();
    let before = w.case.clone();
    w.handle(Msg::SetText(Key::OffenceDate, "31/10/2026".into()), &panel);
    assert_eq!(w.case, before, "the case is unchanged");
    assert!(w.errors[&Key::OffenceDate].contains("expected a date like 2026-11-23"));
    w.handle(Msg::SetText(Key::OffenceDate, "2027-01-01".into()), &panel);
    assert!(w.errors[&Key::OffenceDate].contains("future"));
    w.handle(Msg::SetText(Key::OffenceDate, "2026-10-31".into()), &panel);
    assert!(!w.errors.contains_key(&Key::OffenceDate));
    assert_eq!(w.case.referral.offences[0].date, date("2026-10-31"));
}

#[test]
fn fields_follow_the_case_victim_contacted_and_not_obtainable() {
    let panel = default_panel();
    let mut w = walk();
    w.handle(Msg::Goto(Step::Victim), &panel);
    w.handle(Msg::Choose(Key::VictimStatus, Some("not-obtainable".into())), &panel);
    let keys: Vec<Key> = w.fields(&panel).into_iter().map(|f| f.key).collect();
    assert_eq!(keys, [Key::VictimStatus, Key::VictimReason]);
    assert_eq!(missing(&w.case, Step::Victim, &panel), ["Victim's views: why they are not obtainable"]);
    w.handle(Msg::SetText(Key::VictimReason, "Moved abroad; no contact details".into()), &panel);
    assert!(missing(&w.case, Step::Victim, &panel).is_empty());
    w.handle(Msg::Choose(Key::VictimStatus, Some("contacted".into())), &panel);
    assert!(w.fields(&panel).iter().any(|f| f.key == Key::Restorative));
}

#[test]
fn the_inspector_fields_appear_when_the_move_needs_them() {
    let panel = default_panel();
    let mut w = walk();
    w.handle(Msg::Goto(Step::Gravity), &panel);
    let has_inspector = |w: &Walk| w.fields(&panel).iter().any(|f| f.key == Key::InspectorName);
    assert!(!has_inspector(&w));
    w.handle(Msg::SetMulti(Key::Factors, vec!["high_value".into(), "group".into()]), &panel);
    assert!(has_inspector(&w));
    assert_eq!(
        missing(&w.case, Step::Gravity, &panel),
        [
            "The score moves 2 point(s) from the base 1 (allowed without an inspector: 1); record the inspector's name and rank"
        ]
    );
    w.handle(Msg::SetText(Key::InspectorName, "Jo Bloggs".into()), &panel);
    w.handle(Msg::SetText(Key::InspectorRank, "Inspector".into()), &panel);
    assert!(missing(&w.case, Step::Gravity, &panel).is_empty());
}

#[test]
fn adding_a_search_entry_focuses_its_first_field_and_saves() {
    let panel = default_panel();
    let mut w = walk();
    w.handle(Msg::Goto(Step::Research), &panel);
    assert_eq!(w.handle(Msg::Press(Key::AddSearch), &panel), vec![Effect::SaveDraft { step: Step::Research }]);
    assert_eq!(w.case.research.searches.len(), 1);
    assert_eq!(w.focused(&panel).unwrap().key, Key::Search(0, SearchPart::RequestedOn));
    w.handle(Msg::SetText(Key::Search(0, SearchPart::Systems), "PNC, Niche, Athena".into()), &panel);
    assert_eq!(w.case.research.searches[0].systems, ["PNC", "Niche", "Athena"]);
}

/// A search entry added by mistake can be taken out again: the one the focus is on, saved.
#[test]
fn a_search_entry_can_be_removed_and_the_removal_is_saved() {
    let panel = default_panel();
    let mut w = walk();
    w.handle(Msg::Goto(Step::Research), &panel);
    for who in ["PC First", "PC Second"] {
        w.handle(Msg::Press(Key::AddSearch), &panel);
        let i = w.case.research.searches.len() - 1;
        w.handle(Msg::SetText(Key::Search(i, SearchPart::RequestedBy), who.into()), &panel);
    }
    assert_eq!(
        w.handle(Msg::Remove(Key::Search(0, SearchPart::Request)), &panel),
        vec![Effect::SaveDraft { step: Step::Research }]
    );
    let left: Vec<_> = w.case.research.searches.iter().map(|s| s.requested_by.as_str()).collect();
    assert_eq!(left, ["PC Second"]);
    assert!(w.handle(Msg::Remove(Key::History), &panel).is_empty(), "only a search entry is removed");
    for past_the_end in [1, 5] {
        assert!(
            w.handle(Msg::Remove(Key::Search(past_the_end, SearchPart::Request)), &panel).is_empty(),
            "nothing there"
        );
    }
    w.handle(Msg::Remove(Key::Search(0, SearchPart::RequestedOn)), &panel);
    assert!(w.case.research.searches.is_empty());
    assert!(w.focused(&panel).is_some(), "the focus stays on a field");
}

/// A view is given by an agency, for the proposal on the table; proposing never gives one.
#[test]
fn proposing_an_outcome_gives_no_view_and_a_view_follows_only_a_matching_proposal() {
    let panel = default_panel();
    let mut case = good_case();
    case.decision.views.clear();
    case.decision.outcome = None;
    let mut w = Walk::new(case, date("2026-11-23"));
    w.handle(Msg::Choose(Key::Outcome, Some("O22".into())), &panel);
    assert_eq!(w.value(&Key::PoliceView), Value::Choice(None), "no view is assumed");
    assert_eq!(
        w.value(&Key::FinalOutcome),
        Value::Choice(Some("O22".into())),
        "the final outcome follows the proposal"
    );
    w.handle(Msg::Choose(Key::PoliceView, Some("O22".into())), &panel);
    w.handle(Msg::Choose(Key::YjsView, Some("NFA".into())), &panel);
    w.handle(Msg::Choose(Key::Outcome, Some("NFA".into())), &panel);
    let d = &w.case.decision;
    assert!(!d.is_stale(d.view_of("yjs").unwrap()), "a view matching the new proposal is carried to it");
    assert!(d.is_stale(d.view_of("police").unwrap()), "a view that no longer matches must be given again");
}

#[test]
fn record_with_a_blocking_finding_gives_no_effect_and_says_why() {
    let panel = default_panel();
    let mut w = walk();
    w.handle(Msg::SetText(Key::Rationale, "".into()), &panel);
    assert_eq!(w.handle(Msg::Record, &panel), vec![]);
    assert!(w.refused.iter().any(|f| f.rule == "rationale"));
    assert!(missing(&w.case, Step::Review, &panel).iter().any(|m| m.contains("no rationale")));
}

#[test]
fn record_a_good_case_then_the_walk_is_read_only() {
    let panel = default_panel();
    let mut w = walk();
    let effects = w.handle(Msg::Record, &panel);
    let [Effect::RecordDecision(snap)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(snap.case, good_case());
    assert_eq!(snap.decided_on, date("2026-11-23"));
    w.handle(Msg::Recorded { seq: 7, hash: "abc".into() }, &panel);
    assert_eq!(w.recorded.as_ref().unwrap().seq, 7);
    let before = w.case.clone();
    assert_eq!(w.handle(Msg::SetText(Key::Rationale, "changed".into()), &panel), vec![]);
    assert_eq!(w.handle(Msg::Next, &panel), vec![]);
    assert_eq!(w.case, before);
}

#[test]
fn a_correction_needs_a_reason_and_a_failed_write_is_reported() {
    let panel = default_panel();
    let mut w = Walk::correction(good_case(), 3, date("2026-11-23"));
    assert_eq!(w.handle(Msg::Record, &panel), vec![]);
    assert!(w.failure.as_deref().unwrap().contains("needs a reason"));
    w.correction_reason = "Wrong victim recorded".into();
    w.handle(Msg::SetText(Key::ContactedBy, "Jo Bell, victim liaison officer".into()), &panel);
    assert!(matches!(w.handle(Msg::Record, &panel).as_slice(), [Effect::RecordDecision(_)]));
    w.handle(Msg::RecordFailed("Not recorded: disk full".into()), &panel);
    assert!(w.recorded.is_none());
    assert_eq!(w.failure.as_deref(), Some("Not recorded: disk full"));
}

#[test]
fn every_step_reports_what_it_misses_on_a_blank_referral() {
    let panel = default_panel();
    let case = jdp::domain::Case::new(jdp::walk::blank_referral(date("2026-11-23")));
    for step in Step::ALL {
        let m = missing(&case, step, &panel);
        match step {
            Step::Facts => {
                for what in [
                    "No local reference",
                    "No child's name",
                    "No offence recorded",
                    "No date of birth, so no age at offence",
                ] {
                    assert!(m.contains(&what.to_string()), "{what}: {m:?}");
                }
            }
            Step::Research => assert!(m.iter().any(|x| x.starts_with("No search audit entry")), "{m:?}"),
            Step::Victim => {
                assert_eq!(m, ["Victim's views: not recorded, nor marked not obtainable or no direct victim"])
            }
            Step::Needs => assert!(m.iter().any(|x| x.contains("11 of 11 needs domains")), "{m:?}"),
            Step::Gravity => assert!(m.iter().any(|x| x.contains("not in the gravity matrix")), "{m:?}"),
            Step::Outcome => assert!(m.contains(&"No outcome has been proposed".to_string()), "{m:?}"),
            Step::Decision => {
                for what in [
                    "The Police view is not recorded",
                    "No final outcome has been chosen",
                    "The decision has no rationale",
                ] {
                    assert!(m.contains(&what.to_string()), "{what}: {m:?}");
                }
                assert!(m.iter().any(|x| x.starts_with("Not a joint decision")), "{m:?}");
            }
            Step::Review | Step::Record => assert!(!m.is_empty()),
        }
    }
}

#[test]
fn the_complete_good_case_misses_nothing_that_blocks() {
    let panel = default_panel();
    let w = walk();
    assert!(w.missing(Step::Review, &panel).is_empty());
    assert!(w.missing(Step::Decision, &panel).is_empty());
    assert!(w.missing(Step::Victim, &panel).is_empty());
}
