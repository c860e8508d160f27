//! `jdp import` reads CSV, the form police and case-management systems export: one row per
//! referral, numbered columns for offences and previous outcomes. The example CSV holds the same
//! referrals as the example TOML; every bad file is refused with its problems located as
//! file:row:column, and nothing is imported.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;
use jdp::config::referrals::load_referrals;
use jdp::config::referrals_csv::parse_referrals_csv;
use jdp::domain::referral::{Response, Sex};
use jdp::store::Store;
use predicates::str::contains;
use rstest::rstest;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn jdp(db: &Path) -> Command {
    common::jdp_on(db)
}

#[test]
fn the_example_csv_holds_the_same_referrals_as_the_example_toml() {
    let panel = default_panel();
    let toml = load_referrals(&root().join("panels/examples/referrals.toml"), &panel).unwrap();
    let csv = load_referrals(&root().join("panels/examples/referrals.csv"), &panel).unwrap();
    assert_eq!(csv.referrals.len(), 3);
    assert_eq!(csv.referrals, toml.referrals);
}

#[test]
fn importing_the_example_csv_stores_the_referrals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    jdp(&db)
        .args(["import", "panels/examples/referrals.csv"])
        .assert()
        .success()
        .stdout(contains("Imported 3 referral(s)"));
    let store = Store::open(&db).unwrap();
    let id = store.referral_id("JDP-2026-0142").unwrap().unwrap();
    let kayla = store.referral(id).unwrap().unwrap().referral;
    assert_eq!(kayla.child.looked_after.unwrap().social_worker.as_deref(), Some("Dana Whitfield"));
    // The same file again: refused, each reference located by its row and column.
    drop(store);
    jdp(&db)
        .args(["import", "panels/examples/referrals.csv"])
        .assert()
        .code(1)
        .stderr(contains(
            "panels/examples/referrals.csv:2:1: reference: expected a reference not already in the database",
        ))
        .stderr(contains("panels/examples/referrals.csv:4:1: reference"))
        .stderr(contains("Nothing was imported."));
}

#[test]
fn check_reads_a_csv_referral_file() {
    let dir = tempfile::tempdir().unwrap();
    jdp(&dir.path().join("x.sqlite3"))
        .args(["check", "panels/examples/referrals.csv"])
        .assert()
        .success()
        .stdout(contains("ok: panels/examples/referrals.csv: 3 referral(s)"));
}

#[test]
fn several_offences_previous_outcomes_and_other_names_are_read() {
    let text = "reference,child_name,child_known_as,date_of_birth,sex,ethnicity,response,officer_in_case,\
referral_date,offence_1,offence_1_date,offence_2,offence_2_date,offence_2_details,previous_1_outcome,\
previous_1_date,previous_2_outcome,previous_2_date,previous_2_offence\n\
JDP-9,Alex Example,Lexi; AJ,2012-03-01,not-known,Not stated,no-comment,PC 1,2026-11-10,Theft from a shop,\
2026-11-01,Common assault,2026-11-02,\"Pushed a guard,\nthen ran\",CR,2025-01-05,YC,2025-09-09,Theft from a shop\n";
    let f = parse_referrals_csv("x.csv", text, &default_panel(), date("2026-11-24")).unwrap();
    let r = &f.referrals[0];
    assert_eq!(r.child.known_as, ["Lexi", "AJ"]);
    assert_eq!(r.child.sex, Sex::NotKnown);
    assert_eq!(r.response, Response::NoComment);
    assert_eq!(r.offences.len(), 2);
    assert_eq!(r.offences[1].details, "Pushed a guard,\nthen ran", "a details cell may run over lines");
    assert_eq!(r.previous_outcomes.len(), 2);
    assert_eq!(r.previous_outcomes[1].offence, "Theft from a shop");
    assert_eq!(r.child.looked_after, None);
    assert_eq!(r.appropriate_adult, None);
}

