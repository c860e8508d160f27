//! Retention: decisions past `records.retention_months` are listed, and erasing them takes the
//! child's personal details out of referrals, drafts and recorded decisions while verify stays
//! green; only the sanctioned erasure gets past the guard, and it is logged once.

mod common;

use std::path::Path;

use chrono::{Months, NaiveDate, Utc};
use common::*;
use jdp::domain::erasure::ERASED;
use jdp::store::Store;

const MONTHS: u16 = 72;

fn today() -> NaiveDate {
    date("2026-11-23")
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    /// (reference, name): old ones first.
    old: Vec<(String, String)>,
    young: Vec<(String, String)>,
}

/// Three decisions older than retention (one corrected), two younger; one undecided referral
/// past retention (with a draft) and one within it (`common::retention_cases`).
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let (old, young) = retention_cases(&mut store);
    Fixture { _dir: dir, path, store, old, young }
}

/// Every text jdp keeps about cases: referral bodies, drafts, and records (body and details).
fn all_text(path: &Path) -> String {
    let c = raw(path);
    let mut out = String::new();
    for sql in CASE_TEXTS {
        let mut stmt = c.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        for r in rows {
            out.push_str(&r.unwrap());
            out.push('\n');
        }
    }
    out
}

#[test]
fn the_list_holds_only_referrals_past_retention_with_when_it_ended() {
    let f = fixture();
    let due = f.store.retention_due(MONTHS, today()).unwrap();
    let refs: Vec<&str> = due.iter().map(|d| d.reference.as_str()).collect();
    assert_eq!(refs, vec!["OLD-1", "UND-OLD", "OLD-2", "OLD-3"]);
    let old1 = &due[0];
    assert_eq!(old1.records.len(), 2, "the decision and its correction");
    assert_eq!(old1.ended_on, old1.decided_on.unwrap().checked_add_months(Months::new(72)).unwrap());
    let undecided = due.iter().find(|d| d.reference == "UND-OLD").unwrap();
    assert_eq!(undecided.decided_on, None);
    assert_eq!(undecided.ended_on, undecided.referral_date.checked_add_months(Months::new(72)).unwrap());
    assert!(due.iter().all(|d| !d.erased && d.ended_on <= today()));
    // The correction's reason is hashed in the chain: it is erased through a linked record.
    assert_eq!(old1.needs_link, vec![old1.records[1]]);
    assert!(due.iter().filter(|d| d.reference != "OLD-1").all(|d| d.needs_link.is_empty()));
    // Retention runs to the day: a decision whose retention ends tomorrow is not listed.
    let old3 = due.iter().find(|d| d.reference == "OLD-3").unwrap();
    let day_before = old3.ended_on.pred_opt().unwrap();
    assert!(f.store.retention_due(MONTHS, day_before).unwrap().iter().all(|d| d.reference != "OLD-3"));
}

