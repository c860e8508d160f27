//! `jdp agenda`: the next panel's referrals, each with days waiting, what is still missing
//! before the panel can decide, and any overdue timescale; written to the access log.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::domain::referral::SearchAuditEntry;
use jdp::store::Store;
use predicates::str::contains;

fn jdp(db: &Path) -> Command {
    common::jdp_on(db)
}

fn agenda(db: &Path, on: &str) -> String {
    let out = jdp(db).args(["agenda", "--date", on]).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// The lines of one referral's entry, from its reference to the next blank line.
fn entry<'a>(text: &'a str, reference: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(reference)).unwrap_or_else(|| panic!("{reference}:\n{text}"));
    lines[start..].iter().take_while(|l| !l.trim().is_empty()).copied().collect()
}

fn imported_example(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("jdp.sqlite3");
    jdp(&db).args(["import", "panels/examples/referrals.toml"]).assert().success();
    db
}

#[test]
fn the_example_referrals_each_show_what_they_still_need() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_example(dir.path());
    let text = agenda(&db, "2026-11-24");
    assert!(text.contains("panel on 2026-11-24"), "{text}");
    assert!(text.contains("3 referral(s) awaiting a decision"), "{text}");
    // Longest waiting first.
    let order: Vec<usize> =
        ["JDP-2026-0141", "JDP-2026-0142", "JDP-2026-0143"].iter().map(|r| text.find(r).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "oldest referral first:\n{text}");
    // 0141 was referred on Monday 9 November: due ten working days later, on the 23rd.
    let first = entry(&text, "JDP-2026-0141").join("\n");
    assert!(first.contains("referred 2026-11-09, waiting 15 days"), "{first}");
    assert!(first.contains("YJS assessment due 2026-11-23: OVERDUE"), "{first}");
    let second = entry(&text, "JDP-2026-0142").join("\n");
    assert!(second.contains("waiting 12 days"), "{second}");
    assert!(second.contains("YJS assessment due 2026-11-26") && !second.contains("OVERDUE"), "{second}");
    for reference in ["JDP-2026-0141", "JDP-2026-0142", "JDP-2026-0143"] {
        let e = entry(&text, reference).join("\n");
        for what in ["Police research", "Victim's views", "YJS assessment:", "Child's views", "Parent/carer's views"] {
            assert!(e.contains(what), "{reference} still needs {what}:\n{e}");
        }
    }
}

#[test]
fn the_agenda_names_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_example(dir.path());
    let text = agenda(&db, "2026-11-24");
    for name in ["Jordan", "Reid", "Kayla", "Morris", "Samir", "Haddad", "Dana Whitfield", "Hughes", "Foster carer"] {
        assert!(!text.contains(name), "{name} in the agenda:\n{text}");
    }
    // What the panel prepares with: the reference, the age at the offence, the offence.
    assert!(text.contains("JDP-2026-0143 · aged 16 · Possession of a bladed article"), "{text}");
}

#[test]
fn a_case_well_under_way_names_no_one_either() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let mut case = good_case();
    let ids = store.add_referrals(&[case.referral.clone()], "t", Utc::now()).unwrap();
    case.research.safeguarding = "Alex Example's older brother is a concern".into();
    case.research.searches = vec![SearchAuditEntry {
        requested_on: date("2026-10-21"),
        requested_by: "PC Jones".into(),
        request: String::new(),
        systems: vec![],
        supplied: String::new(),
    }];
    case.needs.assessor = "Sam Case".into();
    store.save_draft(ids[0], "research", &case, Utc::now()).unwrap();
    drop(store);
    let text = agenda(&db, "2026-11-05");
    assert!(text.contains("JDP-TEST-0001"), "{text}");
    assert!(text.contains("Search 1: who requested it"), "the research findings are listed:\n{text}");
    for name in ["Alex", "Example", "PC Jones", "Sam Case", "Smith", "Mother", "Victim liaison officer"] {
        assert!(!text.contains(name), "{name} on the agenda:\n{text}");
    }
}

#[test]
fn the_agenda_is_written_to_the_access_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_example(dir.path());
    agenda(&db, "2026-11-24");
    let log = Store::open(&db).unwrap().access_log(20).unwrap();
    let entry = log.iter().find(|e| e.action == "agenda").expect("an access-log entry for the agenda");
    assert!(entry.target.contains("3 referral(s)") && entry.target.contains("2026-11-24"), "{entry:?}");
}

#[test]
fn the_agenda_reads_the_draft_and_leaves_out_decided_referrals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let mut decided = good_case();
    decided.referral.reference = "JDP-TEST-DONE".into();
    let mut drafted = good_case();
    drafted.referral.reference = "JDP-TEST-DRAFT".into();
    let ids = store.add_referrals(&[decided.referral.clone(), drafted.referral.clone()], "t", Utc::now()).unwrap();
    store.record_decision(ids[0], &snapshot_of(&decided), None, "t", Utc::now()).unwrap();
    // The draft has the victim's views and both voices, and the assessment dated late.
    drafted.needs.assessed_on = Some(date("2026-11-04"));
    store.save_draft(ids[1], "needs", &drafted, Utc::now()).unwrap();
    drop(store);
    let text = agenda(&db, "2026-11-05");
    assert!(!text.contains("JDP-TEST-DONE"), "a decided referral is not on the agenda:\n{text}");
    let e = entry(&text, "JDP-TEST-DRAFT").join("\n");
    assert!(e.contains("Police research"), "{e}");
    assert!(e.contains("YJS assessment: 11 of 11 needs domains not assessed"), "{e}");
    for done in ["Victim's views", "Child's views", "Parent/carer's views", "Not completed", "OVERDUE"] {
        assert!(!e.contains(done), "{done} is in the draft:\n{e}");
    }
    assert!(e.contains("YJS assessment due 2026-11-03, completed 2026-11-04 (late)"), "{e}");
}

#[test]
fn an_agenda_with_nothing_pending_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    let (mut store, id) = store_with_referral(&db);
    store.record_decision(id, &snapshot_of(&good_case()), None, "t", Utc::now()).unwrap();
    drop(store);
    assert!(agenda(&db, "2026-11-24").contains("No referrals await a decision."));
}

#[test]
fn the_agenda_needs_a_database() {
    let dir = tempfile::tempdir().unwrap();
    jdp(&dir.path().join("none.sqlite3")).args(["agenda"]).assert().failure().stderr(contains("none.sqlite3"));
}

#[test]
fn the_agenda_can_be_written_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_example(dir.path());
    let out = dir.path().join("agenda.txt");
    jdp(&db).args(["agenda", "--date", "2026-11-24", "--out"]).arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("JDP-2026-0141"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
