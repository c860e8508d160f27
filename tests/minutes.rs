//! The panel's minutes are "as at the meeting": each decision lists the tasks it created with
//! their state at the last record of the sitting (its last decision or correction), a
//! superseded decision's tasks say which correction closed them, and printing the minutes again
//! after later records (task closings, a scrutiny sample, a later correction) gives the same
//! paper, whose head `jdp verify --expect` accepts.

mod common;
#[path = "common/pg.rs"]
mod pg;

use chrono::Utc;
use common::*;
use jdp::domain::task_board::{Closed, TaskEvent};
use jdp::store::Correction;

fn close(kind: &str, seq: i64, closed: Closed, on: &str) -> (String, TaskEvent) {
    (
        format!("{seq}/{kind}"),
        TaskEvent { referral_id: 0, decision: 0, task: String::new(), closed, by: "A. Khan".into(), on: date(on) },
    )
}

mod the_minutes_are_as_at_the_meeting_and_each_decision_lists_its_own_tasks {
    use super::*;

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("m.sqlite3");
        let (store, id) = store_with_referral(&db);
        let db = db.to_str().unwrap().to_string();
        run(Box::new(store), id, &db);
    }

    /// Issue 15: the same minutes from a server (the sitting, the decisions of the day and the
    /// tasks as at its head read by the server's own queries).
    #[test]
    fn postgres() {
        let Some(cluster) = pg::cluster() else { return };
        let url = cluster.fresh_db();
        let mut store = jdp::store::pg::PgStore::open(&url).unwrap();
        let id = store.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
        run(Box::new(store), id, &url);
    }
}

fn run(mut store: Box<dyn jdp::store::Backend>, id: i64, db: &str) {
    let store = &mut *store;
    let panel = default_panel();
    let meeting = date("2026-11-23");
    let session = sitting(meeting);
    store.save_session(&session, meeting, Utc::now()).unwrap();
    // At the meeting: a community resolution, the YJS told, then corrected to NFA.
    let cr = store.record_decision(id, &snapshot_of(&good_case()), None, "t", Utc::now()).unwrap();
    let (task, ev) = close("notify_yjs", cr.seq, Closed::Done, "2026-11-23");
    store.close_task(&task, ev, "t", Utc::now()).unwrap();
    let nfa = store
        .record_decision(
            id,
            &nfa_snapshot(),
            Some(Correction { supersedes: cr.seq, reason: "did not admit" }),
            "t",
            Utc::now(),
        )
        .unwrap();
    let first = jdp::report::minutes::markdown(store, &panel, meeting, false).unwrap();

    // The head is the sitting's last record: the correction.
    let head = format!("{}:{}", nfa.seq, nfa.hash_hex());
    assert!(first.contains(&format!("**{head}**")), "{first}");
    // Record 1 (CR) lists its own tasks (told of the community resolution), not the NFA ones.
    let section = |seq: i64| {
        let start = first.find(&format!("(record {seq})")).unwrap();
        let rest = &first[start..];
        rest[..rest.find("\n### ").or_else(|| rest.find("\n## ")).unwrap_or(rest.len())].to_string()
    };
    let cr_part = section(cr.seq);
    let nfa_part = section(nfa.seq);
    assert!(cr_part.contains("Tell the victim the outcome (Community resolution)"), "{cr_part}");
    assert!(!cr_part.contains("(No further action)"), "the correction's tasks under the CR decision: {cr_part}");
    assert!(cr_part.contains(&format!("closed by correction {}", nfa.seq)), "{cr_part}");
    assert!(
        cr_part.contains("Notify the YJS of the Community resolution") && cr_part.contains("done by A. Khan"),
        "{cr_part}"
    );
    assert!(nfa_part.contains("Tell the victim the outcome (No further action)"), "{nfa_part}");
    assert!(!nfa_part.contains("(Community resolution)"), "{nfa_part}");

    // Later: a task done, a letter sent, a scrutiny-like record, a later correction.
    let (task, ev) = close("inform_victim", nfa.seq, Closed::Done, "2026-11-25");
    store.close_task(&task, ev, "t", Utc::now()).unwrap();
    store.append_record("sample", "{\"later\":true}".into(), "t", Utc::now()).unwrap();
    let mut later = nfa_snapshot();
    later.decided_on = date("2026-11-30");
    store
        .record_decision(id, &later, Some(Correction { supersedes: nfa.seq, reason: "typo" }), "t", Utc::now())
        .unwrap();
    let again = jdp::report::minutes::markdown(store, &panel, meeting, false).unwrap();
    assert_eq!(first, again, "the minutes of one meeting changed after later records");

    // The printed head verifies.
    common::jdp_on(std::path::Path::new(db)).args(["verify", "--expect", &head]).assert().success();
}
