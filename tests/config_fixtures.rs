//! Panel definition files: every shipped and valid file loads; every invalid fixture is
//! rejected with the located message a person needs (file:line:col: key: expected, found).

use std::path::{Path, PathBuf};

use jdp::config::load_panel;
use rstest::rstest;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_panel_definition_loads() {
    let files = fixtures("panels");
    assert!(files.len() >= 2, "panels/ should hold default.toml and acpo-2013.toml");
    for f in files {
        let p = load_panel(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(p.gravity.offences.len() >= 10, "{}", f.display());
    }
}

#[test]
fn every_valid_fixture_loads() {
    let files = fixtures("tests/fixtures/valid");
    assert!(!files.is_empty());
    for f in files {
        load_panel(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}

#[test]
fn a_local_outcome_needs_no_code_change() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/local-outcome-23.toml");
    let p = load_panel(&dir).unwrap();
    let o23 = p.outcome("O23").expect("Outcome 23 defined in data");
    assert!(o23.requires_admission);
    assert_eq!(p.gravity.indications[2].outcomes, ["CHARGE", "O23"]);
}

#[rstest]
#[case::bank_holiday_bad_date("bank-holiday-bad-date.toml", r#"9:18: working_days.bank_holidays[0]: expected a date written "YYYY-MM-DD", found an invalid date (input is out of range)"#)]
#[case::bank_holiday_toml_date("bank-holiday-toml-date.toml", r#"9:18: working_days.bank_holidays[0]: expected a date written "YYYY-MM-DD", found a TOML date (write dates as quoted strings)"#)]
#[case::duplicate_agency(
    "duplicate-agency.toml",
    r#"12:6: agencies[1].id: expected a unique agency id, found "police" again (first at agencies[0].id)"#
)]
#[case::duplicate_factor("duplicate-factor.toml", r#"68:6: gravity.general_factors[1].id: expected a unique factor id, found "group" again (first at gravity.general_factors[0].id)"#)]
#[case::duplicate_offence("duplicate-offence.toml", r#"74:8: gravity.offences[1].name: expected a unique offence name, found "Theft" again (first at gravity.offences[0].name)"#)]
#[case::duplicate_outcome_code(
    "duplicate-outcome-code.toml",
    r#"33:8: outcomes[2].code: expected a unique outcome code, found "CR" again (first at outcomes[1].code)"#
)]
#[case::empty_outcomes("empty-outcomes.toml", "2:12: outcomes: expected at least one outcome, found an empty list")]
#[case::empty_panel_name("empty-panel-name.toml", "3:8: panel.name: expected some text, found an empty string")]
#[case::empty_ratings(
    "empty-ratings.toml",
    "88:11: scrutiny.ratings: expected at least one rating, found an empty list"
)]
#[case::factor_effect_sign(
    "factor-effect-sign.toml",
    "65:10: gravity.general_factors[0].effect: expected a positive effect for an aggravating factor, found -1"
)]
#[case::factor_shadows_general(
    "factor-shadows-general.toml",
    r#"79:6: gravity.offences[1].factors[0].id: expected an id not already used by a general factor, found "group""#
)]
#[case::indication_empty_outcomes(
    "indication-empty-outcomes.toml",
    "54:12: gravity.indications[1].outcomes: expected at least one outcome code, found an empty list"
)]
#[case::indication_missing_score(
    "indication-missing-score.toml",
    "46:1: gravity.indications: expected an indication for every score from 1 to 4, found none for 4"
)]
#[case::indication_out_of_scale(
    "indication-out-of-scale.toml",
    "57:9: gravity.indications[2].score: expected a score from 1 to 3, found 4"
)]
#[case::indication_unknown_outcome("indication-unknown-outcome.toml", r#"54:13: gravity.indications[1].outcomes[0]: expected an outcome code defined in this file, found "CRR" (did you mean "CR"?)"#)]
#[case::knife_age_out_of_range(
    "knife-age-out-of-range.toml",
    "78:28: gravity.offences[1].normally_charge_from_age: expected an age from 10 to 17, found 18"
)]
#[case::missing_gravity("missing-gravity.toml", "1:1: gravity: expected a value for `gravity`, found nothing")]
#[case::missing_panel_name("missing-panel-name.toml", "2:1: panel.name: expected a value for `name`, found nothing")]
#[case::negative_score(
    "negative-score.toml",
    "75:14: gravity.offences[1].base_score: expected a whole number from 0 to 255, found integer `-2`"
)]
#[case::not_utf8("not-utf8.toml", "5:15: expected UTF-8 text, found bytes that are not UTF-8")]
#[case::quorum_final_say_outside(
    "quorum-final-say-outside.toml",
    r#"17:13: quorum.final_say: expected one of the agencies in quorum.required, found "victim""#
)]
#[case::quorum_unknown_agency(
    "quorum-unknown-agency.toml",
    r#"16:23: quorum.required[1]: expected an agency id defined in this file, found "yot""#
)]
#[case::scale_inverted(
    "scale-inverted.toml",
    "43:13: gravity.scale_max: expected a scale from at least 1 with scale_max above scale_min (4), found 4–3"
)]
#[case::score_above_scale(
    "score-above-scale.toml",
    "75:14: gravity.offences[1].base_score: expected a score from 1 to 3, found 7"
)]
#[case::score_below_scale(
    "score-below-scale.toml",
    "69:14: gravity.offences[0].base_score: expected a score from 1 to 3, found 0"
)]
#[case::syntax_bad_string("syntax-bad-string.toml", r#"3:22: expected `"`, found invalid TOML: invalid basic string"#)]
#[case::syntax_duplicate_key(
    "syntax-duplicate-key.toml",
    "5:1: expected valid TOML, found the key `area` a second time in one table"
)]
#[case::syntax_missing_value(
    "syntax-missing-value.toml",
    "42:12: expected literal string, found invalid TOML: string values must be quoted"
)]
#[case::syntax_unclosed_table("syntax-unclosed-table.toml", "39:9: expected `]`, found invalid TOML: unclosed table")]
#[case::unknown_conditions_rule(
    "unknown-conditions-rule.toml",
    "23:14: outcomes[0].conditions: expected one of `none`, `allowed`, `required`, found `optional`"
)]
#[case::unknown_factor_kind(
    "unknown-factor-kind.toml",
    "64:8: gravity.general_factors[0].kind: expected one of `aggravating`, `mitigating`, found `aggravated` (did you mean `aggravating`?)"
)]
#[case::unknown_key_offence(
    "unknown-key-offence.toml",
    "75:1: gravity.offences[1].base_scor: expected one of `name`, `base_score`, `type`, `group`, `note`, `normally_charge_from_age`, `knife`, `factors`, found unknown key `base_scor` (did you mean `base_score`?)"
)]
#[case::unknown_key_panel(
    "unknown-key-panel.toml",
    "5:1: panel.verison: expected one of `name`, `area`, `version`, found unknown key `verison` (did you mean `version`?)"
)]
#[case::unknown_offence_type(
    "unknown-offence-type.toml",
    "76:8: gravity.offences[1].type: expected one of `summary`, `either-way`, `indictable-only`, found `sumary` (did you mean `summary`?)"
)]
#[case::unknown_top_level_table(
    "unknown-top-level-table.toml",
    "93:2: colours: expected one of `panel`, `working_days`, `agencies`, `quorum`, `outcomes`, `gravity`, `needs`, `restorative_options`, `tasks`, `timescales`, `scrutiny`, `records`, found unknown key `colours`"
)]
#[case::unknown_weekday(
    "unknown-weekday.toml",
    "8:9: working_days.days[0]: expected one of `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, found `monday` (did you mean `mon`?)"
)]
#[case::warn_score_out_of_scale(
    "warn-score-out-of-scale.toml",
    "30:26: outcomes[1].warn_at_or_above_score: expected a score from 1 to 3, found 9"
)]
#[case::wrong_type_bool(
    "wrong-type-bool.toml",
    r#"41:16: gravity.illustrative: expected true or false, found string "yes""#
)]
#[case::wrong_type_list(
    "wrong-type-list.toml",
    r#"16:12: quorum.required: expected a list [ … ], found string "police, yjs""#
)]
#[case::wrong_type_score(
    "wrong-type-score.toml",
    r#"75:14: gravity.offences[1].base_score: expected a whole number from 0 to 255, found string "two""#
)]
#[case::assessment_days_zero(
    "assessment-days-zero.toml",
    "94:27: timescales.assessment_working_days: expected working days from 1 to 65 for the YJS assessment (guidance: 10), found 0"
)]
#[case::duplicate_variant(
    "duplicate-variant.toml",
    r#"33:10: outcomes[1].variants[1].id: expected a unique variant id, found "diversion" again (first at outcomes[1].variants[0].id)"#
)]
#[case::intervention_weeks_inverted(
    "intervention-weeks-inverted.toml",
    "31:22: outcomes[1].intervention_weeks: expected [shortest, longest] in weeks, from 1 to 104, shortest first, found [20, 12]"
)]
#[case::duplicate_checklist_item(
    "duplicate-checklist-item.toml",
    r#"33:10: outcomes[1].checklist[1].id: expected a unique checklist item id, found "explained" again (first at outcomes[1].checklist[0].id)"#
)]
#[case::checklist_item_no_source(
    "checklist-item-no-source.toml",
    "31:71: outcomes[1].checklist[0].source: expected some text, found an empty string"
)]
#[case::authorised_by_blank(
    "authorised-by-blank.toml",
    "31:17: outcomes[1].authorised_by: expected some text, found an empty string"
)]
#[case::assessment_from_zero(
    "assessment-from-zero.toml",
    "31:23: outcomes[1].yjs_assessment_from: expected the outcome's count from which the YJS assesses, from 1 (1 = the first), found 0"
)]
#[case::zero_retention(
    "zero-retention.toml",
    "91:20: records.retention_months: expected a retention period from 1 to 1200 months, found 0"
)]
#[test]
fn expected_first_line(#[case] file: &str, #[case] expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid").join(file);
    let errors = load_panel(&path).expect_err("an invalid fixture must be rejected");
    let first = errors.0[0].to_string();
    let located = first.split_once(".toml:").map(|(_, rest)| rest).unwrap_or(&first);
    assert_eq!(located, expected);
    assert!(first.starts_with(&path.display().to_string()), "names the file: {first}");
}

#[test]
fn every_invalid_fixture_has_a_case_above() {
    let listed = include_str!("config_fixtures.rs");
    let files = fixtures("tests/fixtures/invalid");
    assert!(files.len() >= 30, "at least 30 invalid fixtures, found {}", files.len());
    for f in files {
        let name = f.file_name().unwrap().to_str().unwrap();
        assert!(listed.contains(&format!("\"{name}\"")), "{name} has no expected message in this file");
    }
}
