//! Issue #10: nothing lost in ordinary accidents. An output path naming the database, a store
//! deleted or moved while open, decisions living only in the -wal, two screens on one database,
//! exports escaping the access log, demo and live data mixed.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::store::{MinutedHead, Store, StoreError};
use predicates::str::contains;

fn jdp(db: &Path) -> Command {
    common::jdp_on(db)
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

/// A store with `n` demo decisions, made through the command line.
fn demo_db(dir: &Path, n: u64) -> PathBuf {
    let db = dir.join("jdp.sqlite3");
    jdp(&db).args(["demo-data", "--decisions", &n.to_string()]).assert().success();
    db
}

fn records(db: &Path) -> i64 {
    Store::open(db).unwrap().verify().unwrap().unwrap().checked
}

fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

// 1. --out naming the database ------------------------------------------------------------------

#[test]
#[cfg(unix)] // symbolic links need privileges on Windows
fn export_and_report_refuse_to_write_over_the_database_by_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), 40);
    let before = std::fs::read(&db).unwrap();
    let n = records(&db);
    assert!(n >= 40);
    let hard = dir.path().join("hard-link.db");
    std::fs::hard_link(&db, &hard).unwrap();
    let soft = dir.path().join("soft-link.db");
    std::os::unix::fs::symlink(&db, &soft).unwrap();
    let relative = dir.path().join(".").join("jdp.sqlite3");
    for out in [db.clone(), hard, soft, relative, sibling(&db, "-wal"), sibling(&db, "-journal"), sibling(&db, "-shm")]
    {
        jdp(&db).args(["export", "--out"]).arg(&out).assert().code(1).stderr(contains("jdp will not write over it"));
        jdp(&db)
            .args(["report", "--format", "html", "--from", "2024-01-01", "--to", "2026-12-31", "--out"])
            .arg(&out)
            .assert()
            .code(1)
            .stderr(contains("jdp will not write over it"));
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database is untouched");
    assert_eq!(records(&db), n);
    assert!(!sibling(&db, "-journal").exists(), "no stray journal was created by the refusal");
}

#[test]
#[cfg(unix)]
fn an_output_is_not_written_through_a_symbolic_link_and_is_made_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), 10);
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "someone else's file").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    jdp(&db).args(["export", "--out"]).arg(&link).assert().code(1).stderr(contains("symbolic link"));
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "someone else's file");
    // An existing world-readable file becomes owner-only when jdp writes an export into it.
    let out = dir.path().join("existing.csv");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    jdp(&db).args(["export", "--out"]).arg(&out).assert().success();
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("record,"), "the export replaced the old text");
}

#[test]
fn an_output_dropped_unfinished_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial.csv");
    {
        let mut f = jdp::outfile::OutFile::create(&path, &[]).unwrap();
        std::io::Write::write_all(&mut f, b"half an export").unwrap();
        std::io::Write::flush(&mut f).unwrap();
        assert!(path.exists());
    }
    assert!(!path.exists(), "a partial output is removed");
    let f = jdp::outfile::OutFile::create(&path, &[]).unwrap();
    f.finish().unwrap();
    assert!(path.exists(), "a finished output stays");
}

// 3. The database deleted or moved while open -----------------------------------------------------

#[test]
fn a_deleted_or_moved_database_is_never_announced_as_recorded() {
    for how in ["delete", "move", "replace"] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("jdp.sqlite3");
        let (mut store, id) = store_with_referral(&db);
        match how {
            "delete" => std::fs::remove_file(&db).unwrap(),
            "move" => std::fs::rename(&db, dir.path().join("moved.sqlite3")).unwrap(),
            _ => {
                std::fs::rename(&db, dir.path().join("moved.sqlite3")).unwrap();
                std::fs::write(&db, b"").unwrap();
            }
        }
        let err = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap_err();
        assert!(matches!(err, StoreError::Gone { written: false, .. }), "{how}: {err}");
        assert!(err.to_string().contains("no longer there"), "{err}");
    }
}

