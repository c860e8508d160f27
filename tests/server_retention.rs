//! Issue 15 ("every command works against either backend"): retention on a server. The same
//! referrals are past retention as on a file with the same cases; `jdp retention --erase`, run
//! by the panel's owner, takes out the same details in the same way (format-2 details dropped,
//! hashed text through linked erasure records), logged once, and verify stays green; a chair is
//! refused and nothing changes; the server's guard lets through only that erasure.

mod common;
#[path = "common/pg.rs"]
mod pg;

use chrono::Utc;
use common::*;
use common::{jdp_keyed as jdp, ran as run};
use jdp::domain::erasure::ERASED;
use jdp::store::pg::PgStore;
use jdp::store::{Backend, Store};

const MONTHS: u16 = 72;

/// A review and a blind rating of decision `seq`, their observations naming the child.
fn reviewed(store: &mut dyn Backend, seq: i64, words: &str) {
    let review = jdp::scrutiny::ReviewRecord {
        sample: 1,
        decision: seq,
        rating: "appropriate".into(),
        observations: words.into(),
        learning_points: vec!["victims: ask earlier".into()],
        reviewers: vec!["Lay member".into()],
        actions: vec![],
    };
    jdp::scrutiny::record_review(&mut *store.as_chain(), &review, "scrutiny", Utc::now()).unwrap();
    let rating = blind_rating(1, seq, ("Lay member", "lay", "appropriate"));
    let rating = jdp::scrutiny::BlindRating { observations: format!("blind: {words}"), ..rating };
    jdp::scrutiny::record_blind_ratings(&mut *store.as_chain(), &[rating], "scrutiny", Utc::now()).unwrap();
}

/// Every text the server keeps about cases, as `tests/retention.rs` reads a file's.
fn all_text(c: &mut postgres::Client) -> String {
    let mut out = String::new();
    for sql in CASE_TEXTS {
        for r in c.query(sql, &[]).unwrap() {
            out.push_str(r.get::<_, &str>(0));
            out.push('\n');
        }
    }
    out
}

/// Each record but the erasure records (whose hashes differ: who recorded and when), as stored.
type Rows = Vec<(i64, String, String, Option<String>, bool)>;

