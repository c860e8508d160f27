//! The follow-up task board end to end: tasks from recorded decisions, closed by records in the
//! chain, carried forward by a correction, and shown by `jdp tasks` in every format.

mod common;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::domain::task_board::{Closed, Status, TaskEvent};
use jdp::store::Correction;

fn event(closed: Closed) -> TaskEvent {
    TaskEvent { referral_id: 0, decision: 0, task: String::new(), closed, by: "A. Khan".into(), on: date("2026-11-25") }
}

fn status(board: &[jdp::domain::task_board::BoardTask], kind: &str) -> Status {
    board.iter().find(|t| t.kind == kind).unwrap_or_else(|| panic!("no {kind} in {board:?}")).status.clone()
}

#[test]
fn closing_a_task_is_a_chain_record_and_a_correction_carries_tasks_forward() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("t.sqlite3"));
    let case = good_case();
    let rec = store.record_decision(id, &snapshot_of(&case), None, "tester", Utc::now()).unwrap();
    // Decided Mon 23 Nov 2026: the YJS is told within 1 working day, the victim within 5.
    let board = store.task_board(date("2026-11-25")).unwrap();
    assert_eq!(status(&board, "notify_yjs"), Status::Overdue);
    assert_eq!(status(&board, "inform_victim"), Status::Due);
    let yjs = board.iter().find(|t| t.kind == "notify_yjs").unwrap();
    assert_eq!(yjs.id, format!("{}/notify_yjs", rec.seq));

    let closed = store.close_task(&yjs.id, event(Closed::Done), "tester", Utc::now()).unwrap();
    assert_eq!(closed.seq, rec.seq + 1);
    // A second closing of the same task is refused: the first stands.
    assert!(store.close_task(&yjs.id, event(Closed::Done), "tester", Utc::now()).is_err());
    assert!(
        store
            .close_task(
                &format!("{}/arrange_delivery", rec.seq),
                event(Closed::NotNeeded { reason: " ".into() }),
                "tester",
                Utc::now()
            )
            .is_err(),
        "a not-needed closing needs a reason (and the task must exist)"
    );
    // Done by whom: a closing names someone (a closed task is never reopened).
    let nobody = TaskEvent { by: "   ".into(), ..event(Closed::Done) };
    let e = store.close_task(&format!("{}/inform_victim", rec.seq), nobody, "tester", Utc::now()).unwrap_err();
    assert!(e.to_string().contains("who"), "{e}");

    // The correction: the child is looked after, which adds telling the social worker.
    let mut corrected = case.clone();
    corrected.referral.child.looked_after = Some(jdp::domain::referral::LookedAfter {
        local_authority: "Northshire".into(),
        social_worker: Some("Kim Social Worker".into()),
    });
    let snap = jdp::domain::record::snapshot(&corrected, &default_panel(), date("2026-11-23")).unwrap();
    let fix = store
        .record_decision(
            id,
            &snap,
            Some(Correction { supersedes: rec.seq, reason: "the child is looked after" }),
            "tester",
            Utc::now(),
        )
        .unwrap();
    let board = store.task_board(date("2026-11-25")).unwrap();
    // Done stays done though the task is now shown against the correction.
    let yjs = board.iter().find(|t| t.kind == "notify_yjs").unwrap();
    assert_eq!(yjs.decision, fix.seq);
    assert_eq!(yjs.status, Status::Done { by: "A. Khan".into(), on: date("2026-11-25") });
    assert!(status(&board, "notify_social_worker").is_open(), "the correction's new task is open");
    assert_eq!(board.iter().filter(|t| t.kind == "notify_yjs").count(), 1, "no task twice");
    assert!(store.verify().unwrap().is_ok(), "the task record is in the verified chain");
}

#[test]
fn a_task_the_correction_no_longer_derives_is_closed_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("t.sqlite3"));
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, "tester", Utc::now()).unwrap();
    assert!(status(&store.task_board(date("2026-11-24")).unwrap(), "notify_yjs").is_open());
    // No further action instead of a community resolution: the YJS need not be told.
    let snap = nfa_snapshot();
    store
        .record_decision(
            id,
            &snap,
            Some(Correction { supersedes: rec.seq, reason: "no further action was agreed" }),
            "tester",
            Utc::now(),
        )
        .unwrap();
    let board = store.task_board(date("2026-11-24")).unwrap();
    assert_eq!(
        status(&board, "notify_yjs"),
        Status::NotNeeded { reason: format!("corrected by record {}: no further action was agreed", rec.seq + 1) }
    );
    assert!(status(&board, "inform_victim").is_open(), "carried forward, still open");
}