fn fixture(name: &str) -> (String, String) {
    let path: PathBuf = root().join("tests/fixtures/invalid-referrals").join(name);
    (format!("tests/fixtures/invalid-referrals/{name}"), std::fs::read_to_string(path).unwrap())
}

#[rstest]
#[case::unknown_column("unknown-column.csv", r#"1:15: offense_1_details: expected a column from README "Import referrals", found unknown column `offense_1_details` (did you mean `offence_1_details`?)"#)]
#[case::missing_column(
    "missing-column.csv",
    "1:18: referral_date: expected a column `referral_date`, found no such column in the header"
)]
#[case::duplicate_column(
    "duplicate-column.csv",
    "1:19: sex: expected each column once, found `sex` again (first in column 5)"
)]
#[case::bad_date(
    "bad-date.csv",
    r#"2:4: date_of_birth: expected the child's date of birth, written YYYY-MM-DD, found "14/05/2012""#
)]
#[case::empty_date(
    "empty-date.csv",
    "2:11: referral_date: expected the referral date, written YYYY-MM-DD, found an empty cell"
)]
#[case::bad_sex("bad-sex.csv", r#"2:5: sex: expected one of female, male, other, not-known, found "M""#)]
#[case::bad_response("bad-response.csv", r#"2:9: response: expected one of admitted, accepted-responsibility, denied, no-comment, found "accepted" (did you mean `accepted-responsibility`?)"#)]
#[case::unknown_offence("unknown-offence.csv", r#"2:13: offence_1: expected an offence named in the panel's gravity matrix, found "Theft from a shopp" (did you mean "Theft from a shop"?)"#)]
#[case::control_character(
    "control-character.csv",
    "2:2: child_name: expected one line of text without control or bidirectional-override characters, found a control character U+001B at line 1, column 8 of the cell"
)]
#[case::bidi_character(
    "bidi-character.csv",
    "2:15: offence_1_details: expected text without control or bidirectional-override characters, found a bidirectional-override character U+202E at line 1, column 6 of the cell"
)]
#[case::short_row("short-row.csv", "3:13: expected 18 cells, as in the header, found 12 cells")]
#[case::duplicate_reference("duplicate-reference.csv", r#"3:1: reference: expected a reference not used by another row in this file (case and spaces aside), found "jdp-2026-0141" again (first in row 2)"#)]
#[case::previous_without_date(
    "previous-without-date.csv",
    "2:17: previous_1_date: expected the date of the previous outcome, written YYYY-MM-DD, found an empty cell"
)]
#[case::offence_date_without_offence(
    "offence-date-without-offence.csv",
    "2:19: offence_2: expected the offence's name in the panel's gravity matrix, found an empty cell"
)]
#[case::future_referral_date(
    "future-referral-date.csv",
    "2:11: referral_date: expected a date not in the future (today is 2026-11-24), found 2099-01-04"
)]
#[case::header_only("header-only.csv", "2:1: expected at least one referral row after the header, found none")]
#[case::social_worker_without_authority(
    "social-worker-without-authority.csv",
    "2:7: looked_after_local_authority: expected the responsible local authority (the child has a social worker named), found an empty cell"
)]
#[case::offence_after_referral(
    "offence-after-referral.csv",
    "2:14: offence_1_date: expected an offence date on or before the referral date (2026-11-16), found 2026-11-20"
)]
#[case::unknown_previous_outcome(
    "unknown-previous-outcome.csv",
    r#"2:16: previous_1_outcome: expected one of NFA, O21, O22, CR, YC, YCC, CHARGE (a code or its label, in any case), or a court conviction written "Conviction: …", found "XYZ""#
)]
fn each_bad_file_gives_its_located_error(#[case] file: &str, #[case] expected: &str) {
    let (name, text) = fixture(file);
    let errors = parse_referrals_csv(&name, &text, &default_panel(), date("2026-11-24")).expect_err("refused");
    let first = errors.0[0].to_string();
    assert_eq!(first.strip_prefix(&format!("{name}:")).unwrap_or(&first), expected);
}

