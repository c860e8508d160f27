//! Previous outcomes in referral files (CSV and TOML) are the panel's outcomes, written as a
//! code or a label in any case, and are kept as codes; a court conviction is kept in words;
//! anything else is a located error. So the second youth caution's YJS assessment (s.66ZB)
//! fires however the earlier caution was written.

mod common;

use common::*;
use jdp::config::referrals::parse_referrals;
use jdp::config::referrals_csv::parse_referrals_csv;
use jdp::domain::tasks::{TaskKind, tasks};

const HEADER: &str = "reference,child_name,child_known_as,date_of_birth,sex,ethnicity,looked_after_local_authority,looked_after_social_worker,response,officer_in_case,referral_date,appropriate_adult,offence_1,offence_1_date,offence_1_details,previous_1_outcome,previous_1_date,previous_1_offence\n";

fn row(reference: &str, previous: &str) -> String {
    format!(
        "{reference},Ann Lee,,2012-01-01,female,White,,,admitted,PC 1 X,2026-11-10,,Theft from a shop,2026-11-01,,{previous},2025-05-05,Theft from a shop\n"
    )
}

#[test]
fn labels_and_codes_in_any_case_are_kept_as_codes() {
    let text = format!(
        "{HEADER}{}{}{}{}{}{}",
        row("P-1", "Youth caution"),
        row("P-2", "yc"),
        row("P-3", "COMMUNITY RESOLUTION"),
        row("P-4", "Conviction: referral order"),
        // A label typed with a hyphen or an em dash for its en dash, or spaced differently
        // (tester report 6).
        row("P-5", "NFA - Outcome 21"),
        row("P-6", "nfa —  outcome 21")
    );
    let f = parse_referrals_csv("p.csv", &text, &default_panel(), date("2026-11-24")).unwrap();
    let got: Vec<&str> = f.referrals.iter().map(|r| r.previous_outcomes[0].outcome.as_str()).collect();
    assert_eq!(got, ["YC", "YC", "CR", "Conviction: referral order", "O21", "O21"]);

    let toml = r#"
[[referrals]]
reference = "T-1"
officer_in_case = "PC 1 X"
referral_date = "2026-11-10"
response = "admitted"
[referrals.child]
name = "Ann Lee"
date_of_birth = "2012-01-01"
sex = "female"
ethnicity = "White"
[[referrals.offences]]
offence = "Theft from a shop"
date = "2026-11-01"
[[referrals.previous_outcomes]]
date = "2025-05-05"
outcome = "Youth Caution"
"#;
    let f = parse_referrals("t.toml", toml, &default_panel(), date("2026-11-24")).unwrap();
    assert_eq!(f.referrals[0].previous_outcomes[0].outcome, "YC");
    let bad = toml.replace("Youth Caution", "XYZ");
    let e = parse_referrals("t.toml", &bad, &default_panel(), date("2026-11-24")).unwrap_err().to_string();
    assert!(
        e.contains(r#"t.toml:17:11: referrals[0].previous_outcomes[0].outcome: expected one of NFA, O21, O22, CR, YC, YCC, CHARGE (a code or its label, in any case), or a court conviction written "Conviction: …", found "XYZ""#),
        "{e}"
    );
}

/// The tester's file: a previous "Youth caution" and a youth caution now: the YJS assesses.
#[test]
fn a_second_caution_written_as_a_label_gets_the_yjs_assessment() {
    let text = format!("{HEADER}{}", row("P-1", "Youth caution"));
    let f = parse_referrals_csv("p.csv", &text, &default_panel(), date("2026-11-24")).unwrap();
    let mut case = good_case();
    case.referral = f.referrals[0].clone();
    case.decision.outcome = Some("YC".into());
    let t = tasks(&case, &default_panel(), date("2026-11-24"));
    let a = t.iter().find(|t| t.kind == TaskKind::YjsAssessment).expect("the s.66ZB assessment task");
    assert!(a.description.contains("second"), "{}", a.description);
    // A store may hold a label written before: the rule reads it the same.
    case.referral.previous_outcomes[0].outcome = "youth caution".into();
    assert!(tasks(&case, &default_panel(), date("2026-11-24")).iter().any(|t| t.kind == TaskKind::YjsAssessment));
}
