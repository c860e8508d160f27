//! The record store's guarantees: immutability, corrections, drafts, the access log, refusing
//! files that are not ours, pseudonymised exports, and the hash chain's golden vectors.

mod common;

use chrono::Utc;
use common::*;
use jdp::store::chain::{Field, GENESIS, hash_fields};
use jdp::store::{Correction, ReferralStatus, Store, StoreError};

#[test]
fn chain_hash_golden_vectors() {
    // Computed independently (Python hashlib) from the canonical encoding in chain.rs.
    let fields =
        [Field::Int(1), Field::Text("decision".into()), Field::Null, Field::Int(-2), Field::Text("Zoë".into())];
    let h1 = hash_fields(&GENESIS, &fields);
    assert_eq!(hex::encode(h1), "cc9455c12cccffe7baa77444aa41cae2a16983870c79dadd999deea9d1647679");
    let h2 = hash_fields(&h1, &fields);
    assert_eq!(hex::encode(h2), "211f4cc22cd1f55b409dec34935b5d2c28370e6acb7cc76d0b72224df5551d91");
}

#[test]
fn a_decision_is_recorded_read_back_and_chained() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    let snap = snapshot_of(&good_case());
    let rec = store.record_decision(id, &snap, None, "chair", Utc::now()).unwrap();
    assert_eq!(rec.seq, 1);
    let row = store.decision(1).unwrap().unwrap();
    assert_eq!(row.snapshot, snap);
    assert_eq!(row.hash, rec.hash_hex());
    assert_eq!(store.referral(id).unwrap().unwrap().status, ReferralStatus::Decided);
    let report = store.verify().unwrap().unwrap();
    assert_eq!((report.checked, report.head), (1, rec.hash_hex()));
}

#[test]
fn a_decision_with_a_blocking_finding_cannot_be_made_into_a_record() {
    let mut case = good_case();
    case.decision.rationale.clear();
    let err = jdp::domain::record::snapshot(&case, &default_panel(), date("2026-11-23")).unwrap_err();
    assert!(err.iter().any(|f| f.rule == "rationale"));
}

#[test]
fn recorded_decisions_and_the_access_log_cannot_be_edited_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    let c = sql(&store);
    for sql in [
        "UPDATE records SET outcome = 'NFA' WHERE seq = 1",
        "DELETE FROM records WHERE seq = 1",
        "UPDATE access_log SET actor = 'someone else'",
        "DELETE FROM access_log",
    ] {
        let err = c.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("never") || err.contains("append-only"), "{sql}: {err}");
    }
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn a_correction_supersedes_and_the_original_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    let first = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    let mut corrected = good_case();
    corrected.decision.rationale = "Corrected rationale: the apology letter was the victim's wish".into();
    let snap = snapshot_of(&corrected);
    let refused =
        store.record_decision(id, &snap, Some(Correction { supersedes: first.seq, reason: " " }), "chair", Utc::now());
    assert!(matches!(refused, Err(StoreError::Refused(m)) if m.contains("needs a reason")));
    let second = store
        .record_decision(
            id,
            &snap,
            Some(Correction { supersedes: first.seq, reason: "Rationale typed against the wrong case" }),
            "chair",
            Utc::now(),
        )
        .unwrap();
    let all = store.decisions_for(id).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].superseded_by, Some(second.seq));
    assert_eq!(all[0].snapshot, snapshot_of(&good_case()), "the original is unchanged");
    assert_eq!(all[1].supersedes, Some(first.seq));
    assert_eq!(all[1].correction_reason.as_deref(), Some("Rationale typed against the wrong case"));
    assert_eq!(store.referral(id).unwrap().unwrap().status, ReferralStatus::Corrected);
    // Only the latest decision can be corrected.
    let again = store.record_decision(
        id,
        &snap,
        Some(Correction { supersedes: first.seq, reason: "again" }),
        "chair",
        Utc::now(),
    );
    assert!(matches!(again, Err(StoreError::Refused(m)) if m.contains("already superseded")));
    let log = store.access_log(10).unwrap();
    assert_eq!(log[0].action, "correct");
    // The log says what was superseded; the reason, typed about the child, stays in the record
    // (where erasure after retention reaches it: the log is never erased).
    assert_eq!(log[0].reason, format!("supersedes record {}", first.seq));
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn drafts_save_resume_and_clear_when_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    let mut case = good_case();
    case.research.history = "Two previous stop searches, no further action".into();
    store.save_draft(id, "victim", &case, Utc::now()).unwrap();
    drop(store);
    let mut store = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
    let (rid, draft) = store.latest_draft().unwrap().expect("a draft to resume");
    assert_eq!((rid, draft.step.as_str()), (id, "victim"));
    assert_eq!(draft.case, case);
    assert_eq!(store.referral(id).unwrap().unwrap().status, ReferralStatus::InProgress);
    store.record_decision(id, &snapshot_of(&case), None, "chair", Utc::now()).unwrap();
    assert!(store.draft(id).unwrap().is_none(), "recording clears the draft in the same transaction");
}