#[test]
fn erasure_removes_only_the_old_personal_details_and_verify_stays_green() {
    let mut f = fixture();
    assert!(f.store.verify().unwrap().is_ok());
    let before_log = f.store.access_log(1000).unwrap().len();
    let done = f.store.erase_after_retention(MONTHS, today(), "dpo", "retention review 2026", Utc::now()).unwrap();
    assert_eq!(done.referrals.len(), 4);
    assert_eq!(done.records.len(), 4, "OLD-1 (two records), OLD-2, OLD-3");
    assert_eq!(done.linked.len(), 1, "the correction, whose reason names the child");
    let report = f.store.verify().unwrap().expect("verify passes after erasure");
    assert_eq!(report.checked, 7, "six decisions and the linked erasure of the correction");

    let text = all_text(&f.path);
    for (_, name) in &f.old {
        for part in name.split(' ') {
            assert!(!text.contains(part), "{part} left after erasure");
        }
    }
    for (_, name) in &f.young {
        assert!(text.contains(name.as_str()), "{name} lost although within retention");
    }
    // The records read back with the erased text in place of every personal detail.
    let old1 = f.store.referral_id("OLD-1").unwrap().unwrap();
    for row in f.store.decisions_for(old1).unwrap() {
        assert!(row.erased);
        let r = &row.snapshot.case.referral;
        assert_eq!(r.child.name, ERASED);
        assert!(!r.child.dob_known());
        assert_eq!(r.officer_in_case, ERASED);
        assert_eq!(row.snapshot.case.decision.rationale, ERASED);
        // What the board reports still stands.
        assert_eq!(row.snapshot.outcome(), "CR");
        assert_eq!(r.child.ethnicity, "White British");
    }
    let young = f.store.referral_id("NEW-1").unwrap().unwrap();
    let row = &f.store.decisions_for(young).unwrap()[0];
    assert!(!row.erased);
    assert_eq!(row.snapshot.case.referral.child.name, "Nadia Dunmore");
    // The queue still gives the age at the offence, which is not identifying and was kept.
    let page = f.store.referral_page(0, 100).unwrap();
    let row = page.iter().find(|r| r.id == old1).unwrap();
    assert!(!row.referral.child.dob_known());
    assert!(row.age_at_offence.is_some_and(|a| (10..=17).contains(&a)), "{:?}", row.age_at_offence);
    let und = f.store.referral_id("UND-OLD").unwrap().unwrap();
    assert_eq!(f.store.draft(und).unwrap().unwrap().case.referral.child.name, ERASED);
    assert_eq!(f.store.referral(und).unwrap().unwrap().referral.child.name, ERASED);
    let und_new = f.store.referral_id("UND-NEW").unwrap().unwrap();
    assert_eq!(f.store.draft(und_new).unwrap().unwrap().case.referral.child.name, "Ulrich Greystoke");

    // One access-log entry for the erasure: who, which records, why.
    let log = f.store.access_log(1000).unwrap();
    assert_eq!(log.len(), before_log + 1);
    let e = &log[0];
    assert_eq!((e.actor.as_str(), e.action.as_str()), ("dpo", jdp::store::retention::ERASE_ACTION));
    assert_eq!(e.reason, "retention review 2026");
    for seq in &done.records {
        assert!(e.target.contains(&seq.to_string()), "{}", e.target);
    }
    assert!(!e.target.contains("Ashworth"));

    // Idempotent: nothing more to erase, nothing logged, verify still green, and the list
    // says they are erased.
    let again = f.store.erase_after_retention(MONTHS, today(), "dpo", "again", Utc::now()).unwrap();
    assert_eq!(again, jdp::store::Erasure::default());
    assert_eq!(f.store.access_log(1000).unwrap().len(), before_log + 1);
    assert!(f.store.verify().unwrap().is_ok());
    assert!(f.store.retention_due(MONTHS, today()).unwrap().iter().all(|d| d.erased));
}