fn jdp(db: &std::path::Path) -> Command {
    common::jdp_on(db)
}

fn ok(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn jdp_tasks_lists_filters_closes_and_exports_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    let (mut store, id) = store_with_referral(&db);
    let case = good_case();
    let rec = store.record_decision(id, &snapshot_of(&case), None, "tester", Utc::now()).unwrap();
    drop(store);
    let table = ok(jdp(&db).arg("tasks"));
    assert!(table.contains(&format!("{}/inform_victim", rec.seq)), "{table}");
    assert!(table.contains("Victim service"), "{table}");
    // Decided on Mon 23 Nov 2026: the victim is told within 5 working days.
    assert!(table.contains("Mon 30 Nov 2026"), "{table}");
    let police = ok(jdp(&db).args(["tasks", "--owner", "police"]));
    assert!(police.contains("notify_yjs") && !police.contains("inform_victim"), "{police}");

    let done = ok(jdp(&db).args(["tasks", "done", &format!("{}/inform_victim", rec.seq), "--by", "Vic Liaison"]));
    assert!(done.contains("done by Vic Liaison"), "{done}");
    let md = ok(jdp(&db).args(["tasks", "--format", "md"]));
    assert!(md.contains("| done by Vic Liaison on "), "{md}");
    let nn = jdp(&db)
        .args([
            "tasks",
            "not-needed",
            &format!("{}/inform_neighbourhood_team", rec.seq),
            "--reason",
            "=HYPERLINK(\"x\")",
        ])
        .assert()
        .success();
    drop(nn);
    let csv = ok(jdp(&db).args(["tasks", "--format", "csv"]));
    assert!(csv.contains("'=HYPERLINK"), "the formula is neutralised: {csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");

    let ics = dir.path().join("tasks.ics");
    jdp(&db).args(["tasks", "--format", "ics", "--out"]).arg(&ics).assert().success();
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"), "{text}");
    // One event per task: the victim's and the neighbourhood team's are closed, so cancelled
    // (a calendar that has them from an earlier file drops them); the others are confirmed.
    let events: Vec<String> = text.replace("\r\n ", "").split("BEGIN:VEVENT").skip(1).map(str::to_string).collect();
    assert!(events.len() >= 4, "{text}");
    for e in &events {
        let closed = e.contains("inform_victim") || e.contains("inform_neighbourhood_team");
        assert_eq!(e.contains("STATUS:CANCELLED"), closed, "{e}");
        assert_eq!(e.contains("STATUS:CONFIRMED"), !closed, "{e}");
    }
    assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets: {text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&ics).unwrap().permissions().mode() & 0o077, 0, "owner-only");
    }
    // The chain still verifies with the closing records in it.
    ok(jdp(&db).arg("verify"));
    // --overdue shows only overdue tasks: never a closed one, whatever today is.
    let overdue = ok(jdp(&db).args(["tasks", "--overdue"]));
    assert!(!overdue.contains("inform_victim") && !overdue.contains("inform_neighbourhood_team"), "{overdue}");
}

/// The queue's overdue count comes from a cache of open tasks, brought up to date from the
/// records written since: it must always equal what the board itself counts, whether the cache
/// is built whole (an older store, a demo store) or a referral at a time (a decision, a
/// correction, a closing), and on any day.
#[test]
fn the_queues_overdue_count_is_always_the_boards() {
    use jdp::domain::task_board::overdue_count;
    let days = ["2025-01-01", "2026-06-30", "2026-11-25", "2030-01-01"].map(date);
    let check = |store: &mut jdp::store::Store, at: &str| {
        for day in days {
            let board = store.task_board(day).unwrap();
            assert_eq!(store.overdue_tasks(day).unwrap(), overdue_count(&board), "{at}, on {day}");
        }
    };
    // Built whole: a demo store of many decisions (with corrections).
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.sqlite3");
    let mut store = demo_store(&demo, 60, 9);
    check(&mut store, "built whole");
    assert!(store.overdue_tasks(date("2030-01-01")).unwrap() > 0);
    // A task closed, seen by the same store and by one opened afresh.
    let open = store.task_board(date("2030-01-01")).unwrap().into_iter().find(|t| t.status.is_open()).unwrap();
    store.close_task(&open.id, event(Closed::NotNeeded { reason: "moved away".into() }), "t", Utc::now()).unwrap();
    check(&mut store, "after a closing");
    drop(store);
    let mut store = jdp::store::Store::open(&demo).unwrap();
    check(&mut store, "after reopening");
    assert!(store.verify().unwrap().is_ok());

    // A referral at a time: a decision, a closing, then a correction.
    let (mut store, id) = store_with_referral(&dir.path().join("live.sqlite3"));
    check(&mut store, "empty");
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, "t", Utc::now()).unwrap();
    check(&mut store, "after a decision");
    store.close_task(&format!("{}/notify_yjs", rec.seq), event(Closed::Done), "t", Utc::now()).unwrap();
    check(&mut store, "after a closing");
    let snap = nfa_snapshot();
    store
        .record_decision(id, &snap, Some(Correction { supersedes: rec.seq, reason: "NFA agreed" }), "t", Utc::now())
        .unwrap();
    check(&mut store, "after a correction");
}