#[test]
fn a_text_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite3");
    std::fs::write(&path, "panel notes, not a database\n").unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    assert!(err.to_string().contains("notes.sqlite3"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "panel notes, not a database\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no -wal or -shm left beside it");
}

#[test]
fn another_programs_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::NotJdp { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_database_from_a_newer_jdp_is_refused_not_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer version of jdp"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_damaged_database_is_named_with_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    drop(demo_store(&path, 200, 3));
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[8192 * 2..len - 8192] {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    let outcome = Store::open(&path).and_then(|s| s.verify().map(|v| v.is_ok())).map_err(|e| e.in_file(&path));
    match outcome {
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains("jdp.sqlite3") && (msg.contains("damaged") || msg.contains("malformed")), "{msg}");
        }
        Ok(ok) => assert!(!ok, "verify must not pass a damaged store"),
    }
}

#[test]
fn import_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
    let a = good_case().referral;
    let mut b = a.clone();
    b.reference = "JDP-TEST-0002".into();
    store.add_referrals(&[a.clone()], "t", Utc::now()).unwrap();
    let err = store.add_referrals(&[b, a], "t", Utc::now()).unwrap_err();
    assert!(err.to_string().contains("JDP-TEST-0001"), "{err}");
    assert_eq!(store.summary().unwrap().referrals, 1, "the good referral in the failed batch was not kept");
}

#[test]
fn demo_data_is_deterministic_for_a_seed_and_marked_synthetic() {
    let dir = tempfile::tempdir().unwrap();
    let bodies = |s: &Store| -> Vec<String> {
        let c = sql(s);
        let mut stmt = c.prepare("SELECT body FROM records ORDER BY seq").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let a = demo_store(&dir.path().join("a.sqlite3"), 300, 9);
    let b = demo_store(&dir.path().join("b.sqlite3"), 300, 9);
    let c = demo_store(&dir.path().join("c.sqlite3"), 300, 10);
    assert_eq!(bodies(&a), bodies(&b));
    assert_ne!(bodies(&a), bodies(&c));
    assert!(a.is_synthetic().unwrap());
    let flagged: i64 = sql(&a).query_row("SELECT min(synthetic) FROM records", [], |r| r.get(0)).unwrap();
    assert_eq!(flagged, 1, "every record is marked synthetic");
    // Plausible mix: several outcomes, some disagreements, some corrections over 300.
    let outcomes: i64 = sql(&a).query_row("SELECT count(DISTINCT outcome) FROM records", [], |r| r.get(0)).unwrap();
    assert!(outcomes >= 5, "{outcomes}");
    assert!(a.verify().unwrap().is_ok());
}

#[test]
fn demo_data_refuses_a_database_with_real_referrals() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    let panel = default_panel();
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let items = (0..5).map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30")));
    let err = store.insert_demo(items, "t", Utc::now()).unwrap_err();
    assert!(err.to_string().contains("real referral"), "{err}");
    assert_eq!(store.summary().unwrap().records, 0);
}