#[test]
fn reviewers_observations_on_an_erased_case_are_erased_and_verify_stays_green() {
    let mut f = fixture();
    let old2 = f.store.referral_id("OLD-2").unwrap().unwrap();
    let new1 = f.store.referral_id("NEW-1").unwrap().unwrap();
    let seq_of = |store: &Store, id| store.decisions_for(id).unwrap()[0].seq;
    let (old_seq, new_seq) = (seq_of(&f.store, old2), seq_of(&f.store, new1));
    for (decision, words) in
        [(old_seq, "Olwen Brightwater's mother rang the panel"), (new_seq, "Nadia Dunmore's school")]
    {
        let review = jdp::scrutiny::ReviewRecord {
            sample: 1,
            decision,
            rating: "appropriate".into(),
            observations: words.into(),
            learning_points: vec!["victims: ask earlier".into()],
            reviewers: vec!["Lay member".into()],
            actions: vec![],
        };
        jdp::scrutiny::record_review(&mut f.store, &review, "scrutiny", Utc::now()).unwrap();
        let rating = jdp::scrutiny::BlindRating {
            sample: 1,
            decision,
            reviewer: "Lay member".into(),
            agency: "lay".into(),
            rating: "appropriate".into(),
            observations: format!("blind: {words}"),
        };
        jdp::scrutiny::record_blind_ratings(&mut f.store, &[rating], "scrutiny", Utc::now()).unwrap();
    }
    assert!(all_text(&f.path).contains("Brightwater's mother"));
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention review 2026", Utc::now()).unwrap();
    f.store.verify().unwrap().expect("verify passes after erasure");
    let text = all_text(&f.path);
    assert!(!text.contains("Brightwater"), "observations on an erased case are left");
    // Within retention, and what scrutiny reports on (ratings, learning points), stay.
    assert!(text.contains("Nadia Dunmore's school") && text.contains("blind: Nadia Dunmore"));
    let reviews = jdp::scrutiny::reviews(&f.store).unwrap();
    let old = reviews.iter().find(|(_, r)| r.decision == old_seq).unwrap();
    assert_eq!((old.1.rating.as_str(), old.1.observations.as_str()), ("appropriate", ERASED));
    assert_eq!(old.1.learning_points, vec!["victims: ask earlier".to_string()]);
    // Erasing again changes nothing and verify stays green.
    let again = f.store.erase_after_retention(MONTHS, today(), "dpo", "again", Utc::now()).unwrap();
    assert_eq!(again, jdp::store::Erasure::default());
    f.store.verify().unwrap().expect("verify passes after a second erasure");
}

#[test]
fn an_erasure_needs_a_reason() {
    let mut f = fixture();
    assert!(f.store.erase_after_retention(MONTHS, today(), "dpo", "  ", Utc::now()).is_err());
    assert!(f.store.retention_due(MONTHS, today()).unwrap().iter().all(|d| !d.erased));
}

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn seq_of(path: &Path, reference: &str) -> i64 {
    raw(path).query_row("SELECT min(seq) FROM records WHERE reference = ?1", [reference], |r| r.get(0)).unwrap()
}

#[test]
fn the_guard_lets_through_only_the_erasure_of_personal_details() {
    let f = fixture();
    let young = seq_of(&f.path, "NEW-1");
    let c = raw(&f.path);
    for sql in [
        "UPDATE records SET outcome = 'NFA' WHERE seq = ?1",
        "UPDATE records SET personal = NULL, personal_salt = NULL, outcome = 'NFA' WHERE seq = ?1",
        "UPDATE records SET personal = NULL, personal_salt = NULL, personal_digest = NULL WHERE seq = ?1",
        "UPDATE records SET personal = NULL, personal_salt = NULL, body = body || ' ' WHERE seq = ?1",
        "UPDATE records SET personal = '{}' WHERE seq = ?1",
        "UPDATE records SET personal = NULL WHERE seq = ?1",
        "UPDATE records SET format = NULL, personal = NULL, personal_salt = NULL WHERE seq = ?1",
    ] {
        let e = c.execute(sql, [young]).expect_err(sql);
        assert!(e.to_string().contains("never edited"), "{sql}: {e}");
    }
    // A correction's reason, and a record's body, change only through a linked erasure record.
    let correction: i64 =
        c.query_row("SELECT seq FROM records WHERE correction_reason IS NOT NULL", [], |r| r.get(0)).unwrap();
    for sql in [
        "UPDATE records SET correction_reason = 'erased after retention' WHERE seq = ?1",
        "UPDATE records SET personal = NULL, personal_salt = NULL, correction_reason = NULL WHERE seq = ?1",
    ] {
        let e = c.execute(sql, [correction]).expect_err(sql);
        assert!(e.to_string().contains("never edited"), "{sql}: {e}");
    }
    assert!(c.execute("DELETE FROM records WHERE seq = ?1", [young]).is_err());
}

/// Personal details removed by hand (the guard allows the change itself) show at verify: no
/// erasure of that record is in the access log.
#[test]
fn details_removed_outside_jdp_fail_verify() {
    let f = fixture();
    let young = seq_of(&f.path, "NEW-1");
    raw(&f.path).execute("UPDATE records SET personal = NULL, personal_salt = NULL WHERE seq = ?1", [young]).unwrap();
    let failure = Store::open(&f.path).unwrap().verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, young);
    assert!(failure.problem.contains("no erasure of this record is in the access log"), "{}", failure.problem);
}

