//! The task calendar (tester report 5, F16): each event's UID is unique across stores (it
//! carries the store's own id, from its first record's hash), and a task closed since an earlier
//! export comes again with the same UID, a higher SEQUENCE and STATUS:CANCELLED, so a calendar
//! that imported the earlier file drops it.

mod common;

use chrono::Utc;
use common::*;

fn export(db: &std::path::Path, out: &std::path::Path) -> String {
    common::jdp_on(db).args(["tasks", "--format", "ics", "--out"]).arg(out).assert().success();
    std::fs::read_to_string(out).unwrap()
}

/// The lines of the event whose SUMMARY starts with `summary`, unfolded.
fn event(ics: &str, summary: &str) -> Vec<String> {
    let unfolded = ics.replace("\r\n ", "");
    let events: Vec<&str> = unfolded.split("BEGIN:VEVENT").skip(1).collect();
    let e = events
        .iter()
        .find(|e| e.contains(&format!("SUMMARY:{summary}")))
        .unwrap_or_else(|| panic!("{summary} in {ics}"));
    e.split("\r\n").map(str::to_string).collect()
}

fn field<'a>(event: &'a [String], name: &str) -> &'a str {
    event.iter().find_map(|l| l.strip_prefix(&format!("{name}:"))).unwrap_or_else(|| panic!("{name} in {event:?}"))
}

#[test]
fn uids_differ_between_stores_and_a_closed_task_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut uids = Vec::new();
    for name in ["a.sqlite3", "b.sqlite3"] {
        let db = dir.path().join(name);
        store_with_decision(&db, "t");
        let ics = export(&db, &dir.path().join(format!("{name}.ics")));
        uids.push(field(&event(&ics, "Tell the victim"), "UID").to_string());
    }
    assert_ne!(uids[0], uids[1], "the same task in two stores must not share a UID");

    let db = dir.path().join("a.sqlite3");
    let before = export(&db, &dir.path().join("1.ics"));
    let open = event(&before, "Tell the victim");
    assert_eq!(field(&open, "STATUS"), "CONFIRMED");
    common::jdp_on(&db).args(["tasks", "done", "1/inform_victim", "--by", "Vic Liaison"]).assert().success();
    let after = export(&db, &dir.path().join("2.ics"));
    let closed = event(&after, "Tell the victim");
    assert_eq!(field(&closed, "UID"), field(&open, "UID"));
    assert_eq!(field(&closed, "STATUS"), "CANCELLED");
    let seq = |e: &[String]| field(e, "SEQUENCE").parse::<i64>().unwrap();
    assert!(seq(&closed) > seq(&open), "{} > {}", seq(&closed), seq(&open));
    // Open tasks are still there, confirmed.
    assert_eq!(field(&event(&after, "Notify the YJS"), "STATUS"), "CONFIRMED");
}

/// A correction that asks the telling again (another outcome) updates the same event: same UID,
/// a higher SEQUENCE, the new summary, confirmed.
#[test]
fn a_reopened_telling_updates_the_same_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite3");
    let (mut store, id) = store_with_referral(&db);
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, "t", Utc::now()).unwrap();
    drop(store);
    let before = export(&db, &dir.path().join("1.ics"));
    let open = event(&before, "Tell the victim");
    common::jdp_on(&db).args(["tasks", "done", &format!("{}/inform_victim", rec.seq), "--by", "V"]).assert().success();
    let mut store = jdp::store::Store::open_existing(&db).unwrap();
    store
        .record_decision(
            id,
            &nfa_snapshot(),
            Some(jdp::store::Correction { supersedes: rec.seq, reason: "NFA" }),
            "t",
            Utc::now(),
        )
        .unwrap();
    drop(store);
    let after = export(&db, &dir.path().join("2.ics"));
    let again = event(&after, "Tell the victim the outcome (No further action)");
    assert_eq!(field(&again, "UID"), field(&open, "UID"));
    assert_eq!(field(&again, "STATUS"), "CONFIRMED");
    assert!(field(&again, "SEQUENCE").parse::<i64>().unwrap() > field(&open, "SEQUENCE").parse::<i64>().unwrap());
}