#[test]
fn a_new_store_is_never_made_silently_where_one_used_to_be() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    store_with_decision(&db, "chair");
    std::fs::rename(&db, dir.path().join("moved-away.sqlite3")).unwrap();
    let err = Store::open(&db).err().expect("refused");
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert!(!db.exists(), "no empty store was made in its place");
    jdp(&db).arg("verify").assert().code(4).stderr(contains("jdp will not start a new one"));
    // Written over with nothing (e.g. by `> jdp.sqlite3`) after a crash left its log: an empty
    // file with a log beside it is not a new store either.
    let db2 = dir.path().join("two.sqlite3");
    std::fs::write(&db2, b"").unwrap();
    std::fs::write(sibling(&db2, "-wal"), b"a write-ahead log").unwrap();
    let err = Store::open(&db2).err().expect("refused");
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert_eq!(std::fs::metadata(&db2).unwrap().len(), 0, "left as it was");
}

// 4. Checkpoint after each decision; verify prints and checks the minuted head --------------------

#[test]
fn a_recorded_decision_is_in_the_database_file_itself_not_only_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let (mut store, id) = store_with_referral(&db);
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    // As after kill -9 and a careless clean-up: only the main file survives.
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("copy.sqlite3");
    std::fs::copy(&db, &copy).unwrap();
    let copied = Store::open(&copy).unwrap();
    assert!(copied.decision(rec.seq).unwrap().is_some(), "the decision is in the main file");
    let report = copied.verify().unwrap().unwrap();
    assert_eq!(report.minute(), format!("1:{}", rec.hash_hex()));
    drop(store);
}

#[test]
fn verify_prints_the_head_to_minute_and_expect_catches_a_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let backup = dir.path().join("backup.sqlite3");
    let (mut store, id) = store_with_referral(&db);
    store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    std::fs::copy(&db, &backup).unwrap();
    let mut case2 = good_case();
    case2.referral.reference = "JDP-TEST-0002".into();
    let id2 = store.add_referrals(&[case2.referral.clone()], "t", Utc::now()).unwrap()[0];
    let rec2 = store.record_decision(id2, &snapshot_of(&case2), None, "chair", Utc::now()).unwrap();
    drop(store);
    let minute = format!("2:{}", rec2.hash_hex());
    let out = stdout(jdp(&db).arg("verify"));
    assert!(out.contains(&format!("head {minute}")), "{out}");
    jdp(&db)
        .args(["verify", "--expect", &minute])
        .assert()
        .success()
        .stdout(contains("passes through the minuted head"));
    // Roll back to the older copy: internally consistent, but it no longer reaches the minute.
    std::fs::copy(&backup, &db).unwrap();
    jdp(&db).arg("verify").assert().success();
    jdp(&db).args(["verify", "--expect", &minute]).assert().code(3).stderr(contains("FAILED: record 2"));
    jdp(&db).args(["verify", "--expect", "2:xyz"]).assert().code(2);
    let head: MinutedHead = minute.parse().unwrap();
    assert_eq!(head.seq, 2);
}

// 5. Two panel screens on one database ------------------------------------------------------------

#[test]
fn a_second_screen_cannot_record_a_second_decision_for_a_referral() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let (mut first, id) = store_with_referral(&db);
    let mut second = Store::open(&db).unwrap();
    let snap = snapshot_of(&good_case());
    let rec = first.record_decision(id, &snap, None, "chair one", Utc::now()).unwrap();
    let err = second.record_decision(id, &snap, None, "chair two", Utc::now()).unwrap_err();
    match &err {
        StoreError::AlreadyDecided { referral_id, seq, .. } => assert_eq!((*referral_id, *seq), (id, rec.seq)),
        other => panic!("expected AlreadyDecided, got {other}"),
    }
    assert_eq!(first.decisions_for(id).unwrap().len(), 1, "one current decision");
    // A correction is still possible, from either screen.
    let c = jdp::store::Correction { supersedes: rec.seq, reason: "typo in the rationale" };
    second.record_decision(id, &snap, Some(c), "chair two", Utc::now()).unwrap();
}