#[test]
fn every_bad_csv_fixture_has_a_case_above() {
    let listed = include_str!("import_csv.rs");
    for e in std::fs::read_dir(root().join("tests/fixtures/invalid-referrals")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(listed.contains(&format!("\"{name}\"")), "{name} has no case");
    }
}

#[test]
fn every_problem_in_every_row_is_reported() {
    let (_, good) = fixture("bad-sex.csv");
    let text = format!(
        "{good}{}\n",
        good.lines().nth(1).unwrap().replace("JDP-2026-0141", "JDP-2").replace("2026-10-31", "31 Oct")
    );
    let errors = parse_referrals_csv("x.csv", &text, &default_panel(), date("2026-11-24")).unwrap_err();
    let shown: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert!(shown[0].starts_with("x.csv:2:5: sex"), "{shown:#?}");
    assert!(shown[1].starts_with("x.csv:3:5: sex"), "{shown:#?}");
    assert!(shown[2].starts_with("x.csv:3:14: offence_1_date"), "{shown:#?}");
}

#[test]
fn nothing_is_imported_if_any_row_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    // Two good rows and one bad (the third row's date of birth).
    let good = std::fs::read_to_string(root().join("panels/examples/referrals.csv")).unwrap();
    let file = dir.path().join("referrals.csv");
    std::fs::write(&file, good.replace("2010-02-03", "3 Feb 2010")).unwrap();
    jdp(&db)
        .arg("import")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(contains("referrals.csv:4:4: date_of_birth: expected the child's date of birth, written YYYY-MM-DD, found \"3 Feb 2010\""));
    assert_eq!(Store::open(&db).unwrap().summary().unwrap().referrals, 0);
}

#[test]
fn a_spreadsheets_byte_order_mark_and_padded_cells_are_read() {
    let good = std::fs::read_to_string(root().join("panels/examples/referrals.csv")).unwrap();
    let text = format!("\u{feff}{}", good.replace(",male,", ", male ,"));
    let f = parse_referrals_csv("x.csv", &text, &default_panel(), date("2026-11-24")).unwrap();
    assert_eq!(f.referrals.len(), 3);
    assert_eq!(f.referrals[0].child.sex, Sex::Male);
}

#[test]
fn a_numbered_column_needs_its_name_and_date_columns() {
    let (_, good) = fixture("bad-sex.csv");
    let mut lines = good.lines();
    let text = format!(
        "{},offence_2_details,previous_2_offence\n{},,\n",
        lines.next().unwrap(),
        lines.next().unwrap().replace(",M,", ",male,")
    );
    let errors = parse_referrals_csv("x.csv", &text, &default_panel(), date("2026-11-24")).unwrap_err();
    let shown: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "x.csv:1:21: offence_2: expected a column `offence_2`, found none",
            "x.csv:1:21: offence_2_date: expected a column `offence_2_date`, found none",
            "x.csv:1:21: previous_2_date: expected a column `previous_2_date`, found none",
            "x.csv:1:21: previous_2_outcome: expected a column `previous_2_outcome`, found none",
        ]
    );
}

#[rstest]
#[case("offence_0")]
#[case("offence_01")]
#[case("offence_100")]
#[case("previous_x_date")]
fn numbers_count_from_one_without_leading_zeros(#[case] column: &str) {
    let (_, good) = fixture("bad-sex.csv");
    let mut lines = good.lines();
    let text = format!("{},{column}\n{},\n", lines.next().unwrap(), lines.next().unwrap().replace(",M,", ",male,"));
    let errors = parse_referrals_csv("x.csv", &text, &default_panel(), date("2026-11-24")).unwrap_err();
    assert!(errors.0[0].to_string().contains(&format!("found unknown column `{column}`")), "{errors}");
}
