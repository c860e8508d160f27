//! The store's commands as a user runs them: import, export (pseudonymised), demo-data, verify.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::store::Store;
use predicates::str::contains;

fn jdp(db: &Path) -> Command {
    common::jdp_on(db)
}

fn text(out: &[u8]) -> String {
    String::from_utf8(out.to_vec()).unwrap()
}

#[test]
fn import_the_example_then_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    jdp(&db)
        .args(["import", "panels/examples/referrals.toml"])
        .assert()
        .success()
        .stdout(contains("Imported 3 referral(s)"));
    jdp(&db).arg("verify").assert().success().stdout(contains("ok: 0 record(s) checked"));
    // A second import of the same file is refused, located, and changes nothing.
    jdp(&db)
        .args(["import", "panels/examples/referrals.toml"])
        .assert()
        .code(1)
        .stderr(contains("panels/examples/referrals.toml:9:13: referrals[0].reference"))
        .stderr(contains("Nothing was imported."));
    assert_eq!(Store::open(&db).unwrap().summary().unwrap().referrals, 3);
}

#[test]
fn a_bad_import_file_is_located_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let file = dir.path().join("bad.toml");
    let good =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("panels/examples/referrals.toml")).unwrap();
    std::fs::write(&file, good.replace("offence = \"Common assault\"", "offence = \"Comon assault\"")).unwrap();
    jdp(&db)
        .arg("import")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(contains("referrals[1].offences[0].offence: expected an offence named in the panel's gravity matrix, found \"Comon assault\" (did you mean \"Common assault\"?)"));
    assert_eq!(Store::open(&db).unwrap().summary().unwrap().referrals, 0);
}

#[test]
fn a_pseudonymised_export_holds_no_planted_identifier_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let mut case = good_case();
    case.referral.child.name = "Zebedee Quixote-Farnsworth".into();
    case.referral.child.date_of_birth = date("2011-07-19");
    case.referral.reference = "JDP-PLANTED-77".into();
    case.decision.rationale =
        "Zebedee admitted it at once; born 19/07/2011 (2011-07-19); the Quixote-Farnsworth family will support JDP-PLANTED-77."
            .into();
    {
        let mut store = Store::open(&db).unwrap();
        let id = store.add_referrals(&[case.referral.clone()], "t", Utc::now()).unwrap()[0];
        store.record_decision(id, &snapshot_of(&case), None, "t", Utc::now()).unwrap();
    }
    let plain = jdp(&db).args(["export"]).assert().success().get_output().stdout.clone();
    assert!(text(&plain).contains("Zebedee Quixote-Farnsworth"), "the plain export has the name (control)");
    for format in ["csv", "jsonl"] {
        let out = jdp(&db)
            .args(["export", "--pseudonymise", "--format", format])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let out = text(&out);
        for planted in
            ["Zebedee", "Quixote", "Farnsworth", "2011-07-19", "19/07/2011", "JDP-PLANTED-77", "PC 1234 Smith"]
        {
            assert!(!out.contains(planted), "{format} export contains {planted}:\n{out}");
        }
        assert!(out.contains("C-") && out.contains("R-"), "pseudonyms present: {out}");
        assert!(out.contains(",15,") || out.contains("\"age_at_offence\":15"), "age at offence kept: {out}");
    }
    // Stable: the same child gets the same pseudonym on every export.
    let a = jdp(&db).args(["export", "--pseudonymise"]).assert().success().get_output().stdout.clone();
    let b = jdp(&db).args(["export", "--pseudonymise"]).assert().success().get_output().stdout.clone();
    assert_eq!(a, b);
    let log = Store::open(&db).unwrap().access_log(20).unwrap();
    let exports = log.iter().filter(|e| e.action == "export").count();
    assert_eq!(exports, 5, "every export is in the access log");
    assert!(log[0].target.contains("pseudonymised"));
}