/// A correction that changes what a task asks (telling the victim of a different outcome) opens
/// it again: the victim and the child were told the old outcome, not the new one. What the
/// correction leaves unchanged stays done.
#[test]
fn a_correction_that_changes_the_outcome_opens_the_telling_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_referral(&dir.path().join("t.sqlite3"));
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, "t", Utc::now()).unwrap();
    for kind in ["inform_victim", "inform_child_and_carer"] {
        store.close_task(&format!("{}/{kind}", rec.seq), event(Closed::Done), "t", Utc::now()).unwrap();
    }
    // The same outcome, corrected wording: still told.
    let mut reworded = good_case();
    reworded.decision.rationale = "Reworded rationale".into();
    let snap = jdp::domain::record::snapshot(&reworded, &default_panel(), date("2026-11-23")).unwrap();
    let fix = store
        .record_decision(id, &snap, Some(Correction { supersedes: rec.seq, reason: "wording" }), "t", Utc::now())
        .unwrap();
    let board = store.task_board(date("2026-11-25")).unwrap();
    assert!(matches!(status(&board, "inform_victim"), Status::Done { .. }), "{board:?}");
    // Another outcome: the victim and the child must be told again.
    let snap = nfa_snapshot();
    store
        .record_decision(id, &snap, Some(Correction { supersedes: fix.seq, reason: "NFA agreed" }), "t", Utc::now())
        .unwrap();
    let board = store.task_board(date("2026-11-25")).unwrap();
    for kind in ["inform_victim", "inform_child_and_carer"] {
        assert!(status(&board, kind).is_open(), "{kind}: {board:?}");
    }
    assert_eq!(
        store.overdue_tasks(date("2026-12-25")).unwrap(),
        jdp::domain::task_board::overdue_count(&store.task_board(date("2026-12-25")).unwrap())
    );
}

/// A mistyped owner is an error naming the owners, never an empty board ("the police have
/// nothing to do").
#[test]
fn jdp_tasks_refuses_an_owner_that_owns_no_task() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    drop(demo_store(&db, 5, 1));
    let out = common::jdp_on(&db).args(["tasks", "--owner", "polce"]).assert().failure().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("polce") && err.contains("police") && err.contains("yjs"), "{err}");
    common::jdp_on(&db).args(["tasks", "--owner", "Police"]).assert().success();
    common::jdp_on(&db).args(["tasks", "--owner", "yjs"]).assert().success();
}

/// Minutes of a day no panel sat, and nothing was recorded, are refused: a mistyped date must
/// not make an official-looking paper.
#[test]
fn jdp_minutes_refuses_a_day_no_panel_sat() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    drop(demo_store(&db, 5, 1));
    let out = common::jdp_on(&db).args(["minutes", "2031-02-03"]).assert().failure().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("no panel sat on 2031-02-03"), "{err}");
}

/// A calendar is a file: to the screen or a pipe its CR LF line ends would be shown as text.
#[test]
fn jdp_tasks_writes_a_calendar_only_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    drop(demo_store(&db, 5, 1));
    let out = common::jdp_on(&db).args(["tasks", "--format", "ics"]).assert().failure().get_output().stderr.clone();
    assert!(String::from_utf8(out).unwrap().contains("--out"));
    let ics = dir.path().join("t.ics");
    common::jdp_on(&db).args(["tasks", "--format", "ics", "--out", ics.to_str().unwrap()]).assert().success();
    assert!(std::fs::read_to_string(&ics).unwrap().starts_with("BEGIN:VCALENDAR\r\n"));
}