/// Tampering with an erasure, or with details kept apart, fails verify at that record.
#[rstest::rstest]
#[case::detail_changed_not_erased(
    "UPDATE records SET personal = replace(personal, 'Nadia', 'Nadja') WHERE seq = {young}",
    "young",
    "do not match their digest"
)]
#[case::salt_changed(
    "UPDATE records SET personal_salt = (CASE WHEN substr(personal_salt, 1, 2) = '00' THEN 'ff' ELSE '00' END) || substr(personal_salt, 3) WHERE seq = {young}",
    "young",
    "do not match their digest"
)]
#[case::digest_changed(
    "UPDATE records SET personal_digest = (CASE WHEN substr(personal_digest, 1, 2) = '00' THEN 'ff' ELSE '00' END) || substr(personal_digest, 3) WHERE seq = {young}",
    "young",
    "match"
)]
#[case::erased_digest_changed(
    "UPDATE records SET personal_digest = (CASE WHEN substr(personal_digest, 1, 2) = '00' THEN 'ff' ELSE '00' END) || substr(personal_digest, 3) WHERE seq = {old}",
    "old",
    "does not match its hash"
)]
#[case::erased_then_restored_falsely(
    "UPDATE records SET personal = '{{}}', personal_salt = 'ab' WHERE seq = {old}",
    "old",
    "do not match their digest"
)]
#[case::erased_field_changed_in_body(
    "UPDATE records SET body = replace(body, '\"rationale\":\"erased after retention\"', '\"rationale\":\"Osric Cavendish admitted it\"') WHERE seq = {old}",
    "old",
    "does not match its hash"
)]
#[case::erased_outcome_changed(
    "UPDATE records SET outcome = 'NFA' WHERE seq = {old}",
    "old",
    "does not match its hash"
)]
#[case::format_dropped("UPDATE records SET format = NULL WHERE seq = {young}", "young", "match")]
fn tampering_with_personal_details_or_an_erasure_fails_verify(
    #[case] sql: &str,
    #[case] which: &str,
    #[case] words: &str,
) {
    let mut f = fixture();
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention", Utc::now()).unwrap();
    let young = seq_of(&f.path, "NEW-1");
    let old = seq_of(&f.path, "OLD-2");
    let sql = sql.replace("{young}", &young.to_string()).replace("{old}", &old.to_string()).replace("{{}}", "{}");
    let c = raw(&f.path);
    c.execute_batch(&format!("DROP TRIGGER records_no_update; {sql};")).unwrap();
    c.execute_batch(&format!("{};", jdp::store::guard_sql("records_no_update").unwrap())).unwrap();
    drop(c);
    let failure = Store::open(&f.path).unwrap().verify().unwrap().unwrap_err();
    let target = if which == "young" { young } else { old };
    assert_eq!(failure.seq, target, "{}", failure.problem);
    assert!(failure.problem.contains(words), "{}", failure.problem);
}

/// The erasure's own log entry cannot be forged into naming more records: the access log is
/// chained, so an entry added or rewritten outside jdp fails verify.
#[test]
fn a_forged_erasure_entry_fails_verify() {
    let f = fixture();
    let young = seq_of(&f.path, "NEW-1");
    let c = raw(&f.path);
    c.execute("UPDATE records SET personal = NULL, personal_salt = NULL WHERE seq = ?1", [young]).unwrap();
    c.execute(
        "INSERT INTO access_log (at, actor, action, target, reason) VALUES ('2026', 'x', ?1, ?2, 'x')",
        [jdp::store::retention::ERASE_ACTION, &format!("records {young}; referrals 1")],
    )
    .unwrap();
    drop(c);
    assert!(Store::open(&f.path).unwrap().verify().unwrap().is_err());
}

