//! `jdp copy --from PATH --to postgres://…`: a file store moved to a server with every hash
//! unchanged and verified end to end (the same hash chain means the same on both backends).

mod common;
#[path = "common/pg.rs"]
mod pg;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::store::pg::PgStore;
use jdp::store::{Backend, Store};

fn jdp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("JDP_PANEL").env_remove("JDP_DB");
    c
}

#[test]
fn a_file_store_moves_to_a_server_with_every_hash_unchanged() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    // More records than the server's verify reads in one batch (1,000).
    let file = demo_store(&path, 1_100, 7);
    let file_head = file.verify().unwrap().unwrap();
    assert!(file_head.checked >= 1_100, "demo data with its corrections: {file_head:?}");
    drop(file);
    let url = cluster.fresh_db();
    let out = jdp().args(["copy", "--from"]).arg(&path).args(["--to", &url]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains(&format!("both verify to {}", file_head.minute())), "{said}");
    assert!(!said.contains("postgresql://"), "the connection string is never printed: {said}");

    let mut server = PgStore::open(&url).unwrap();
    assert_eq!(server.verify().unwrap().unwrap(), file_head, "the same chain, the same head");
    let mut file = Store::open(&path).unwrap();
    for seq in 1..=file_head.checked {
        let (a, b) = (Backend::decision(&mut file, seq).unwrap(), server.decision(seq).unwrap());
        match (a, b) {
            (Some(a), Some(b)) => {
                assert_eq!((a.hash, a.recorded_by, a.superseded_by), (b.hash, b.recorded_by, b.superseded_by));
                assert_eq!(a.snapshot, b.snapshot, "record {seq}");
            }
            (None, None) => {}
            (a, b) => panic!("record {seq}: {a:?} on the file, {b:?} on the server"),
        }
    }
    let (fs, ss) = (file.summary().unwrap(), server.summary().unwrap());
    assert_eq!(
        (fs.referrals, fs.records, fs.synthetic, fs.head_hash),
        (ss.referrals, ss.records, ss.synthetic, ss.head_hash)
    );
    // Both access logs say so, newest first: the server's copy of the file's log ends with it.
    assert_eq!(file.access_log(1).unwrap()[0].action, "copy");
    let log = server.access_log(2).unwrap();
    assert_eq!((log[0].action.as_str(), log[1].action.as_str()), ("copy", "copy"));
    assert!(log[0].target.contains(&file_head.minute()), "{log:?}");
    // The server goes on from where the file stopped, in its own login's name.
    assert!(server.is_synthetic().unwrap(), "demonstration data stays marked so");
}

/// A file whose old records were erased after retention still moves: the server's verify accepts
/// an erased record through its linked erasure and the access log, as the file's does.
#[test]
fn a_file_store_with_erasures_after_retention_moves_and_verifies_on_the_server() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    let mut file = demo_store(&path, 60, 7);
    // A reviewer's observations on an old decision name the child: erased through a linked record.
    let due = file.retention_due(6, date("2026-11-23")).unwrap();
    let decision = *due.iter().find(|d| !d.records.is_empty()).unwrap().records.last().unwrap();
    let review = jdp::scrutiny::ReviewRecord {
        sample: 1,
        decision,
        rating: "consistent".into(),
        observations: "The child's mother rang the panel".into(),
        learning_points: vec![],
        reviewers: vec!["Lay member".into()],
        actions: vec![],
    };
    jdp::scrutiny::record_review(&mut file, &review, "scrutiny", Utc::now()).unwrap();
    let done = file.erase_after_retention(6, date("2026-11-23"), "dpo", "retention review", Utc::now()).unwrap();
    assert!(!done.records.is_empty() && !done.linked.is_empty(), "records erased, some through a link: {done:?}");
    let file_head = file.verify().unwrap().expect("the file verifies after erasure");
    drop(file);
    let url = cluster.fresh_db();
    let out = jdp().args(["copy", "--from"]).arg(&path).args(["--to", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut server = PgStore::open(&url).unwrap();
    assert_eq!(server.verify().unwrap().unwrap(), file_head, "the same chain, the same head");
    let erased = done.records[0];
    assert!(server.decision(erased).unwrap().is_none_or(|r| r.erased), "record {erased} reads as erased");
}

#[test]
fn copy_refuses_a_server_database_that_is_not_empty_and_a_file_that_does_not_verify() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    let (mut file, id) = store_with_referral(&path);
    file.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    drop(file);
    let url = cluster.fresh_db();
    let mut server = PgStore::open(&url).unwrap();
    let mut other = good_case().referral;
    other.reference = "JDP-OTHER-1".into();
    server.add_referrals(&[other], Utc::now()).unwrap();
    jdp()
        .args(["copy", "--from"])
        .arg(&path)
        .args(["--to", &url])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("only into an empty one; nothing was copied"));
    assert_eq!(server.summary().unwrap().referrals, 1);
    assert_eq!(server.summary().unwrap().records, 0);

    // A file whose record was changed behind jdp's back is not copied anywhere.
    let c = sql(&Store::open(&path).unwrap());
    c.execute_batch("DROP TRIGGER records_no_update; UPDATE records SET outcome = 'NFA' WHERE seq = 1").unwrap();
    let empty = cluster.fresh_db();
    jdp()
        .args(["copy", "--from"])
        .arg(&path)
        .args(["--to", &empty])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("does not verify"));
    assert_eq!(PgStore::open(&empty).unwrap().summary().unwrap().referrals, 0);
}