#[test]
fn a_stale_draft_is_not_saved_over_another_screens_typing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let (mut first, id) = store_with_referral(&db);
    let mut second = Store::open(&db).unwrap();
    let mut case = good_case();
    let v1 = first.save_draft_if(id, "needs", &case, None, Utc::now()).unwrap();
    let seen_by_second = second.draft(id).unwrap().unwrap().version;
    assert_eq!(seen_by_second, v1);
    case.needs.child_views = "typed on the first screen".into();
    let v2 = first.save_draft_if(id, "needs", &case, Some(v1), Utc::now()).unwrap();
    assert!(v2 > v1);
    let mut other = good_case();
    other.needs.child_views = "typed on the second screen".into();
    let err = second.save_draft_if(id, "needs", &other, Some(seen_by_second), Utc::now()).unwrap_err();
    assert!(matches!(err, StoreError::DraftChanged { referral_id, .. } if referral_id == id), "{err}");
    assert_eq!(first.draft(id).unwrap().unwrap().case.needs.child_views, "typed on the first screen");
    // A first save when a draft already exists elsewhere is refused too.
    let err = second.save_draft_if(id, "needs", &other, None, Utc::now()).unwrap_err();
    assert!(matches!(err, StoreError::DraftChanged { .. }));
}

// 6. Exports are logged before they disclose ------------------------------------------------------

#[test]
fn a_disclosure_is_logged_first_and_rolled_back_with_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(&dir.path().join("jdp.sqlite3"), 5, 1);
    let before = store.access_log(100).unwrap().len();
    let seen = store
        .disclose("analyst", "export", "everything", "test", Utc::now(), |s| Ok(s.access_log(100).unwrap().len()))
        .unwrap();
    assert_eq!(seen, before + 1, "the entry is written before the disclosure runs");
    let failed: Result<(), _> = store.disclose("analyst", "export", "everything", "test", Utc::now(), |_| {
        Err(StoreError::Refused("the disk is full".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.access_log(100).unwrap().len(), before + 1, "a failed disclosure leaves no entry");
}

#[test]
fn an_export_that_fails_part_way_leaves_no_file_and_no_log_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), 400);
    let exports =
        |db: &Path| Store::open(db).unwrap().access_log(1000).unwrap().iter().filter(|e| e.action == "export").count();
    let out = dir.path().join("big.csv");
    // A file-size limit makes the disk "full" part-way through the export (SIGXFSZ ignored, so
    // the write fails with EFBIG instead of killing jdp).
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec '{}' --db '{}' export --out '{}'",
        env!("CARGO_BIN_EXE_jdp"),
        db.display(),
        out.display()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_PANEL")
        .status()
        .unwrap();
    assert!(!status.success(), "the export cannot fit in 32 KiB");
    assert!(!out.exists(), "the partial export was removed");
    assert_eq!(exports(&db), 0, "nothing disclosed, nothing logged");
    jdp(&db).args(["export", "--out"]).arg(&out).assert().success();
    assert_eq!(exports(&db), 1);
}

// 7. Demo or live for life ------------------------------------------------------------------------

#[test]
fn real_referrals_are_refused_by_a_demo_store_and_demo_data_by_a_live_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), 5);
    jdp(&db)
        .args(["import", "panels/examples/referrals.toml"])
        .assert()
        .code(1)
        .stderr(contains("this is a demonstration database"));
    let live = dir.path().join("live.sqlite3");
    jdp(&live).args(["import", "panels/examples/referrals.toml"]).assert().success();
    jdp(&live).args(["demo-data", "--decisions", "5"]).assert().code(1).stderr(contains("holds real referrals"));
    let s = Store::open(&live).unwrap().summary().unwrap();
    assert_eq!((s.referrals, s.synthetic), (3, false));
}

#[test]
fn a_failed_demo_run_leaves_no_store_flagged_synthetic() {
    use rand::SeedableRng;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let panel = default_panel();
    let make = || {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        jdp::demo::generate(&mut rng, &panel, 0, date("2026-09-30"))
    };
    // The same referral twice: the unique reference fails the batch.
    let err = store.insert_demo([make(), make()].into_iter(), "t", Utc::now());
    assert!(err.is_err());
    assert!(!store.is_synthetic().unwrap(), "no flagged-empty store");
    assert_eq!(store.summary().unwrap().referrals, 0);
    store.add_referrals(&[good_case().referral], "t", Utc::now()).unwrap();
    assert!(!store.is_synthetic().unwrap());
}

// Mutation probes ---------------------------------------------------------------------------------