#[test]
fn the_export_shows_erased_after_retention_in_place_of_the_details() {
    let mut f = fixture();
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention", Utc::now()).unwrap();
    for pseudonymise in [false, true] {
        let opts = jdp::report::export::ExportOptions {
            format: jdp::report::export::Format::Jsonl,
            pseudonymise,
            from: None,
            to: None,
        };
        let mut out = Vec::new();
        jdp::report::export::export(&f.store, &opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let old_line = text.lines().find(|l| l.contains("Cavendish") || l.contains(ERASED)).unwrap();
        assert!(old_line.contains(&format!("\"child_name\":\"{ERASED}\"")), "{old_line}");
        assert!(old_line.contains(&format!("\"date_of_birth\":\"{ERASED}\"")), "{old_line}");
        assert!(old_line.contains("\"age_at_offence\":14"), "the recorded age stands: {old_line}");
        assert!(!text.contains("Cavendish") && !text.contains("Ashworth"));
        assert_eq!(text.lines().filter(|l| l.contains(ERASED)).count(), 4);
    }
}

fn jdp(db: &Path) -> assert_cmd::Command {
    common::jdp_on(db)
}

#[test]
fn jdp_retention_lists_by_reference_without_names_and_erases_with_yes() {
    let f = fixture();
    let path = f.path.clone();
    let names: Vec<String> = f.old.iter().chain(&f.young).map(|(_, n)| n.clone()).collect();
    drop(f.store);
    let listed = jdp(&path).arg("retention").assert().success().get_output().stdout.clone();
    let listed = String::from_utf8(listed).unwrap();
    for r in ["OLD-1", "OLD-2", "OLD-3", "UND-OLD"] {
        assert!(listed.contains(r), "{r} missing:\n{listed}");
    }
    for r in ["NEW-1", "NEW-2", "UND-NEW"] {
        assert!(!listed.contains(r), "{r} listed:\n{listed}");
    }
    assert!(listed.contains("4 referral(s) past retention"), "{listed}");
    assert!(listed.contains("due for erasure"), "{listed}");
    assert!(listed.contains("none (referred "), "{listed}");
    for n in &names {
        assert!(!listed.contains(n.split(' ').nth(1).unwrap()), "{n} on the screen:\n{listed}");
    }
    // Not on a terminal and no --yes: refused, nothing erased.
    jdp(&path).args(["retention", "--erase"]).assert().code(1).stderr(predicates::str::contains("--yes"));
    assert!(Store::open(&path).unwrap().retention_due(MONTHS, today()).unwrap().iter().all(|d| !d.erased));
    let erased = jdp(&path)
        .args(["retention", "--erase", "--yes", "--reason", "annual retention review"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let erased = String::from_utf8(erased).unwrap();
    assert!(erased.contains("Erased the personal details of 4 referral(s) and 4 record(s)"), "{erased}");
    assert!(erased.contains("ok: verify still passes"), "{erased}");
    jdp(&path).arg("verify").assert().success();
    let store = Store::open(&path).unwrap();
    let log = store.access_log(1).unwrap();
    assert_eq!(log[0].reason, "annual retention review");
    drop(store);
    // Again: nothing left, nothing logged.
    jdp(&path)
        .args(["retention", "--erase", "--yes"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Nothing left to erase."))
        .stdout(predicates::str::contains("erased after retention"));
    let store = Store::open(&path).unwrap();
    assert_eq!(store.access_log(1).unwrap()[0], log[0]);
}

/// Erased details are gone from the files on disk too, not only from what jdp reads back:
/// freed space is overwritten (secure_delete) and the write-ahead log is emptied.
#[test]
fn erased_details_are_not_left_in_the_database_files() {
    let mut f = fixture();
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention", Utc::now()).unwrap();
    let mut bytes = Vec::new();
    for p in jdp::outfile::database_files(&f.path) {
        if let Ok(b) = std::fs::read(&p) {
            bytes.extend(b);
        }
    }
    let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    for (_, name) in &f.old {
        assert!(!has(name.split(' ').nth(1).unwrap()), "{name} still in the files");
    }
    assert!(has("Dunmore"), "the young child's details stay");
}

/// Rewrites every record of the fixture as jdp wrote records before format 2 (details in the
/// hashed body, no digest), and rechains them: a store made by an older jdp.
fn to_format_1(f: &Fixture) {
    use jdp::store::chain::{self, COLUMNS, GENESIS};
    let seqs: Vec<i64> = {
        let c = raw(&f.path);
        let mut stmt = c.prepare("SELECT seq FROM records ORDER BY seq").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let bodies: Vec<(i64, String)> = seqs
        .iter()
        .map(|&s| (s, serde_json::to_string(&f.store.decision(s).unwrap().unwrap().snapshot).unwrap()))
        .collect();
    let c = raw(&f.path);
    c.execute_batch("DROP TRIGGER records_no_update;").unwrap();
    for (seq, body) in &bodies {
        c.execute(
            "UPDATE records SET body = ?1, format = NULL, personal = NULL, personal_salt = NULL, personal_digest = NULL
             WHERE seq = ?2",
            rusqlite::params![body, seq],
        )
        .unwrap();
    }
    let mut prev = GENESIS;
    for seq in &seqs {
        let buf: Vec<u8> = c
            .query_row(&format!("SELECT {} FROM records WHERE seq = ?1", COLUMNS.join(", ")), [seq], |row| {
                let mut buf = Vec::new();
                for i in 0..COLUMNS.len() {
                    chain::encode(&mut buf, row.get_ref(i)?).unwrap();
                }
                Ok(buf)
            })
            .unwrap();
        let h = chain::link(&prev, &buf);
        c.execute(
            "UPDATE records SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev.to_vec(), h.to_vec(), seq],
        )
        .unwrap();
        prev = h;
    }
    c.execute("UPDATE meta SET value = ?1 WHERE key = 'head_hash'", [hex::encode(prev)]).unwrap();
    c.execute_batch(&format!("{};", jdp::store::guard_sql("records_no_update").unwrap())).unwrap();
}

fn format_1_fixture() -> Fixture {
    let f = fixture();
    to_format_1(&f);
    let store = Store::open(&f.path).unwrap();
    assert!(store.verify().unwrap().is_ok(), "the rewritten store verifies as an old one would");
    let n: i64 = raw(&f.path).query_row("SELECT count(*) FROM records WHERE format IS NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 6);
    Fixture { store, ..f }
}

#[test]
fn format_1_records_are_erased_through_linked_erasure_records_and_verify_stays_green() {
    let mut f = format_1_fixture();
    let due = f.store.retention_due(MONTHS, today()).unwrap();
    assert_eq!(due.iter().map(|d| d.needs_link.len()).sum::<usize>(), 4);
    let done = f.store.erase_after_retention(MONTHS, today(), "dpo", "retention", Utc::now()).unwrap();
    assert_eq!(done.records.len(), 4);
    assert_eq!(done.linked.len(), 4);
    assert!(done.linked.iter().all(|(erased, by)| by > erased && *by > 6));
    let report = f.store.verify().unwrap().expect("verify passes after erasing format-1 records");
    assert_eq!(report.checked, 10, "six decisions and four linked erasure records");
    let text = all_text(&f.path);
    for (_, name) in &f.old {
        assert!(!text.contains(name.split(' ').nth(1).unwrap()), "{name} left");
    }
    for (_, name) in &f.young {
        assert!(text.contains(name.as_str()), "{name} lost");
    }
    let old1 = f.store.referral_id("OLD-1").unwrap().unwrap();
    assert!(f.store.decisions_for(old1).unwrap().iter().all(|r| r.snapshot.case.referral.child.name == ERASED));
    // Idempotent, and listed as erased.
    assert_eq!(f.store.erase_after_retention(MONTHS, today(), "dpo", "again", Utc::now()).unwrap(), Default::default());
    assert!(f.store.retention_due(MONTHS, today()).unwrap().iter().all(|d| d.erased && d.needs_link.is_empty()));
    assert_eq!(f.store.verify().unwrap().unwrap().checked, 10);
}

#[test]
fn a_format_1_record_changed_without_a_linked_erasure_is_refused_and_caught() {
    let f = format_1_fixture();
    let young = seq_of(&f.path, "NEW-1");
    let c = raw(&f.path);
    let e = c
        .execute("UPDATE records SET body = replace(body, 'Nadia', 'erased') WHERE seq = ?1", [young])
        .expect_err("the guard refuses a format-1 body change without a linked erasure");
    assert!(e.to_string().contains("never edited"), "{e}");
    c.execute_batch(&format!(
        "DROP TRIGGER records_no_update; UPDATE records SET body = replace(body, 'Nadia', 'erased') WHERE seq = {young};"
    ))
    .unwrap();
    drop(c);
    let failure = Store::open(&f.path).unwrap().verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, young);
}

#[rstest::rstest]
#[case::erased_body_changed_again(
    "UPDATE records SET body = replace(body, '\"rationale\":\"erased after retention\"', '\"rationale\":\"Olwen Brightwater\"') WHERE seq = {old}",
    "old"
)]
#[case::erased_outcome_changed("UPDATE records SET outcome = 'NFA' WHERE seq = {old}", "old")]
#[case::link_content_changed(
    "UPDATE records SET body = replace(body, '\"content\":\"', '\"content\":\"0') WHERE seq = {link}",
    "link"
)]
#[case::link_removed("UPDATE records SET kind = 'sample' WHERE seq = {link}", "link")]
fn tampering_with_a_linked_erasure_fails_verify(#[case] sql: &str, #[case] which: &str) {
    let mut f = format_1_fixture();
    let done = f.store.erase_after_retention(MONTHS, today(), "dpo", "retention", Utc::now()).unwrap();
    let old = seq_of(&f.path, "OLD-2");
    let link = done.linked.iter().find(|(e, _)| *e == old).unwrap().1;
    let sql = sql.replace("{old}", &old.to_string()).replace("{link}", &link.to_string());
    raw(&f.path).execute_batch(&format!("DROP TRIGGER records_no_update; {sql};")).unwrap();
    let failure = Store::open(&f.path).unwrap().verify().unwrap().unwrap_err();
    // A changed link is caught at the erased record (which the link no longer vouches for) or
    // at the link itself, whichever comes first in the chain: the erased record.
    assert_eq!(failure.seq, old, "{which}: {}", failure.problem);
}

/// The correction erased through its link: its reason, body or link changed afterwards is caught.
#[rstest::rstest]
#[case::reason_changed_again("UPDATE records SET correction_reason = 'Oldest Ashworth' WHERE seq = {old}")]
#[case::body_changed_again(
    "UPDATE records SET body = replace(body, '\"rationale\":\"erased after retention\"', '\"rationale\":\"x\"') WHERE seq = {old}"
)]
#[case::details_put_back("UPDATE records SET personal = '{}', personal_salt = 'aa' WHERE seq = {old}")]
#[case::link_content_changed(
    "UPDATE records SET body = replace(body, '\"content\":\"', '\"content\":\"0') WHERE seq = {link}"
)]
fn tampering_with_an_erased_correction_fails_verify(#[case] sql: &str) {
    let mut f = fixture();
    let done = f.store.erase_after_retention(MONTHS, today(), "dpo", "retention", Utc::now()).unwrap();
    let (old, link) = done.linked[0];
    let c = raw(&f.path);
    let reason: String =
        c.query_row("SELECT correction_reason FROM records WHERE seq = ?1", [old], |r| r.get(0)).unwrap();
    assert_eq!(reason, ERASED);
    let sql = sql.replace("{old}", &old.to_string()).replace("{link}", &link.to_string());
    c.execute_batch(&format!("DROP TRIGGER records_no_update; {sql};")).unwrap();
    let failure = Store::open(&f.path).unwrap().verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, old, "{}", failure.problem);
}

