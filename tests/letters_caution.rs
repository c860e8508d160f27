//! Youth caution letters (tester report 5, F11 and F25): they say only what DOMAIN.md supports —
//! a criminal record, spent straight away — and no claim about what a standard or enhanced check
//! shows; they promise an appropriate adult at the caution only where the task arranges one
//! (a child under 17 at the offence: Crime and Disorder Act 1998 s.66ZA, DOMAIN.md).

mod common;

use common::*;
use jdp::config::letters::{DEFAULT_LETTERS, DEFAULT_LETTERS_NAME, parse_letters};
use jdp::domain::letters::{self, LetterFormat, Recipient};
use jdp::domain::tasks::{TaskKind, tasks};

fn caution_for(age_at_offence: i32) -> jdp::domain::record::DecisionSnapshot {
    let mut case = good_case();
    let offence = case.referral.offences[0].date;
    case.referral.child.date_of_birth =
        offence.with_year(offence.year() - age_at_offence).unwrap() - chrono::Days::new(1);
    let mut snap = snapshot_of(&case);
    snap.case.decision.outcome = Some("YC".into());
    snap
}

use chrono::Datelike;

fn letter(snap: &jdp::domain::record::DecisionSnapshot, to: Recipient) -> String {
    let panel = default_panel();
    let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    letters::compose(snap, &panel, &file, to, LetterFormat::Txt).unwrap().0
}

#[test]
fn a_youth_caution_letter_says_only_what_the_domain_supports_about_a_record() {
    for to in [Recipient::Child, Recipient::Carer] {
        let text = letter(&caution_for(14), to);
        assert!(text.contains("criminal record") && text.contains("spent straight away"), "{text}");
        for claim in ["standard or enhanced", "enhanced check", "Some jobs with children will be told"] {
            assert!(!text.contains(claim), "{} letter: {claim} in\n{text}", to.id());
        }
        assert!(text.contains("know more"), "ask us if you need to know more: {text}");
    }
}

#[test]
fn an_appropriate_adult_is_promised_only_where_the_task_arranges_one() {
    let panel = default_panel();
    for (age, promised) in [(14, true), (16, true), (17, false)] {
        let snap = caution_for(age);
        let arranged = tasks(&snap.case, &panel, snap.decided_on)
            .iter()
            .any(|t| t.kind == TaskKind::ArrangeDelivery && t.description.contains("appropriate adult"));
        assert_eq!(arranged, promised, "the task at {age}");
        let child = letter(&snap, Recipient::Child);
        let carer = letter(&snap, Recipient::Carer);
        assert_eq!(child.contains("An adult who looks out for you will be there."), promised, "{age}: {child}");
        assert_eq!(carer.contains("An appropriate adult must be there."), promised, "{age}: {carer}");
        assert!(!carer.contains("\n\n\n"), "no empty paragraph where the sentence is left out: {carer:?}");
    }
}

/// Tester report 5, F20: a victim under 18 is not written to as "Dear Sir or Madam": the letter
/// goes to their parent or carer, and says so; an adult victim's letter is as before.
#[test]
fn a_victim_under_18_is_written_to_through_their_parent_or_carer() {
    let panel = default_panel();
    for o in &panel.outcomes {
        let mut case = good_case();
        let jdp::domain::referral::VictimViews::Contacted(v) = &mut case.victim else { panic!() };
        v.under_18 = true;
        let mut snap = snapshot_of(&case);
        snap.case.decision.outcome = Some(o.code.clone());
        let child_victim = letter(&snap, Recipient::Victim);
        assert!(
            child_victim.contains("Dear parent or carer,") && !child_victim.contains("Sir or Madam"),
            "{child_victim}"
        );
        assert!(child_victim.contains("parent or carer of the child this happened to"), "{child_victim}");
        let r = letters::readability(&child_victim);
        let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
        assert!(letters::over_limits(&r, &file.settings).is_empty(), "{}: {r:?}", o.code);
        let mut adult = snap.clone();
        let jdp::domain::referral::VictimViews::Contacted(v) = &mut adult.case.victim else { panic!() };
        v.under_18 = false;
        let text = letter(&adult, Recipient::Victim);
        assert!(text.contains("Dear Sir or Madam,") && !text.contains("this happened to"), "{text}");
    }
}