/// Issues 12 and 13: the board report counts decisions by the panel definition version they were
/// made under, where restorative justice stood for a consenting victim (KPI 10) and when the YJS
/// assessed, from columns of the covering index. A store made before the columns gets them on
/// open, from each decision's own hashed record, and still verifies.
#[test]
fn decisions_recorded_before_the_index_columns_get_them_from_their_record_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    drop(common::demo_store(&path, 60, 3));
    // What each decision's columns should read, from its record as jdp reads it.
    let store = Store::open(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let seqs: Vec<i64> = c
        .prepare("SELECT seq FROM records WHERE kind = 'decision' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want: Vec<(String, Option<String>, Option<String>)> = seqs
        .iter()
        .map(|&s| {
            let snap = store.decision(s).unwrap().unwrap().snapshot;
            (
                snap.panel_version.clone(),
                snap.victim_rj().map(str::to_string),
                snap.case.needs.assessed_on.map(|d| d.to_string()),
            )
        })
        .collect();
    drop(store);
    assert!(want.iter().any(|w| w.1.is_some()) && want.iter().any(|w| w.1.is_none()), "{want:?}");
    assert!(want.iter().any(|w| w.2.is_some()), "{want:?}");
    // Back to schema 10: no columns, a guard that does not name them, the index as it was.
    let mut trigger = jdp::store::guard_sql("records_no_update").unwrap();
    for col in ["panel_version", "victim_rj", "assessed_on"] {
        trigger = trigger.replace(&format!(" AND NEW.{col} IS OLD.{col}"), "");
    }
    c.execute_batch(&format!(
        "DROP INDEX records_period; DROP TRIGGER records_no_update;
         ALTER TABLE records DROP COLUMN panel_version;
         ALTER TABLE records DROP COLUMN victim_rj;
         ALTER TABLE records DROP COLUMN assessed_on;
         DROP TABLE open_tasks;
         ALTER TABLE drafts DROP COLUMN saved_by;
         ALTER TABLE correction_drafts DROP COLUMN version;
         ALTER TABLE correction_drafts DROP COLUMN saved_by;
         {trigger};
         CREATE INDEX records_period ON records(
           kind, decided_on, outcome, final_score, base_score, indicated, offence_group, disagreement, inspector,
           departure, looked_after, victim_status, previous_count, supersedes, age_at_offence, sex, ethnicity,
           offence_date, referral_date, synthetic);
         PRAGMA user_version = 10;"
    ))
    .unwrap();
    drop(c);
    let store = Store::open(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let got: Vec<(String, Option<String>, Option<String>)> = c
        .prepare("SELECT panel_version, victim_rj, assessed_on FROM records WHERE kind = 'decision' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(got, want);
    assert!(store.verify().unwrap().is_ok());
    for col in ["victim_rj", "assessed_on"] {
        let err = c.execute(&format!("UPDATE records SET {col} = 'forged' WHERE seq = 1"), []).unwrap_err();
        assert!(err.to_string().contains("never edited"), "{err}");
    }
    let err = c.execute("UPDATE records SET panel_version = 'forged' WHERE seq = 1", []).unwrap_err();
    assert!(err.to_string().contains("never edited"), "{err}");
}

/// Synthetic referrals (to walk on a demo store) go only in a demo store, as demo data does.
#[test]
fn synthetic_referrals_go_only_in_a_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = common::demo_store(&dir.path().join("demo.sqlite3"), 5, 1);
    let mut r = common::good_case().referral;
    r.reference = "DEMO-WALK".into();
    let ids = demo.add_demo_referrals(std::slice::from_ref(&r), "t", Utc::now()).unwrap();
    assert_eq!(demo.referral(ids[0]).unwrap().unwrap().referral.reference, "DEMO-WALK");
    assert!(demo.add_referrals(std::slice::from_ref(&r), "t", Utc::now()).is_err(), "no real referral in demo data");
    let (mut live, _) = common::store_with_referral(&dir.path().join("live.sqlite3"));
    assert!(live.add_demo_referrals(&[r], "t", Utc::now()).is_err(), "no synthetic referral in a live store");
}