#[test]
fn every_stored_decision_column_matches_the_decision_it_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("jdp.sqlite3"), 400, 3);
    let c = sql(&store);
    let mut stmt = c
        .prepare(
            "SELECT seq, departure, disagreement, inspector, looked_after, outcome, final_score, base_score,
                    previous_count, victim_status FROM records WHERE kind = 'decision' ORDER BY seq",
        )
        .unwrap();
    let rows: Vec<(i64, bool, bool, bool, bool, String, i64, i64, i64, String)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut departures = 0;
    let mut findings = 0;
    let mut inspectors = 0;
    let mut victims = std::collections::BTreeSet::new();
    let mut disagreements = 0;
    let mut looked_after = 0;
    for (seq, departure, disagreement, inspector, la, outcome, fin, base, prev, victim) in rows {
        let snap = store.decision(seq).unwrap().unwrap().snapshot;
        // Each column against the case itself, not through the snapshot's own helpers (a
        // mutated helper would otherwise agree with the column it produced).
        let case = &snap.case;
        assert_eq!(departure, snap.score.departure, "record {seq}: departure");
        assert_eq!(disagreement, case.decision.disagreement(), "record {seq}: disagreement");
        assert_eq!(inspector, case.gravity.inspector.is_some(), "record {seq}: inspector");
        assert_eq!(la, case.referral.child.looked_after.is_some(), "record {seq}: looked after");
        assert_eq!(outcome, case.decision.outcome.as_deref().unwrap_or_default(), "record {seq}: outcome");
        assert_eq!((fin, base), (i64::from(snap.score.final_score), i64::from(snap.score.base)), "record {seq}");
        assert_eq!(prev, case.referral.previous_outcomes.len() as i64, "record {seq}");
        use jdp::domain::referral::VictimViews;
        let expected_victim = match &case.victim {
            VictimViews::NotRecorded => "not-recorded",
            VictimViews::NoDirectVictim => "no-direct-victim",
            VictimViews::NotObtainable { .. } => "not-obtainable",
            VictimViews::Contacted(_) => "contacted",
        };
        assert_eq!(victim, expected_victim, "record {seq}: victim status");
        victims.insert(victim);
        inspectors += i32::from(inspector);
        // A recorded decision never has a blocking finding (those stop it being recorded).
        assert!(snap.findings.iter().all(|f| !f.blocking), "record {seq}: a blocking finding was recorded");
        findings += snap.findings.len();
        departures += i32::from(departure);
        disagreements += i32::from(disagreement);
        looked_after += i32::from(la);
    }
    assert!(departures > 0 && disagreements > 0 && looked_after > 0, "the demo data exercises every flag");
    assert!(findings > 0, "the demo decisions carry (non-blocking) findings");
    assert!(inspectors > 0 && inspectors < 400, "some decisions with inspector authority, some without");
    assert!(victims.len() >= 2, "several victim statuses: {victims:?}");
}

#[test]
fn the_plain_save_draft_of_a_second_screen_does_not_overwrite_the_first() {
    // The panel screen calls `save_draft` after reading the draft with `draft`: the store
    // remembers the version it read, so the screen needs no versions of its own.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let (mut first, id) = store_with_referral(&db);
    let mut second = Store::open(&db).unwrap();
    let mut case = good_case();
    first.save_draft(id, "facts", &case, Utc::now()).unwrap();
    assert!(second.draft(id).unwrap().is_some());
    case.needs.child_views = "first screen".into();
    first.save_draft(id, "needs", &case, Utc::now()).unwrap();
    first.save_draft(id, "needs", &case, Utc::now()).unwrap();
    let mut other = good_case();
    other.needs.child_views = "second screen".into();
    let err = second.save_draft(id, "needs", &other, Utc::now()).unwrap_err();
    assert!(matches!(err, StoreError::DraftChanged { .. }), "{err}");
    assert_eq!(first.draft(id).unwrap().unwrap().case.needs.child_views, "first screen");
    // Having read the newer draft, the second screen may save over it.
    second.draft(id).unwrap();
    second.save_draft(id, "needs", &other, Utc::now()).unwrap();
}

