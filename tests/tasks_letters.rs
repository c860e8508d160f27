//! "Tell the child and parent/carer" is one task answered by two letters: the child's letter
//! alone does not close it; it closes (derived from the chain) when both are recorded sent, and
//! the board, the CLI's `--sent` and the minutes say which letter is still to go.

mod common;

use common::*;
use jdp::domain::task_board::Status;

fn jdp(db: &std::path::Path) -> assert_cmd::Command {
    common::jdp_on(db)
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

#[test]
fn the_child_and_carer_task_closes_only_when_both_letters_are_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    let rec = store_with_decision(&db, "tester");
    let seq = rec.seq.to_string();
    let task = format!("{seq}/inform_child_and_carer");
    let status = || {
        let store = jdp::store::Store::open_existing(&db).unwrap();
        store.task_board(date("2026-11-23")).unwrap().into_iter().find(|t| t.id == task).unwrap()
    };

    let a = jdp(&db).args(["letter", &seq, "--to", "child", "--sent"]).assert().success();
    let e = stderr_of(&a);
    assert!(
        e.contains("the child's letter recorded sent") && e.contains("the parent's or carer's still to send"),
        "{e}"
    );
    let t = status();
    assert!(t.status.is_open(), "the child's letter alone closed it: {t:?}");
    assert!(t.status_label().contains("the child's letter sent"), "{}", t.status_label());
    // The board says so.
    let a = jdp(&db).args(["tasks", "--format", "md"]).assert().success();
    let md = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let line = md.lines().find(|l| l.contains("/inform_child_and_carer")).unwrap_or_default();
    assert!(line.contains("the child's letter sent") && line.contains("the parent's or carer's still to send"), "{md}");

    // The same letter twice is refused: it was sent already.
    let a = jdp(&db).args(["letter", &seq, "--to", "child", "--sent"]).assert().success();
    assert!(stderr_of(&a).contains("already"), "{}", stderr_of(&a));

    let a = jdp(&db).args(["letter", &seq, "--to", "carer", "--sent"]).assert().success();
    assert!(stderr_of(&a).contains(&format!("Task {task} recorded done")), "{}", stderr_of(&a));
    assert!(matches!(status().status, Status::Done { .. }), "{:?}", status());
}

/// In the other order too, and a letter the task does not need (the victim's) does not touch it.
#[test]
fn the_carers_letter_first_then_the_childs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    let rec = store_with_decision(&db, "tester");
    let seq = rec.seq.to_string();
    jdp(&db).args(["letter", &seq, "--to", "carer", "--sent"]).assert().success();
    jdp(&db).args(["letter", &seq, "--to", "victim", "--sent"]).assert().success();
    let store = jdp::store::Store::open_existing(&db).unwrap();
    let board = store.task_board(date("2026-11-23")).unwrap();
    let child = board.iter().find(|t| t.kind == "inform_child_and_carer").unwrap();
    assert!(child.status.is_open(), "{child:?}");
    assert!(child.status_label().contains("the parent's or carer's letter sent"), "{}", child.status_label());
    let victim = board.iter().find(|t| t.kind == "inform_victim").unwrap();
    assert!(matches!(victim.status, Status::Done { .. }), "{victim:?}");
    drop(store);
    jdp(&db).args(["letter", &seq, "--to", "child", "--sent"]).assert().success();
    let store = jdp::store::Store::open_existing(&db).unwrap();
    let board = store.task_board(date("2026-11-23")).unwrap();
    let child = board.iter().find(|t| t.kind == "inform_child_and_carer").unwrap();
    assert!(matches!(child.status, Status::Done { .. }), "{child:?}");
}
