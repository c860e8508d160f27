//! Issue #10: tampering the record chain alone cannot show — the guards, the access log, the
//! store's settings and the referral facts a decision relied on — is caught by verify, which
//! names the first bad record or the missing guard.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::Utc;
use jdp::store::Store;

/// A small store: referrals imported live, decisions recorded, some access-log entries.
fn template() -> &'static Path {
    static T: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let t = T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.sqlite3");
        let mut store = Store::open(&path).unwrap();
        for i in 0..12 {
            let mut case = common::good_case();
            case.referral.reference = format!("JDP-T-{i:03}");
            let id = store.add_referrals(&[case.referral.clone()], "chair", Utc::now()).unwrap()[0];
            store.record_decision(id, &common::snapshot_of(&case), None, "chair", Utc::now()).unwrap();
            store.log_access("analyst", "view", &format!("record {}", i + 1), "scrutiny", Utc::now()).unwrap();
        }
        store.verify().unwrap().unwrap();
        drop(store);
        (dir, path)
    });
    t.1.as_path()
}

fn tampered(sql: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    std::fs::copy(template(), &path).unwrap();
    std::fs::write(dir.path().join("jdp.sqlite3.jdp-store"), "").unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    (dir, path)
}

fn failure(path: &Path) -> jdp::store::VerifyFailure {
    Store::open(path).unwrap().verify().unwrap().expect_err("tampering must be detected")
}

/// Drops the append-only guards, does `sql`, and puts the guards back exactly as they were.
fn behind_the_guards(sql: &str) -> String {
    let mut out = String::from(
        "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete; DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;",
    );
    out.push_str(sql);
    for name in ["records_no_update", "records_no_delete", "access_log_no_update", "access_log_no_delete"] {
        out.push_str(&jdp::store::guard_sql(name).unwrap());
        out.push(';');
    }
    out
}

#[test]
fn the_untouched_copy_verifies_and_putting_guards_back_exactly_is_not_a_change() {
    let (_d, path) = tampered(&behind_the_guards(""));
    Store::open(&path).unwrap().verify().unwrap().unwrap();
}

#[test]
fn a_dropped_or_weakened_guard_is_named() {
    for (sql, name) in [
        ("DROP TRIGGER records_no_update;", "records_no_update"),
        ("DROP TRIGGER records_no_delete;", "records_no_delete"),
        ("DROP TRIGGER access_log_no_update;", "access_log_no_update"),
        ("DROP TRIGGER access_log_no_delete;", "access_log_no_delete"),
        (
            "DROP TRIGGER records_no_delete; CREATE TRIGGER records_no_delete BEFORE DELETE ON records WHEN 0 \
             BEGIN SELECT RAISE(ABORT, 'recorded decisions are never deleted'); END;",
            "records_no_delete",
        ),
    ] {
        let (_d, path) = tampered(sql);
        let f = failure(&path);
        assert_eq!(f.seq, 0, "{sql}");
        assert!(f.problem.contains(&format!("the guard {name}")), "{sql}: {f}");
    }
}

#[test]
fn changed_settings_are_caught() {
    for sql in [
        "UPDATE meta SET value = '1' WHERE key = 'synthetic';",
        "INSERT INTO meta (key, value) VALUES ('training', '1');",
        "UPDATE meta SET value = lower(hex(randomblob(32))) WHERE key = 'pseudonym_key';",
    ] {
        let (_d, path) = tampered(sql);
        let f = failure(&path);
        assert!(f.problem.contains("settings"), "{sql}: {f}");
    }
}

#[test]
fn deleted_or_rewritten_access_log_entries_are_caught() {
    for (sql, expect) in [
        ("DELETE FROM access_log WHERE id = 5;", "access-log entry 5 is missing"),
        ("UPDATE access_log SET actor = 'someone else' WHERE id = 7;", "access-log entry 7: its content"),
        ("UPDATE access_log SET reason = 'routine' WHERE id = 3;", "access-log entry 3: its content"),
        ("DELETE FROM access_log WHERE id = (SELECT max(id) FROM access_log);", "missing (the log was cut short)"),
        ("UPDATE access_log SET hash = NULL WHERE id = 4;", "access-log entry 4: has lost its hash"),
    ] {
        let (_d, path) = tampered(&behind_the_guards(sql));
        let f = failure(&path);
        assert!(f.to_string().contains(expect), "{sql}: {f}");
    }
}

#[test]
fn an_edited_referral_fact_a_decision_relied_on_names_the_decision() {
    let (_d, path) = tampered(
        "UPDATE referrals SET referral_date = '2026-01-01' WHERE id = (SELECT referral_id FROM records WHERE seq = 7);",
    );
    let f = failure(&path);
    assert_eq!(f.seq, 7, "{f}");
    assert!(f.problem.contains("referral facts"), "{f}");
    let (_d, path) = tampered(
        "PRAGMA foreign_keys = OFF; DELETE FROM referrals WHERE id = (SELECT referral_id FROM records WHERE seq = 4);",
    );
    assert_eq!(failure(&path).seq, 4);
}

#[test]
fn training_refuses_a_live_store_whatever_its_flags_say() {
    let (_d, path) = tampered("INSERT INTO meta (key, value) VALUES ('training', '1');");
    let mut store = Store::open(&path).unwrap();
    assert!(store.is_training().unwrap(), "the flag says training");
    let err = store.make_training().unwrap_err();
    assert!(err.to_string().contains("real referrals"), "{err}");
    // A real training store opens for training again, with its mock decisions.
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("training.sqlite3");
    let mut store = Store::open(&t).unwrap();
    store.make_training().unwrap();
    let id = store.add_referrals(&[common::good_case().referral], "trainee", Utc::now()).unwrap()[0];
    store.record_decision(id, &common::snapshot_of(&common::good_case()), None, "trainee", Utc::now()).unwrap();
    drop(store);
    let mut store = Store::open(&t).unwrap();
    store.make_training().unwrap();
    store.verify().unwrap().unwrap();
}