#[test]
fn the_csv_export_has_the_documented_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let out = dir.path().join("out.csv");
    jdp(&db).args(["demo-data", "--decisions", "50", "--seed", "5"]).assert().success().stdout(contains("SYNTHETIC"));
    jdp(&db)
        .args(["export", "--from", "2026-01-01", "--to", "2026-06-30", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("SYNTHETIC DEMO DATA"));
    let csv = std::fs::read_to_string(&out).unwrap();
    let header = csv.lines().next().unwrap();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains(header), "README documents the export columns:\n{header}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }
    for line in csv.lines().skip(1) {
        let decided = line.split(',').nth(15).unwrap();
        assert!(("2026-01-01".."2026-07-01").contains(&decided), "{decided} outside the period");
    }
}

#[test]
fn verify_names_the_first_bad_record_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    jdp(&db).args(["demo-data", "--decisions", "30"]).assert().success();
    jdp(&db).arg("verify").assert().success().stdout(contains("record(s) checked; head "));
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("DROP TRIGGER records_no_update; UPDATE records SET outcome = 'CHARGE' WHERE seq = 17;").unwrap();
    drop(c);
    jdp(&db).arg("verify").assert().code(3).stderr(contains("FAILED: record 17: its content does not match its hash"));
}

#[test]
fn a_file_that_is_not_a_jdp_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minutes.docx");
    std::fs::write(&db, b"PK\x03\x04 not a database").unwrap();
    jdp(&db).arg("verify").assert().code(1).stderr(contains("minutes.docx: not a jdp database"));
}

#[test]
fn a_reference_differing_only_by_case_or_space_from_one_in_the_database_is_refused_located() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    jdp(&db).args(["import", "panels/examples/referrals.toml"]).assert().success();
    let good =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("panels/examples/referrals.toml")).unwrap();
    for (n, variant) in ["jdp-2026-0141", "JDP- 2026-0141", "JDP-2026 -0141", "Jdp-2026-0141"].iter().enumerate() {
        let file = dir.path().join(format!("again{n}.toml"));
        std::fs::write(
            &file,
            good.replacen("\"JDP-2026-0141\"", &format!("\"{variant}\""), 1)
                .replace("JDP-2026-0142", &format!("JDP-2027-1{n}42"))
                .replace("JDP-2026-0143", &format!("JDP-2027-1{n}43")),
        )
        .unwrap();
        jdp(&db)
            .arg("import")
            .arg(&file)
            .assert()
            .code(1)
            .stderr(contains(format!("again{n}.toml:9:13: referrals[0].reference")))
            .stderr(contains("JDP-2026-0141"))
            .stderr(contains("Nothing was imported."));
    }
    assert_eq!(Store::open(&db).unwrap().summary().unwrap().referrals, 3);
}

#[test]
fn the_store_itself_refuses_a_reference_differing_only_by_case_or_space() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    jdp(&db).args(["import", "panels/examples/referrals.toml"]).assert().success();
    let mut store = Store::open(&db).unwrap();
    let mut r = store.referral(1).unwrap().unwrap().referral;
    assert_eq!(store.existing_references(&["jdp- 2026-0141"]).unwrap().len(), 1);
    r.reference = "jdp-2026- 0141".into();
    let e = store.add_referrals(&[r], "tester", Utc::now()).unwrap_err();
    assert!(e.to_string().contains("already in the store"), "{e}");
    assert_eq!(store.summary().unwrap().referrals, 3);
}

/// A database made before references were keyed gets its keys on open, so its old referrals
/// are found by a reference differing only by case or spaces.
#[test]
fn referrals_from_before_the_reference_key_are_keyed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        jdp::store::migrations_up_to(8).to_latest(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO referrals (reference, age_at_offence, offence, offence_date, referral_date, body, added_at)
             VALUES ('ÄBC-0001', 14, 'x', '2026-01-01', '2026-01-02', '{}', '2026-01-02T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    let found = store.existing_references(&["äbc -0001"]).unwrap();
    assert_eq!(found, vec![("äbc -0001".to_string(), "ÄBC-0001".to_string())]);
}