/// After erasure the scrutiny case reads "erased after retention" where the details were, not a
/// name placeholder everywhere (the erased words are not taken for the child's name), and the
/// whole-case view never prints the placeholder date of birth.
#[test]
fn an_erased_case_reads_erased_after_retention_on_the_scrutiny_screen_and_the_panel_screen() {
    let mut f = fixture();
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention review 2026", Utc::now()).unwrap();
    let id = f.store.referral_id("OLD-2").unwrap().unwrap();
    let row = f.store.decisions_for(id).unwrap().remove(0);
    let lines: Vec<String> =
        jdp::tui::scrutiny::anonymised(&row.snapshot, &default_panel()).iter().map(|l| l.to_string()).collect();
    let text = lines.join("\n");
    assert!(text.contains("Rationale: erased after retention"), "{text}");
    assert!(!text.contains("[the child]"), "the erased words taken for a name:\n{text}");
    let rows = jdp::report::case_view::rows(
        &row.snapshot.case,
        &default_panel(),
        &row.snapshot.case.decision.present,
        &row.snapshot.chair,
        jdp::report::case_view::Show::Full,
    );
    let child = rows.iter().find(|r| r.label == "Child").unwrap();
    assert!(!child.value.contains("-262143"), "{}", child.value);
}

/// Who closed a follow-up task and why it was not needed are typed about the child ("moved to
/// Leeds with mum"): erased with the case, through linked erasure records, verify still green.
#[test]
fn task_closings_on_an_erased_case_are_erased_and_verify_stays_green() {
    use jdp::domain::task_board::{Closed, TaskEvent};
    let mut f = fixture();
    let old2 = f.store.referral_id("OLD-2").unwrap().unwrap();
    let seq = f.store.decisions_for(old2).unwrap()[0].seq;
    let close = |closed: Closed, by: &str| TaskEvent {
        referral_id: 0,
        decision: 0,
        task: String::new(),
        closed,
        by: by.into(),
        on: date("2020-01-01"),
    };
    let reason = "Olwen Brightwater moved to Leeds with her mum";
    f.store.close_task(&format!("{seq}/inform_victim"), close(Closed::Done, "Olwen's aunt"), "t", Utc::now()).unwrap();
    f.store
        .close_task(
            &format!("{seq}/notify_yjs"),
            close(Closed::NotNeeded { reason: reason.into() }, "PC Brightwater-Jones"),
            "t",
            Utc::now(),
        )
        .unwrap();
    assert!(all_text(&f.path).contains("moved to Leeds"));
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention review", Utc::now()).unwrap();
    f.store.verify().unwrap().expect("verify passes after erasure");
    let text = all_text(&f.path);
    assert!(!text.contains("Leeds") && !text.contains("Olwen") && !text.contains("Brightwater"), "{text}");
    // The board still knows the tasks were closed, and how.
    let board = f.store.task_board(today()).unwrap();
    let victim = board.iter().find(|t| t.decision == seq && t.kind == "inform_victim").unwrap();
    assert!(matches!(&victim.status, jdp::domain::task_board::Status::Done { by, .. } if by == ERASED), "{victim:?}");
}

/// A letter is never written from an erased record ("The panel's decision about erased …").
#[test]
fn no_letter_is_written_from_an_erased_record() {
    let mut f = fixture();
    f.store.erase_after_retention(MONTHS, today(), "dpo", "retention review", Utc::now()).unwrap();
    let old2 = f.store.referral_id("OLD-2").unwrap().unwrap();
    let seq = f.store.decisions_for(old2).unwrap()[0].seq;
    let out =
        jdp(&f.path).args(["letter", &seq.to_string(), "--to", "carer"]).assert().failure().get_output().stderr.clone();
    assert!(String::from_utf8(out).unwrap().contains("erased after retention"));
    let young = f.store.referral_id("NEW-1").unwrap().unwrap();
    let seq = f.store.decisions_for(young).unwrap()[0].seq;
    jdp(&f.path).args(["letter", &seq.to_string(), "--to", "carer"]).assert().success();
}
