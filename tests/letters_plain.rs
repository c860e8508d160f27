//! Letters speak plainly (tester report 5, F4): each outcome is named in the letters by its
//! plain letter name ("No further action", never "NFA – Outcome 21"), no sentence starts with a
//! lower-case letter, and a local template that starts one so is warned about.

mod common;

use common::*;
use jdp::config::letters::{DEFAULT_LETTERS, DEFAULT_LETTERS_NAME, parse_letters};
use jdp::domain::letters::{self, LetterFormat, Recipient};

#[test]
fn every_shipped_letter_names_the_outcome_plainly_and_starts_every_sentence_with_a_capital() {
    let panel = default_panel();
    let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).unwrap();
    let base = snapshot_of(&looked_after_case());
    for o in &panel.outcomes {
        let mut snap = base.clone();
        snap.case.decision.outcome = Some(o.code.clone());
        for to in Recipient::ALL {
            let t = letters::template(&file, to, &o.code).unwrap();
            let plain = letters::render(t, &letters::values(&snap, &panel, &file.settings, to), LetterFormat::Txt);
            let words: Vec<&str> = plain.split(|c: char| !c.is_alphanumeric()).collect();
            for jargon in ["NFA", "O21", "O22", "YCC", "YC", "CR"] {
                assert!(!words.contains(&jargon), "{} letter for {}: {jargon} in\n{plain}", to.id(), o.code);
            }
            assert!(!plain.contains("Outcome 21") && !plain.contains("Outcome 22"), "{plain}");
            assert!(plain.contains(&o.plain_name()), "{}: {}\n{plain}", o.code, o.plain_name());
            let r = letters::readability(&plain);
            assert!(r.lower_case_starts.is_empty(), "{} letter for {}: {:?}", to.id(), o.code, r.lower_case_starts);
        }
    }
}

#[test]
fn plain_names_come_from_the_panel_or_are_derived_from_the_label() {
    let panel = default_panel();
    let name = |c: &str| panel.outcome(c).unwrap().plain_name();
    assert_eq!(name("NFA"), "No further action");
    assert_eq!(name("O21"), "No further action");
    assert_eq!(name("O22"), "Diversion");
    assert_eq!(name("CR"), "Community resolution");
    // Derived where the panel gives none: the label without a code after a dash or a bracket.
    let mut o = panel.outcome("O22").unwrap().clone();
    o.letter_name = String::new();
    o.label = "Outcome 22 (diversion)".into();
    assert_eq!(o.plain_name(), "Diversion");
    o.label = "Deferred caution – Outcome 22".into();
    assert_eq!(o.plain_name(), "Deferred caution");
    o.label = "O22".into();
    assert_eq!(o.plain_name(), "O22", "nothing plainer to take: the label as it is");
}

#[test]
fn a_sentence_starting_lower_case_is_over_the_limits() {
    let text = "Title\n=====\n\nthe Youth Justice Service will call. It will help.\n";
    let r = letters::readability(text);
    assert_eq!(r.lower_case_starts, ["the Youth Justice Service will call."]);
    let over = letters::over_limits(&r, &Default::default());
    assert!(over.iter().any(|o| o.contains("starts with a lower-case letter")), "{over:?}");
}
