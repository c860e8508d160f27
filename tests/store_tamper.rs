//! Tampering with a 10,000-decision store: every kind of change is caught and the first bad
//! record is named. Each case works on its own copy of one store built once.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jdp::store::Store;
use jdp::store::chain::COLUMNS;
use rstest::rstest;

const TARGET: i64 = 5_000;

/// (template file, number of records). Built once for every case in this file.
fn template() -> (&'static Path, i64) {
    static T: OnceLock<(tempfile::TempDir, PathBuf, i64)> = OnceLock::new();
    let t = T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.sqlite3");
        let store = common::demo_store(&path, 10_000, 11);
        let n = store.verify().unwrap().unwrap().checked;
        assert!(n >= 10_000);
        drop(store);
        (dir, path, n)
    });
    (t.1.as_path(), t.2)
}

/// A private copy of the template, with the immutability triggers dropped as an attacker would.
fn tampered(sql: &str) -> (tempfile::TempDir, PathBuf) {
    let (src, _) = template();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    std::fs::copy(src, &path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF; DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;")
        .unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    (dir, path)
}

fn first_bad(path: &Path) -> (i64, String) {
    let store = Store::open(path).unwrap();
    let failure = store.verify().unwrap().expect_err("tampering must be detected");
    (failure.seq, failure.problem)
}

#[test]
fn the_untouched_store_verifies() {
    let (src, n) = template();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.sqlite3");
    std::fs::copy(src, &path).unwrap();
    let report = Store::open(&path).unwrap().verify().unwrap().unwrap();
    assert_eq!(report.checked, n);
}

/// A one-byte (or one-unit) change to every stored field of one decision.
#[test]
fn a_change_to_any_field_of_a_decision_is_caught_at_that_decision() {
    let (src, _) = template();
    let c = rusqlite::Connection::open(src).unwrap();
    let mut changed = 0;
    // Beyond the version-1 columns: format 2's hashed format and digest, and the personal
    // details and salt the digest covers.
    // And the index columns the reports count decisions by.
    let more = [
        "prev_hash",
        "hash",
        "format",
        "personal_digest",
        "personal",
        "personal_salt",
        "panel_version",
        "victim_rj",
        "assessed_on",
    ];
    for col in COLUMNS.iter().chain(more.iter()) {
        let kind: String =
            c.query_row(&format!("SELECT typeof({col}) FROM records WHERE seq = {TARGET}"), [], |r| r.get(0)).unwrap();
        let set = match (*col, kind.as_str()) {
            ("seq", _) => format!("seq = {}", 10_000_000),
            (_, "integer") => format!("{col} = {col} + 1"),
            // Flip the low bit of the last character: a one-byte change.
            (_, "text") => format!(
                "{col} = substr({col}, 1, length({col}) - 1) || char((unicode(substr({col}, -1)) | 1) - (unicode(substr({col}, -1)) & 1))"
            ),
            (_, "blob") => format!(
                "{col} = unhex(substr(hex({col}), 1, 62) || CASE substr(hex({col}), 63, 2) WHEN '00' THEN '01' ELSE '00' END)"
            ),
            (_, "null") => format!("{col} = 1"),
            other => panic!("unexpected type {other:?}"),
        };
        let (_dir, path) = tampered(&format!("UPDATE records SET {set} WHERE seq = {TARGET};"));
        let (seq, problem) = first_bad(&path);
        assert_eq!(seq, TARGET, "changing {col}: {problem}");
        changed += 1;
    }
    assert_eq!(changed, COLUMNS.len() + more.len());
}

#[rstest]
#[case::deleted(format!("DELETE FROM records WHERE seq = {TARGET};"), TARGET, "missing")]
#[case::swapped(
    format!(
        "CREATE TEMP TABLE a AS SELECT * FROM records WHERE seq = {TARGET};
         CREATE TEMP TABLE b AS SELECT * FROM records WHERE seq = {TARGET} + 1;
         UPDATE temp.a SET seq = {TARGET} + 1; UPDATE temp.b SET seq = {TARGET};
         DELETE FROM records WHERE seq IN ({TARGET}, {TARGET} + 1);
         INSERT INTO records SELECT * FROM temp.b; INSERT INTO records SELECT * FROM temp.a;"
    ),
    TARGET,
    "does not link"
)]
#[case::forged_in_the_middle(
    format!(
        "CREATE TEMP TABLE f AS SELECT * FROM records WHERE seq = {TARGET};
         UPDATE temp.f SET outcome = 'NFA', body = replace(body, '\"outcome\":\"', '\"outcome\":\"NFA');
         DELETE FROM records WHERE seq = {TARGET}; INSERT INTO records SELECT * FROM temp.f;"
    ),
    TARGET,
    "does not match its hash"
)]
fn removal_reordering_and_forgery_are_caught(#[case] sql: String, #[case] seq: i64, #[case] words: &str) {
    let (_dir, path) = tampered(&sql);
    let (bad, problem) = first_bad(&path);
    assert_eq!(bad, seq, "{problem}");
    assert!(problem.contains(words), "{problem}");
}

#[test]
fn a_truncated_tail_is_caught() {
    let (_, n) = template();
    let (_dir, path) = tampered(&format!("DELETE FROM records WHERE seq > {} ;", n - 3));
    let (bad, problem) = first_bad(&path);
    assert_eq!(bad, n - 2, "{problem}");
    assert!(problem.contains("chain ends at"), "{problem}");
}

#[test]
fn a_forged_record_appended_with_a_valid_hash_is_caught() {
    // The forger knows the algorithm and links the new record properly; the head anchor differs.
    let (_, n) = template();
    let (_dir, path) = tampered("SELECT 1;");
    let c = rusqlite::Connection::open(&path).unwrap();
    let (prev, fields): (Vec<u8>, Vec<rusqlite::types::Value>) = c
        .query_row(&format!("SELECT hash, {} FROM records WHERE seq = {n}", COLUMNS.join(", ")), [], |r| {
            let prev: Vec<u8> = r.get(0)?;
            let vals = (1..=COLUMNS.len()).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect::<Result<_, _>>()?;
            Ok((prev, vals))
        })
        .unwrap();
    let mut fields = fields;
    fields[0] = rusqlite::types::Value::Integer(n + 1);
    let mut buf = Vec::new();
    for v in &fields {
        jdp::store::chain::encode(&mut buf, rusqlite::types::ValueRef::from(v)).unwrap();
    }
    let prev: [u8; 32] = prev.try_into().unwrap();
    let hash = jdp::store::chain::link(&prev, &buf);
    let marks = (1..=COLUMNS.len() + 2).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let mut params: Vec<rusqlite::types::Value> = fields;
    params.push(rusqlite::types::Value::Blob(prev.to_vec()));
    params.push(rusqlite::types::Value::Blob(hash.to_vec()));
    c.execute(
        &format!("INSERT INTO records ({}, prev_hash, hash) VALUES ({marks})", COLUMNS.join(", ")),
        rusqlite::params_from_iter(params),
    )
    .unwrap();
    // A careful forger fills the reports' index columns too.
    for col in ["panel_version", "victim_rj", "assessed_on"] {
        c.execute(
            &format!("UPDATE records SET {col} = (SELECT {col} FROM records WHERE seq = {n}) WHERE seq = {n} + 1"),
            [],
        )
        .unwrap();
    }
    drop(c);
    let (bad, problem) = first_bad(&path);
    assert_eq!(bad, n + 1, "{problem}");
    assert!(problem.contains("added outside jdp"), "{problem}");
}