fn file_rows(store: &Store) -> Rows {
    let c = sql(store);
    let mut stmt = c
        .prepare(
            "SELECT seq, kind, body, correction_reason, personal IS NULL FROM records WHERE kind <> 'erasure'
             ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn server_rows(c: &mut postgres::Client) -> Rows {
    c.query(
        "SELECT seq, kind, body, correction_reason, personal IS NULL FROM records WHERE kind <> 'erasure' ORDER BY seq",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
    .collect()
}

#[test]
fn retention_on_a_server_lists_and_erases_as_a_file_does_by_the_panels_owner_only() {
    let Some(cluster) = pg::cluster() else { return };
    let owner = cluster.fresh_db();
    let db = owner.rsplit('/').next().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    // The same cases, with the same reviews, on a file and on the server.
    let mut file = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
    let mut server = PgStore::open(&owner).unwrap();
    let (old, young) = retention_cases(&mut file);
    assert_eq!(retention_cases(&mut server), (old.clone(), young.clone()));
    for store in [&mut file as &mut dyn Backend, &mut server] {
        let seq_of = |store: &mut dyn Backend, r: &str| {
            let id = store.referral_id(r).unwrap().unwrap();
            store.decisions_for(id).unwrap()[0].seq
        };
        let (o, n) = (seq_of(store, "OLD-2"), seq_of(store, "NEW-1"));
        reviewed(store, o, "Olwen Brightwater's mother rang the panel");
        // A task closed with a reason naming the child.
        let closing = jdp::domain::task_board::TaskEvent {
            referral_id: 0,
            decision: 0,
            task: String::new(),
            closed: jdp::domain::task_board::Closed::NotNeeded { reason: "Olwen Brightwater moved to Leeds".into() },
            by: "PC Brightwater-Jones".into(),
            on: date("2020-01-01"),
        };
        store.close_task(&format!("{o}/notify_yjs"), closing, "t", Utc::now()).unwrap();
        reviewed(store, n, "Nadia Dunmore's school");
    }
    let today = chrono::Local::now().date_naive();
    let due = file.retention_due(MONTHS, today).unwrap();
    assert_eq!(server.retention_due(MONTHS, today).unwrap(), due, "the same referrals, records and state");
    assert_eq!(due.iter().map(|d| d.reference.as_str()).collect::<Vec<_>>(), ["OLD-1", "UND-OLD", "OLD-2", "OLD-3"]);
    assert_eq!(due[0].needs_link, vec![due[0].records[1]], "the correction's reason goes through a link");

    jdp(&owner, &keys).args(["server", "init"]).assert().success();
    cluster.admin(
        "postgres",
        "DO $$ BEGIN CREATE ROLE ret_chair LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    );
    jdp(&owner, &keys).args(["server", "grant", "ret_chair", "chair", "--panel-db", &db]).assert().success();
    let chair = cluster.url("ret_chair", &db);

    // A chair lists them by reference, with no name.
    let (ok, listed, err) = run(jdp(&chair, &keys).arg("retention"));
    assert!(ok, "{err}");
    assert!(listed.contains("4 referral(s) past retention") && listed.contains("OLD-1"), "{listed}");
    for (_, name) in old.iter().chain(&young) {
        assert!(!listed.contains(name.split(' ').nth(1).unwrap()), "{name} on the screen:\n{listed}");
    }
    // But may not erase: no role may change a record. Nothing changes, and it says who may.
    let mut c = postgres::Client::connect(&owner, postgres::NoTls).unwrap();
    let before = all_text(&mut c);
    let (ok, _, err) = run(jdp(&chair, &keys).args(["retention", "--erase", "--yes", "--reason", "review"]));
    assert!(!ok && err.contains("the panel's owner") && err.contains("Nothing was erased"), "{err}");
    assert_eq!(all_text(&mut c), before);
    assert!(before.contains("Oldest Ashworth was named wrongly") && before.contains("moved to Leeds"));

    // The owner erases; the file is erased the same day with the same reason.
    let (ok, said, err) =
        run(jdp(&owner, &keys).args(["retention", "--erase", "--yes", "--reason", "annual retention review"]));
    assert!(ok, "{err}");
    let on_file = file.erase_after_retention(MONTHS, today, "dpo", "annual retention review", Utc::now()).unwrap();
    let records = on_file.records.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    assert!(
        said.contains(&format!("Erased the personal details of 4 referral(s) and {} record(s)", on_file.records.len())),
        "{said}"
    );
    assert!(said.contains(&format!("records {records}")), "the same records as the file's: {records}\n{said}");
    assert!(said.contains("ok: verify still passes"), "{said}");
    server.verify().unwrap().expect("verify passes on the server after erasure");
    // What is left of every record is what is left of the file's.
    assert_eq!(server_rows(&mut c), file_rows(&file));
    let text = all_text(&mut c);
    for (_, name) in &old {
        assert!(!text.contains(name.split(' ').nth(1).unwrap()), "{name} left on the server");
    }
    for (_, name) in &young {
        assert!(text.contains(name.as_str()), "{name}, within retention, stays");
    }
    assert!(text.contains(ERASED) && !text.contains("Leeds"));
    // What a scrutiny panel reads of each decision is the file's: an erased case reads erased.
    let panel = default_panel();
    let decisions: Vec<i64> = file_rows(&file).iter().filter(|r| r.1 == "decision").map(|r| r.0).collect::<Vec<_>>();
    for &seq in &decisions {
        let kept = Backend::anonymised_case(&mut server, seq, &panel).unwrap().unwrap();
        assert_eq!(Some(kept.clone()), Backend::anonymised_case(&mut file, seq, &panel).unwrap(), "record {seq}");
        let text = serde_json::to_string(&kept).unwrap();
        assert_eq!(on_file.records.contains(&seq), !text.contains("Elm Road"), "record {seq}: {text}");
    }
    // Nor in the tables' pages: the rows' old versions are vacuumed away.
    c.batch_execute("CREATE EXTENSION IF NOT EXISTS pageinspect").unwrap();
    for table in ["referrals", "drafts"] {
        let pages: Vec<Vec<u8>> = c
            .query(
                &format!(
                    "SELECT get_raw_page('{table}', b::int) FROM generate_series(0, pg_relation_size('{table}') / 8192 - 1) b"
                ),
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let bytes = pages.concat();
        let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
        assert!(!has("Brightwater") && !has("Fairweather"), "{table}: an old version of an erased row is left");
        assert!(table != "referrals" || has("Dunmore"), "the young child's details are in the pages");
    }
    let log = server.access_log(1).unwrap();
    assert_eq!((log[0].action.as_str(), log[0].reason.as_str()), ("erase after retention", "annual retention review"));
    assert_eq!(log[0].actor, server.user(), "in the owner's name");
    assert!(server.retention_due(MONTHS, today).unwrap().iter().all(|d| d.erased));

    // Again: nothing left, nothing logged.
    let (ok, said, _) = run(jdp(&owner, &keys).args(["retention", "--erase", "--yes"]));
    assert!(ok && said.contains("Nothing left to erase."), "{said}");
    assert_eq!(server.access_log(1).unwrap()[0], log[0]);
    let again = server.erase_after_retention(MONTHS, today, "again", Utc::now()).unwrap();
    assert_eq!(again, jdp::store::Erasure::default(), "erasing again erases nothing");
    assert_eq!(server.access_log(1).unwrap()[0], log[0]);
}

/// The server's guard lets through only the erasure of personal details, even for the owner,
/// as the file's does; details removed by hand (the one change it lets through unlinked) fail
/// verify, since no erasure of them is in the access log.
#[test]
fn the_servers_guard_lets_through_only_the_erasure_of_personal_details() {
    let Some(cluster) = pg::cluster() else { return };
    let owner = cluster.fresh_db();
    let mut server = PgStore::open(&owner).unwrap();
    retention_cases(&mut server);
    let mut c = postgres::Client::connect(&owner, postgres::NoTls).unwrap();
    let young: i64 = c.query_one("SELECT min(seq) FROM records WHERE reference = 'NEW-1'", &[]).unwrap().get(0);
    let correction: i64 =
        c.query_one("SELECT seq FROM records WHERE correction_reason IS NOT NULL", &[]).unwrap().get(0);
    for (sql, seq) in [
        ("UPDATE records SET outcome = 'NFA' WHERE seq = $1", young),
        ("UPDATE records SET personal = NULL, personal_salt = NULL, outcome = 'NFA' WHERE seq = $1", young),
        ("UPDATE records SET personal = NULL, personal_salt = NULL, personal_digest = NULL WHERE seq = $1", young),
        ("UPDATE records SET personal = NULL, personal_salt = NULL, body = body || ' ' WHERE seq = $1", young),
        ("UPDATE records SET personal = '{}' WHERE seq = $1", young),
        ("UPDATE records SET personal = NULL WHERE seq = $1", young),
        ("UPDATE records SET format = NULL, personal = NULL, personal_salt = NULL WHERE seq = $1", young),
        ("UPDATE records SET correction_reason = 'erased after retention' WHERE seq = $1", correction),
        (
            "UPDATE records SET personal = NULL, personal_salt = NULL, correction_reason = NULL WHERE seq = $1",
            correction,
        ),
        ("DELETE FROM records WHERE seq = $1", young),
    ] {
        let e = c.execute(sql, &[&seq]).expect_err(sql);
        assert!(e.as_db_error().unwrap().message().contains("never"), "{sql}: {e}");
    }
    // A decision's anonymised case changes only when an erasure in the access log names it.
    let e = c.execute("UPDATE scrutiny_cases SET anonymised = '{}' WHERE seq = $1", &[&young]).expect_err("edited");
    assert!(e.as_db_error().unwrap().message().contains("never edited"), "{e}");
    server.verify().unwrap().expect("nothing changed");
    c.execute("UPDATE records SET personal = NULL, personal_salt = NULL WHERE seq = $1", &[&young]).unwrap();
    let failure = server.verify().unwrap().expect_err("details removed outside jdp");
    assert_eq!(failure.seq, young, "{failure}");
}