#[test]
fn copy_between_two_files_is_refused_and_says_what_it_does() {
    jdp()
        .args(["copy", "--from", "a.sqlite3", "--to", "b.sqlite3"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("or a server's store to a new file (--from postgres://…)"));
}

#[test]
fn a_servers_store_copies_to_a_new_file_marked_as_a_copy_with_every_hash_unchanged() {
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let mut server = PgStore::open(&url).unwrap();
    let mut other = good_case();
    other.referral.reference = "JDP-TEST-0002".into();
    // A third referral, not yet decided, is being prepared (a decided one takes no draft).
    let mut pending = good_case();
    pending.referral.reference = "JDP-TEST-0003".into();
    let ids = server
        .add_referrals(&[good_case().referral, other.referral.clone(), pending.referral.clone()], Utc::now())
        .unwrap();
    let first = server.record_decision(ids[0], &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    let mut corrected = good_case();
    corrected.decision.rationale = "Corrected: the apology letter was the victim's wish".into();
    let c = jdp::store::Correction { supersedes: first.seq, reason: "Wrong rationale" };
    server.record_decision(ids[0], &snapshot_of(&corrected), Some(c), Utc::now()).unwrap();
    server.record_decision(ids[1], &snapshot_of(&other), None, Utc::now()).unwrap();
    server.append_record("review", r#"{"sample":1}"#.into(), Utc::now()).unwrap();
    server.save_draft_if(ids[2], "victim", &pending, None, Utc::now()).unwrap();
    let head = server.verify().unwrap().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("offline.sqlite3");
    let out = jdp().args(["copy", "--from", &url, "--to"]).arg(&path).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains("marked as a copy") && said.contains(&head.minute()), "{said}");

    let mut file = Store::open(&path).unwrap();
    assert_eq!(file.verify().unwrap().unwrap(), head, "the same chain, the same head");
    let mark = file.meta("copy_of").unwrap().expect("marked as a copy");
    assert!(mark.contains("the PostgreSQL database") && mark.contains(&head.minute()), "{mark}");
    for seq in 1..=head.checked {
        let (a, b) = (Backend::decision(&mut file, seq).unwrap(), server.decision(seq).unwrap());
        assert_eq!(a.map(|r| (r.hash, r.recorded_by, r.snapshot)), b.map(|r| (r.hash, r.recorded_by, r.snapshot)));
    }
    let f = jdp().arg("--db").arg(&path).args(["export", "--pseudonymise"]).assert().success();
    let s = jdp().env("JDP_DB", &url).args(["export", "--pseudonymise"]).assert().success();
    assert_eq!(f.get_output().stdout, s.get_output().stdout, "the same pseudonyms from the copy");
    let d = Backend::draft(&mut file, ids[2]).unwrap().map(|d| (d.case, d.saved_by));
    assert_eq!(d, Some((pending.clone(), server.user().to_string())), "drafts too, with who saved them");
    assert_eq!(file.access_log(2).unwrap()[1].action, "copy", "the copy's log: its copying, then the export");
    assert!(server.access_log(5).unwrap().iter().any(|e| e.action == "copy" && e.target.contains("offline.sqlite3")));

    // Never over a file that is there.
    jdp()
        .args(["copy", "--from", &url, "--to"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is a file here already"));
}

#[test]
fn an_export_from_the_server_is_the_export_from_the_file_it_was_copied_from() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    drop(demo_store(&path, 30, 3));
    let url = cluster.fresh_db();
    jdp().args(["copy", "--from"]).arg(&path).args(["--to", &url]).assert().success();
    for args in [
        vec!["export"],
        vec!["export", "--pseudonymise"],
        vec!["export", "--format", "jsonl", "--from", "2025-06-01", "--to", "2026-03-31"],
    ] {
        let file = jdp().arg("--db").arg(&path).args(&args).assert().success();
        let server = jdp().env("JDP_DB", &url).args(&args).assert().success();
        let (a, b) = (&file.get_output().stdout, &server.get_output().stdout);
        assert!(a.len() > 1000, "{args:?}: an export with rows");
        assert_eq!(String::from_utf8_lossy(a), String::from_utf8_lossy(b), "{args:?}");
    }
    // Each export from the server is in its access log, in the login's name, and the chain holds.
    let mut server = PgStore::open(&url).unwrap();
    let log = server.access_log(3).unwrap();
    assert!(log.iter().all(|e| e.action == "export" && e.actor == cluster.superuser), "{log:?}");
    assert!(log[0].target.contains("from 2025-06-01") && log[0].target.contains("JSON lines"), "{log:?}");
    assert!(server.verify().unwrap().is_ok());
}