/// Runs jdp as the unprivileged `nobody` account (the tests run as root, whom permissions do not
/// stop). `None` when that is not possible here.
#[cfg(unix)]
fn as_nobody(db: &Path, args: &[&str]) -> Option<std::process::Output> {
    let root = unsafe { libc::geteuid() } == 0;
    if !root || !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("skipped: needs root and setpriv to act as another account");
        return None;
    }
    let out = std::process::Command::new("/usr/bin/setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_jdp"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_PANEL")
        .output()
        .unwrap();
    Some(out)
}

#[test]
#[cfg(unix)]
fn a_read_only_store_or_folder_is_called_read_only_not_damaged_and_discloses_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = demo_db(dir.path(), 20);
    let before = records(&db);
    // Readable by all, writable by its owner only: to `nobody` it is read-only.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(out_dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = out_dir.path().join("export.csv");
    let Some(run) = as_nobody(&db, &["export", "--out", out.to_str().unwrap()]) else { return };
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("read-only") && !stderr.contains("is damaged") && !stderr.contains("backup"), "{stderr}");
    assert!(!out.exists(), "nothing disclosed without a log entry");
    // A writable file in a folder the account cannot write (no room for the -wal).
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).unwrap();
    let run = as_nobody(&db, &["verify"]).unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("read-only") && !stderr.contains("is damaged"), "{stderr}");
    assert_eq!(records(&db), before, "the store is as it was");
}

#[test]
fn a_one_shot_output_refuses_the_database_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let store = Store::open(&db).unwrap();
    let before = std::fs::read(&db).unwrap();
    let err = jdp::outfile::write_whole(&db, b"# Debrief", &store.database_files()).unwrap_err();
    assert!(matches!(err, jdp::outfile::OutError::IsDatabase { .. }), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let ok = dir.path().join("debrief.md");
    jdp::outfile::write_whole(&ok, b"# Debrief", &store.database_files()).unwrap();
    assert_eq!(std::fs::read_to_string(&ok).unwrap(), "# Debrief");
}

#[test]
fn the_recorded_time_is_the_moment_given_to_the_microsecond() {
    use chrono::TimeZone;
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 4, 5).unwrap() + chrono::Duration::microseconds(123_456);
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", at).unwrap();
    let row = store.decision(rec.seq).unwrap().unwrap();
    assert_eq!(row.recorded_at, "2026-11-23T10:04:05.123456Z");
    let log = store.access_log(1).unwrap();
    assert_eq!((log[0].action.as_str(), log[0].at.as_str()), ("record", "2026-11-23T10:04:05.123456Z"));
}

#[test]
fn a_correction_cannot_supersede_a_decision_about_another_referral() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("jdp.sqlite3"));
    let mut other = good_case();
    other.referral.reference = "JDP-TEST-0002".into();
    let id2 = store.add_referrals(&[other.referral.clone()], "t", Utc::now()).unwrap()[0];
    let first = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    store.record_decision(id2, &snapshot_of(&other), None, "chair", Utc::now()).unwrap();
    let c = jdp::store::Correction { supersedes: first.seq, reason: "wrong case" };
    let err = store.record_decision(id2, &snapshot_of(&other), Some(c), "chair", Utc::now()).unwrap_err();
    assert!(err.to_string().contains("about another referral"), "{err}");
    assert_eq!(store.decisions_for(id2).unwrap().len(), 1, "nothing recorded");
}

/// A damaged page that verify's own reading never touches (here, the screen-settings table) is
/// still damage: verify runs SQLite's integrity check and says so (exit 4), as export does.
#[test]
fn verify_finds_damage_anywhere_in_the_file_not_only_in_the_records_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), 50);
    Store::open(&db).unwrap().set_setting("privacy", "on").unwrap();
    let (root, page_size): (i64, i64) = {
        let c = rusqlite::Connection::open(&db).unwrap();
        let root =
            c.query_row("SELECT rootpage FROM sqlite_master WHERE name = 'screen_settings'", [], |r| r.get(0)).unwrap();
        let size = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        (root, size)
    };
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    for b in &mut bytes[at..at + page_size as usize] {
        *b = 0xff;
    }
    std::fs::write(&db, &bytes).unwrap();
    jdp(&db).arg("verify").assert().code(4).stderr(contains("damaged"));
}
