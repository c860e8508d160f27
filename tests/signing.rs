//! Issue #10: an insider who rewrites a decision and recomputes every hash passes the chain
//! check, but not the signed heads: the key is outside the database.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::Utc;
use jdp::signing::Signer;
use jdp::store::Store;
use jdp::store::chain::{self, COLUMNS, GENESIS, Hash};
use predicates::str::contains;

fn store_with_decisions(path: &Path, n: usize) -> Store {
    let mut store = Store::open(path).unwrap();
    for i in 0..n {
        let mut case = common::good_case();
        case.referral.reference = format!("JDP-S-{i:03}");
        let id = store.add_referrals(&[case.referral.clone()], "chair", Utc::now()).unwrap()[0];
        store.record_decision(id, &common::snapshot_of(&case), None, "chair", Utc::now()).unwrap();
    }
    store
}

/// What an insider with write access and the published algorithm can do: change a record, then
/// recompute every hash after it and the head anchor, and put the guards back.
fn rewrite_and_recompute(path: &Path, sql: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("DROP TRIGGER records_no_update;").unwrap();
    c.execute_batch(sql).unwrap();
    // Format-2 records also hash their format and personal digest, as the chain's contract says.
    let sql = format!("SELECT {}, format, personal_digest FROM records ORDER BY seq", COLUMNS.join(", "));
    let mut stmt = c.prepare(&sql).unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut prev: Hash = GENESIS;
    let mut updates = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let mut buf = Vec::new();
        for i in 0..COLUMNS.len() {
            chain::encode(&mut buf, row.get_ref(i).unwrap()).unwrap();
        }
        if row.get::<_, Option<i64>>(COLUMNS.len()).unwrap().is_some() {
            for i in COLUMNS.len()..COLUMNS.len() + 2 {
                chain::encode(&mut buf, row.get_ref(i).unwrap()).unwrap();
            }
        }
        let h = chain::link(&prev, &buf);
        updates.push((row.get::<_, i64>(0).unwrap(), prev, h));
        prev = h;
    }
    drop(rows);
    drop(stmt);
    for (seq, p, h) in updates {
        c.execute(
            "UPDATE records SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![p.to_vec(), h.to_vec(), seq],
        )
        .unwrap();
    }
    c.execute("UPDATE meta SET value = ?1 WHERE key = 'head_hash'", [hex::encode(prev)]).unwrap();
    c.execute_batch(&format!("{};", jdp::store::guard_sql("records_no_update").unwrap())).unwrap();
}

#[test]
fn a_recomputed_chain_passes_verify_but_not_its_signed_head() {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let mut store = store_with_decisions(&db, 6);
    let signer = Signer::load_or_create(keys.path()).unwrap();
    let signed = signer.sign_head(&mut store, Utc::now()).unwrap();
    assert_eq!(signed.head.seq, 6);
    let known = jdp::signing::known_keys(keys.path()).unwrap();
    let r = store.verify_signatures(&known).unwrap().unwrap();
    assert_eq!((r.checked, r.unknown_key), (1, 0));
    drop(store);

    rewrite_and_recompute(&db, "UPDATE records SET outcome = 'NFA' WHERE seq = 3;");
    let store = Store::open(&db).unwrap();
    store.verify().unwrap().expect("the insider recomputed every hash: the chain alone cannot tell");
    let f = store.verify_signatures(&known).unwrap().expect_err("the signed head catches it");
    assert!(f.problem.contains("no longer passes through this signed head"), "{f}");
    // Without the key, the signature is only "by a key this account does not know".
    let r = store.verify_signatures(&[]).unwrap().unwrap();
    assert_eq!((r.checked, r.unknown_key), (0, 1));
}

#[test]
fn a_forged_signature_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let mut store = store_with_decisions(&db, 2);
    let signer = Signer::load_or_create(keys.path()).unwrap();
    signer.sign_head(&mut store, Utc::now()).unwrap();
    common::sql(&store)
        .execute(
            "UPDATE signatures SET head_seq = 1, head_hash = (SELECT lower(hex(hash)) FROM records WHERE seq = 1)",
            [],
        )
        .unwrap();
    let known = jdp::signing::known_keys(keys.path()).unwrap();
    let f = store.verify_signatures(&known).unwrap().unwrap_err();
    assert!(f.problem.contains("does not match the head it claims"), "{f}");
}

#[test]
fn the_key_is_owner_only_and_reused() {
    let keys = tempfile::tempdir().unwrap();
    let dir = keys.path().join("config").join("jdp");
    let a = Signer::load_or_create(&dir).unwrap();
    let b = Signer::load_or_create(&dir).unwrap();
    assert_eq!(a.public_key(), b.public_key());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("signing-key.ed25519")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    }
}

#[test]
fn jdp_sign_prints_the_head_for_the_minutes_and_verify_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    drop(store_with_decisions(&db, 3));
    let jdp = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("JDP_PANEL")
            .env("JDP_KEY_DIR", keys.path())
            .arg("--db")
            .arg(&db);
        c
    };
    jdp().arg("sign").assert().success().stdout(contains("For the minutes: 3:"));
    jdp().arg("verify").assert().success().stdout(contains("ok: 1 signed head(s) checked; latest: head 3:"));
    rewrite_and_recompute(&db, "UPDATE records SET outcome = 'NFA' WHERE seq = 2;");
    jdp().arg("verify").assert().code(3).stderr(contains("no longer passes through this signed head"));
}
