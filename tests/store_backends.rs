//! The store's promises through its one interface (`store::Backend`), run against both
//! backends: the embedded SQLite file and a PostgreSQL server (a private cluster for this test
//! binary, see tests/common/pg.rs). Then what only a server has: guards against its superuser,
//! several writers at once on one chain, identity by login, and a newer schema refused.

mod common;
#[path = "common/pg.rs"]
mod pg;

use chrono::Utc;
use common::*;
use jdp::store::pg::PgStore;
use jdp::store::{Backend, Correction, Store, StoreError};

/// Defines `NAME::sqlite` and `NAME::postgres`, each running `$body` on a new, empty store.
macro_rules! on_both {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            use super::*;
            fn run($store: &mut dyn Backend) $body

            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                run(&mut Store::open(&dir.path().join("jdp.sqlite3")).unwrap());
            }

            #[test]
            fn postgres() {
                let Some(cluster) = pg::cluster() else { return };
                run(&mut PgStore::open(&cluster.fresh_db()).unwrap());
            }
        }
    };
}

fn referral(reference: &str) -> jdp::domain::referral::Referral {
    let mut r = good_case().referral;
    r.reference = reference.into();
    r
}

fn case(reference: &str) -> jdp::domain::referral::Case {
    let mut c = good_case();
    c.referral.reference = reference.into();
    c
}

on_both!(a_decision_is_recorded_read_back_and_chained, |store| {
    let id = store.add_referrals(&[good_case().referral], "tester", Utc::now()).unwrap()[0];
    let snap = snapshot_of(&good_case());
    let rec = store.record_decision(id, &snap, None, "chair", Utc::now()).unwrap();
    assert_eq!(rec.seq, 1);
    let row = store.decision(1).unwrap().unwrap();
    assert_eq!(row.snapshot, snap);
    assert_eq!(row.hash, rec.hash_hex());
    assert_eq!(row.referral_id, Some(id));
    let report = store.verify().unwrap().unwrap();
    assert_eq!((report.checked, report.head), (1, rec.hash_hex()));
    let summary = store.summary().unwrap();
    assert_eq!((summary.referrals, summary.records, summary.head_hash), (1, 1, rec.hash_hex()));
});

on_both!(a_second_decision_is_refused_and_a_correction_supersedes, |store| {
    let id = store.add_referrals(&[good_case().referral], "tester", Utc::now()).unwrap()[0];
    let first = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    let again = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now());
    assert!(matches!(again, Err(StoreError::AlreadyDecided { seq: 1, .. })), "{again:?}");
    let mut corrected = good_case();
    corrected.decision.rationale = "Corrected rationale: the apology letter was the victim's wish".into();
    let snap = snapshot_of(&corrected);
    let blank = store.record_decision(id, &snap, Some(Correction { supersedes: 1, reason: " " }), "c", Utc::now());
    assert!(matches!(blank, Err(StoreError::Refused(m)) if m.contains("needs a reason")));
    let second = store
        .record_decision(id, &snap, Some(Correction { supersedes: first.seq, reason: "Wrong case" }), "c", Utc::now())
        .unwrap();
    assert_eq!(second.seq, 2);
    let rows = store.decisions_for(id).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].superseded_by, Some(2), "the original stays readable, marked superseded");
    assert_eq!(rows[1].supersedes, Some(1));
    assert_eq!(rows[1].snapshot.case.decision.rationale, corrected.decision.rationale);
    let twice = store.record_decision(id, &snap, Some(Correction { supersedes: 1, reason: "again" }), "c", Utc::now());
    assert!(matches!(twice, Err(StoreError::Refused(m)) if m.contains("already superseded by record 2")));
    assert_eq!(store.verify().unwrap().unwrap().checked, 2);
});

// Issue 15: what a scrutiny reviewer reads of a decision, and of a correction with what it
// changed: anonymised as it is read from a file, kept with the record on a server (where a
// scrutiny login may read no body). The same on both, labelled by the panel the store was given.
on_both!(a_decision_and_its_correction_read_anonymised_as_recorded, |store| {
    let mut panel = default_panel();
    panel.outcomes.iter_mut().find(|o| o.code == "CR").unwrap().label =
        "Community resolution (our panel's name)".into();
    store.use_panel(&panel);
    let id = store.add_referrals(&[good_case().referral], "tester", Utc::now()).unwrap()[0];
    let first = snapshot_of(&good_case());
    store.record_decision(id, &first, None, "chair", Utc::now()).unwrap();
    let mut corrected = good_case();
    corrected.decision.rationale = "Corrected: the apology letter was the victim's wish".into();
    let snap = snapshot_of(&corrected);
    let why = "Wrong rationale typed";
    store.record_decision(id, &snap, Some(Correction { supersedes: 1, reason: why }), "chair", Utc::now()).unwrap();
    let read = store.anonymised_case(1, &panel).unwrap().unwrap();
    assert_eq!(read, jdp::report::case_view::anonymised(&first, None, &panel));
    assert!(read.heading.contains("our panel's name"), "labelled by the store's panel: {}", read.heading);
    let read = store.anonymised_case(2, &panel).unwrap().unwrap();
    assert_eq!(read, jdp::report::case_view::anonymised(&snap, Some((why, &first)), &panel));
    let (reason, changed) = read.correction.clone().expect("a correction says what it changed");
    assert_eq!(reason, why);
    assert!(changed.iter().any(|(f, _, now)| f == "Rationale" && now.starts_with("Corrected")), "{changed:?}");
    let name = good_case().referral.child.name;
    assert!(!format!("{read:?}").contains(&name), "no name in what a reviewer reads");
    assert!(store.anonymised_case(99, &panel).unwrap().is_none(), "not a decision");
});

on_both!(import_is_all_or_nothing_and_references_are_unique_as_read, |store| {
    store.add_referrals(&[referral("JDP-TEST-0001")], "t", Utc::now()).unwrap();
    let err = store.add_referrals(&[referral("JDP-TEST-0002"), referral("jdp-test-0001 ")], "t", Utc::now());
    assert!(err.unwrap_err().to_string().contains("jdp-test-0001"));
    assert_eq!(store.summary().unwrap().referrals, 1, "the good referral in the failed batch was not kept");
    let found = store.existing_references(&["JDP-TEST-0002", "Jdp-Test-0001"]).unwrap();
    assert_eq!(found, vec![("Jdp-Test-0001".to_string(), "JDP-TEST-0001".to_string())]);
    assert_eq!(store.referral_id("JDP-TEST-0002").unwrap(), None);
});

on_both!(the_access_log_names_what_was_done_newest_first, |store| {
    let id = store.add_referrals(&[good_case().referral], "tester", Utc::now()).unwrap()[0];
    store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    store.log_access("chair", "export", "decisions, CSV", "scrutiny", Utc::now()).unwrap();
    let log = store.access_log(10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["export", "record", "import"]);
    assert_eq!(log[1].target, "record 1 (JDP-TEST-0001)");
    assert!(store.verify().unwrap().is_ok());
});

on_both!(a_decision_for_another_referral_or_a_missing_one_is_refused, |store| {
    let ids = store.add_referrals(&[referral("JDP-TEST-0001"), referral("JDP-TEST-0002")], "t", Utc::now()).unwrap();
    let wrong = store.record_decision(ids[1], &snapshot_of(&case("JDP-TEST-0001")), None, "c", Utc::now());
    assert!(matches!(wrong, Err(StoreError::Refused(m)) if m.contains("is JDP-TEST-0002")));
    let missing = store.record_decision(999, &snapshot_of(&case("JDP-TEST-0001")), None, "c", Utc::now());
    assert!(matches!(missing, Err(StoreError::Refused(m)) if m.contains("no referral with id 999")));
    assert_eq!(store.summary().unwrap().records, 0);
});

on_both!(drafts_are_versioned_and_never_overwrite_another_screens_and_recording_clears_them, |store| {
    let id = store.add_referrals(&[good_case().referral], "tester", Utc::now()).unwrap()[0];
    assert!(store.draft(id).unwrap().is_none());
    let mut case = good_case();
    case.research.history = "Two previous stop searches, no further action".into();
    let v1 = store.save_draft_if(id, "victim", &case, None, Utc::now()).unwrap();
    assert_eq!(v1, 1);
    let draft = store.draft(id).unwrap().unwrap();
    assert_eq!((draft.step.as_str(), draft.version, &draft.case), ("victim", 1, &case));
    // Another screen that also began from "no draft" is refused, and the first screen's stands.
    let other = store.save_draft_if(id, "research", &good_case(), None, Utc::now());
    assert!(matches!(other, Err(StoreError::DraftChanged { .. })), "{other:?}");
    let v2 = store.save_draft_if(id, "needs", &case, Some(v1), Utc::now()).unwrap();
    assert_eq!(v2, 2);
    let stale = store.save_draft_if(id, "research", &good_case(), Some(v1), Utc::now());
    assert!(matches!(stale, Err(StoreError::DraftChanged { .. })), "{stale:?}");
    assert_eq!(store.draft(id).unwrap().unwrap().step, "needs");
    assert_eq!(store.summary().unwrap().in_progress, 1);
    store.record_decision(id, &snapshot_of(&case), None, "chair", Utc::now()).unwrap();
    assert!(store.draft(id).unwrap().is_none(), "recording clears the draft in the same transaction");
    let late = store.save_draft_if(id, "needs", &case, Some(v2), Utc::now());
    assert!(
        matches!(late, Err(StoreError::DecidedMeanwhile { .. })),
        "a screen still open on a recorded case: {late:?}"
    );
    // A newcomer's finding: "o" (save mine over theirs, from nothing) then brought the decided
    // referral back as a draft "being prepared". A decided referral takes no draft, said so.
    let over = store.save_draft_if(id, "needs", &case, None, Utc::now());
    assert!(matches!(over, Err(StoreError::DecidedMeanwhile { seq: 1, .. })), "{over:?}");
    let said = over.unwrap_err().to_string();
    assert!(said.contains("decided elsewhere (record 1)") && said.contains("not saved"), "{said}");
    assert!(store.draft(id).unwrap().is_none(), "no draft of a decided referral");
    assert_eq!(store.summary().unwrap().in_progress, 0);
});

#[test]
fn on_a_server_two_workstations_saving_one_draft_at_once_never_overwrite_each_other() {
    let Some((_, url)) = server() else { return };
    let id = PgStore::open(&url).unwrap().add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    const DESKS: usize = 4;
    let mut store = PgStore::open(&url).unwrap();
    // Version 1, which every desk then reads and types over at the same moment.
    store.save_draft_if(id, "victim", &good_case(), None, Utc::now()).unwrap();
    let outcomes: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..DESKS)
            .map(|desk| {
                let url = &url;
                s.spawn(move || {
                    let mut store = PgStore::open(url).unwrap();
                    let mut case = good_case();
                    case.research.history = format!("typed at desk {desk}");
                    store.save_draft_if(id, "research", &case, Some(1), Utc::now()).is_ok()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "exactly one desk saves over version 1: {outcomes:?}");
    let winner = outcomes.iter().position(|ok| *ok).unwrap();
    let draft = store.draft(id).unwrap().unwrap();
    assert_eq!((draft.version, draft.case.research.history), (2, format!("typed at desk {winner}")));
}

/// Two desks closing the same follow-up tasks at the same moment: each task is closed once, by
/// one of them; the other is refused as "already closed", never a second closing in the chain.
fn two_desks_closing_the_same_tasks_close_each_once(open: &(dyn Fn() -> Box<dyn Backend> + Sync)) {
    use jdp::domain::task_board::{Closed, TaskEvent};
    const TASKS: usize = 12;
    let mut store = open();
    let refs: Vec<String> = (0..TASKS).map(|i| format!("JDP-T-{i:04}")).collect();
    let ids = store.add_referrals(&refs.iter().map(|r| referral(r)).collect::<Vec<_>>(), "t", Utc::now()).unwrap();
    let seqs: Vec<i64> = ids
        .iter()
        .zip(&refs)
        .map(|(id, r)| store.record_decision(*id, &snapshot_of(&case(r)), None, "chair", Utc::now()).unwrap().seq)
        .collect();
    let on = chrono::Utc::now().date_naive();
    let start = std::sync::Barrier::new(2);
    let closed_by: Vec<Vec<bool>> = std::thread::scope(|s| {
        let desks: Vec<_> = (0..2)
            .map(|desk| {
                let (start, seqs) = (&start, &seqs);
                s.spawn(move || {
                    let mut store = open();
                    start.wait();
                    seqs.iter()
                        .map(|seq| {
                            let event = TaskEvent {
                                referral_id: 0,
                                decision: 0,
                                task: String::new(),
                                closed: Closed::Done,
                                by: format!("desk {desk}"),
                                on,
                            };
                            match store.close_task(&format!("{seq}/notify_yjs"), event, "t", Utc::now()) {
                                Ok(_) => true,
                                Err(e) => {
                                    assert!(e.to_string().contains("already closed"), "{e}");
                                    false
                                }
                            }
                        })
                        .collect()
                })
            })
            .collect();
        desks.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, seq) in seqs.iter().enumerate() {
        assert!(
            closed_by[0][i] ^ closed_by[1][i],
            "task {seq}/notify_yjs closed by {:?}",
            (closed_by[0][i], closed_by[1][i])
        );
    }
    let (_, closings) = store.task_inputs_at(i64::MAX).unwrap();
    assert_eq!(closings.len(), TASKS, "one closing per task in the chain");
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn two_desks_closing_the_same_tasks_close_each_once_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    two_desks_closing_the_same_tasks_close_each_once(&|| Box::new(Store::open(&path).unwrap()));
}

#[test]
fn two_desks_closing_the_same_tasks_close_each_once_on_a_server() {
    let Some((_, url)) = server() else { return };
    two_desks_closing_the_same_tasks_close_each_once(&|| Box::new(PgStore::open(&url).unwrap()));
}

on_both!(a_review_joins_the_chain_after_the_decisions_and_verifies, |store| {
    let id = store.add_referrals(&[good_case().referral], "tester", Utc::now()).unwrap()[0];
    let decided = store.record_decision(id, &snapshot_of(&good_case()), None, "chair", Utc::now()).unwrap();
    let review = store.append_record("review", r#"{"sample":1,"note":"sound"}"#.into(), "lay", Utc::now()).unwrap();
    assert_eq!(review.seq, decided.seq + 1);
    assert!(store.decision(review.seq).unwrap().is_none(), "a review is not a decision");
    let report = store.verify().unwrap().unwrap();
    assert_eq!((report.checked, report.head), (2, review.hash_hex()));
    assert_eq!(store.access_log(1).unwrap()[0].action, "review");
});

on_both!(a_sitting_is_saved_once_per_date_and_its_attendance_replaced, |store| {
    use jdp::domain::referral::{Member, PanelSession};
    let day = date("2026-11-23");
    assert!(store.session_on(day).unwrap().is_none());
    let mut sitting = PanelSession {
        held_on: Some(day),
        chair: "  Chair Jones ".into(),
        members: vec![Member { name: "PC Jones".into(), agency: "police".into(), role: "YJS police officer".into() }],
        apologies: vec!["Victim liaison".into()],
        observers: vec![],
    };
    let id = store.save_session(&sitting, day, Utc::now()).unwrap();
    sitting.observers.push("Student social worker".into());
    assert_eq!(store.save_session(&sitting, day, Utc::now()).unwrap(), id, "one sitting per date");
    let read = store.session_on(day).unwrap().unwrap();
    assert_eq!(read.chair, "Chair Jones");
    assert_eq!((read.members, read.apologies, read.observers), (sitting.members, sitting.apologies, sitting.observers));
    assert!(store.session_on(date("2026-11-24")).unwrap().is_none());
});

// ---- What only a server has ----

fn server() -> Option<(&'static pg::Cluster, String)> {
    let cluster = pg::cluster()?;
    Some((cluster, cluster.fresh_db()))
}

fn raw(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

#[test]
fn on_a_server_the_guards_hold_against_the_superuser_and_verify_names_a_disabled_one() {
    let Some((_, url)) = server() else { return };
    let mut store = PgStore::open(&url).unwrap();
    let id = store.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    store.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    let mut c = raw(&url);
    for sql in [
        "UPDATE records SET outcome = 'NFA' WHERE seq = 1",
        "DELETE FROM records WHERE seq = 1",
        "TRUNCATE records CASCADE",
        "UPDATE access_log SET actor = 'someone else'",
        "DELETE FROM access_log",
        "TRUNCATE access_log",
    ] {
        let err = c.batch_execute(sql).unwrap_err();
        let msg = err.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
        assert!(msg.contains("never") || msg.contains("append-only"), "{sql}: {err}");
    }
    assert!(store.verify().unwrap().is_ok());
    // An owner can switch a guard off and edit: verify says the guard is gone, and, with the
    // guard back, which record no longer matches its hash.
    c.batch_execute("ALTER TABLE records DISABLE TRIGGER records_no_update; UPDATE records SET outcome = 'NFA'")
        .unwrap();
    let failure = store.verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, 1, "{failure}");
    assert!(failure.problem.contains("content does not match its hash"), "{failure}");
    // A guard switched off is named even when nothing has been edited yet.
    let (_, url2) = server().unwrap();
    let mut other = PgStore::open(&url2).unwrap();
    raw(&url2).batch_execute("ALTER TABLE access_log DISABLE TRIGGER access_log_no_delete").unwrap();
    let failure = other.verify().unwrap().unwrap_err();
    assert!(
        failure.problem.contains("access_log_no_delete") && failure.problem.contains("missing or disabled"),
        "{failure}"
    );
}

/// A guard can be defeated without switching it off: its function replaced by one that lets
/// everything through, its trigger made again on another event, or a function a guard relies on
/// replaced or shadowed. Verify compares each with what jdp's migrations made, and names it.
#[test]
fn on_a_server_verify_names_a_guard_whose_function_or_trigger_was_replaced() {
    let defeats: &[(&str, &str)] = &[
        (
            "CREATE OR REPLACE FUNCTION jdp_records_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RETURN NEW; END $$",
            "records_no_update",
        ),
        (
            "DROP TRIGGER records_no_delete ON records;
             CREATE TRIGGER records_no_delete BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION jdp_refuse()",
            "records_no_delete",
        ),
        (
            "DROP TRIGGER access_log_no_update ON access_log;
             CREATE FUNCTION jdp_allow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
             CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION jdp_allow()",
            "access_log_no_update",
        ),
        (
            "CREATE OR REPLACE FUNCTION jdp_copying(rel oid) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT true $$",
            "jdp_copying",
        ),
        (
            "CREATE SCHEMA sly; CREATE FUNCTION sly.jdp_in_role(role_name text) RETURNS boolean LANGUAGE sql AS $$ SELECT false $$",
            "jdp_in_role",
        ),
        ("DROP TRIGGER scrutiny_cases_no_delete ON scrutiny_cases", "scrutiny_cases_no_delete"),
    ];
    for (sql, named) in defeats {
        let Some((_, url)) = server() else { return };
        let mut store = PgStore::open(&url).unwrap();
        let id = store.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
        store.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
        assert!(store.verify().unwrap().is_ok(), "as jdp made it");
        raw(&url).batch_execute(sql).unwrap();
        let failure = store.verify().unwrap().unwrap_err();
        assert!(failure.problem.contains(named), "{sql}: {failure}");
        assert_eq!(failure.seq, 0, "{failure}");
    }
}

#[test]
fn on_a_server_a_record_names_the_login_whatever_the_client_says() {
    let Some((cluster, url)) = server() else { return };
    let mut store = PgStore::open(&url).unwrap();
    let id = Backend::add_referrals(&mut store, &[good_case().referral], "somebody else", Utc::now()).unwrap()[0];
    Backend::record_decision(&mut store, id, &snapshot_of(&good_case()), None, "somebody else", Utc::now()).unwrap();
    assert_eq!(store.decision(1).unwrap().unwrap().recorded_by, cluster.superuser);
    assert!(store.access_log(10).unwrap().iter().all(|e| e.actor == cluster.superuser));
    // A client writing SQL of its own cannot put another name on a record either.
    let mut c = raw(&url);
    let err = c
        .batch_execute(
            "INSERT INTO access_log (id, at, actor, action, target, reason) VALUES (99, 'now', 'chair', 'x', 'y', 'z')",
        )
        .unwrap_err();
    assert!(err.as_db_error().unwrap().message().contains("names the database user"), "{err}");
}

#[test]
fn on_a_server_several_writers_at_once_make_one_chain() {
    let Some((_, url)) = server() else { return };
    const WRITERS: usize = 10;
    const EACH: usize = 20;
    let refs: Vec<String> = (0..WRITERS * EACH).map(|i| format!("JDP-W-{i:04}")).collect();
    let ids = PgStore::open(&url)
        .unwrap()
        .add_referrals(&refs.iter().map(|r| referral(r)).collect::<Vec<_>>(), Utc::now())
        .unwrap();
    let snaps: Vec<_> = refs.iter().map(|r| snapshot_of(&case(r))).collect();
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let (url, ids, snaps) = (&url, &ids, &snaps);
            s.spawn(move || {
                let mut store = PgStore::open(url).unwrap();
                for i in (w * EACH)..((w + 1) * EACH) {
                    store.record_decision(ids[i], &snaps[i], None, Utc::now()).unwrap();
                }
            });
        }
    });
    let mut store = PgStore::open(&url).unwrap();
    let report = store.verify().unwrap().unwrap();
    assert_eq!(report.checked, (WRITERS * EACH) as i64, "every decision in one unbroken chain");
    for (id, r) in ids.iter().zip(&refs) {
        assert_eq!(&store.decisions_for(*id).unwrap()[0].snapshot.case.referral.reference, r);
    }
}

#[test]
fn a_server_database_from_a_newer_jdp_is_refused() {
    let Some((_, url)) = server() else { return };
    drop(PgStore::open(&url).unwrap());
    raw(&url)
        .batch_execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (99, 'later', 'now', '0')",
        )
        .unwrap();
    let err = PgStore::open(&url).err().expect("refused");
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err}");
}

// Issue 15: `jdp demo-data` fills a new store, either backend, with the generator's decisions
// (corrections among them) marked synthetic: every decision reads back as generated, has its
// anonymised case for scrutiny, the chain verifies, and real referrals are refused after it.
on_both!(demo_data_fills_a_new_store_marked_synthetic_read_back_as_generated, |store| {
    use rand::SeedableRng;
    let panel = default_panel();
    let generate = || {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        (0..300).map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30"))).collect::<Vec<_>>()
    };
    let items = generate();
    let corrections = items.iter().filter(|d| d.correction.is_some()).count() as u64;
    assert!(corrections > 0, "the generator corrects some decisions");
    let written = store.insert_demo(&mut generate().into_iter(), "tester", Utc::now()).unwrap();
    assert_eq!(written, 300 + corrections);
    let summary = store.summary().unwrap();
    assert_eq!((summary.referrals, summary.records as u64, summary.synthetic), (300, written, true));
    let report = store.verify().unwrap().unwrap();
    assert_eq!(report.checked as u64, written);
    // Each decision, in chain order, is the generated one; a correction follows its original.
    let mut seq = 0;
    for item in &items {
        seq += 1;
        let row = store.decision(seq).unwrap().unwrap();
        assert_eq!(row.snapshot, item.decision, "record {seq}");
        assert!(row.synthetic, "record {seq} is marked synthetic");
        assert!(store.anonymised_case(seq, &panel).unwrap().is_some(), "record {seq} anonymised");
        if let Some((snap, reason)) = &item.correction {
            seq += 1;
            let row = store.decision(seq).unwrap().unwrap();
            assert_eq!(
                (row.snapshot.clone(), row.supersedes, row.correction_reason.as_deref()),
                (snap.clone(), Some(seq - 1), Some(reason.as_str()))
            );
            let case = store.anonymised_case(seq, &panel).unwrap().unwrap();
            assert!(format!("{case:?}").contains(reason.as_str()), "the correction's case says why");
        }
    }
    let real = store.add_referrals(&[referral("JDP-REAL-1")], "tester", Utc::now());
    assert!(real.is_err(), "no real referral in a demonstration store: {real:?}");
    // More demo data adds to it, on the same chain.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(10);
    let mut more = (300..310).map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30")));
    let added = store.insert_demo(&mut more, "tester", Utc::now()).unwrap();
    assert_eq!(store.verify().unwrap().unwrap().checked as u64, written + added);
});

on_both!(demo_data_refuses_a_store_with_real_referrals, |store| {
    use rand::SeedableRng;
    store.add_referrals(&[referral("JDP-REAL-1")], "tester", Utc::now()).unwrap();
    let panel = default_panel();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let mut items = (0..5).map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30")));
    let err = store.insert_demo(&mut items, "tester", Utc::now()).unwrap_err();
    assert!(err.to_string().contains("real referral"), "{err}");
    let summary = store.summary().unwrap();
    assert_eq!((summary.referrals, summary.records, summary.synthetic), (1, 0, false));
});

/// The board report counts decisions by columns beside the hashed record: on a server, as on a
/// file, `verify` holds each to what the decision's hashed body says, and names a forged one.
#[test]
fn on_a_server_verify_names_a_decision_whose_report_columns_were_forged() {
    let Some((_, url)) = server() else { return };
    let mut store = PgStore::open(&url).unwrap();
    let mut case = good_case();
    case.referral.reference = "JDP-FORGE-1".into();
    case.needs.assessed_on = Some(date("2026-11-02"));
    let id = store.add_referrals(&[case.referral.clone()], Utc::now()).unwrap()[0];
    let snap = snapshot_of(&case);
    assert!(snap.victim_rj().is_some() && snap.case.needs.assessed_on.is_some(), "the case fills every column");
    store.record_decision(id, &snap, None, Utc::now()).unwrap();
    assert!(store.verify().unwrap().is_ok());
    for (column, forged) in [("panel_version", "'forged'"), ("victim_rj", "NULL"), ("assessed_on", "'2020-01-01'")] {
        let mut c = raw(&url);
        let saved: Option<String> =
            c.query_one(&format!("SELECT {column} FROM records WHERE seq = 1"), &[]).unwrap().get(0);
        c.batch_execute(&format!(
            "ALTER TABLE records DISABLE TRIGGER records_no_update; UPDATE records SET {column} = {forged} WHERE seq = 1;
             ALTER TABLE records ENABLE TRIGGER records_no_update"
        ))
        .unwrap();
        let failure = store.verify().unwrap().unwrap_err();
        assert_eq!(failure.seq, 1, "{column}: {failure}");
        assert!(failure.problem.contains("index columns"), "{column}: {failure}");
        c.batch_execute(&format!(
            "ALTER TABLE records DISABLE TRIGGER records_no_update; UPDATE records SET {column} = {} WHERE seq = 1;
             ALTER TABLE records ENABLE TRIGGER records_no_update",
            saved.map_or("NULL".to_string(), |s| format!("'{s}'"))
        ))
        .unwrap();
        assert!(store.verify().unwrap().is_ok(), "{column} put back");
    }
}

/// A server's verify reads the next batch of records while it checks this one: a record changed
/// early in a long chain is named at once (the reading stops), one changed at its end is found
/// after every batch, and a chain left alone passes whole.
/// A chain long enough to be read in batches ahead, and in two halves on two connections; its
/// length.
fn long_chain(url: &str) -> (PgStore, i64) {
    use rand::SeedableRng;
    let panel = default_panel();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let mut decisions = (0..4_500).map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30")));
    let mut store = PgStore::open(url).unwrap();
    jdp::store::Backend::insert_demo(&mut store, &mut decisions, "tester", Utc::now()).unwrap();
    let last = store.verify().unwrap().expect("the chain passes whole").checked;
    assert!(last > 4_000, "more batches than are read ahead, and two halves: {last}");
    (store, last)
}

/// Where the halves meet, a link broken or a record missing is named as one walk would name it.
#[test]
fn on_a_server_verify_holds_the_later_half_to_the_earlier_where_they_meet() {
    let Some((_, url)) = server() else { return };
    let (mut store, last) = long_chain(&url);
    let meet = last / 2 + 1;
    raw(&url)
        .batch_execute(&format!(
            "SET session_replication_role = replica;
             UPDATE records SET prev_hash = hash WHERE seq = {meet}"
        ))
        .unwrap();
    let failure = store.verify().unwrap().unwrap_err();
    assert_eq!((failure.seq, failure.checked), (meet, meet - 1), "{failure}");
    assert!(failure.problem.contains("link"), "{failure}");
    raw(&url)
        .batch_execute(&format!(
            "SET session_replication_role = replica;
             DELETE FROM scrutiny_cases WHERE seq = {meet}; DELETE FROM records WHERE seq = {meet}"
        ))
        .unwrap();
    let failure = store.verify().unwrap().unwrap_err();
    assert_eq!((failure.seq, failure.checked), (meet, meet - 1), "{failure}");
    assert_eq!(failure.problem, format!("is missing (the next record is {})", meet + 1));
}

#[test]
fn on_a_server_verify_reads_ahead_and_still_names_the_first_changed_record() {
    let Some((_, url)) = server() else { return };
    let (mut store, last) = long_chain(&url);
    // The bodies verify reads are compressed with lz4 (migration 12), which the server undoes
    // several times faster than its default.
    let methods: Vec<String> = raw(&url)
        .query(
            "SELECT DISTINCT pg_column_compression(body) FROM records WHERE pg_column_compression(body) IS NOT NULL",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(methods, ["lz4"]);
    // The end first, then where the second connection's half begins, then the start: the first
    // changed record is named each time.
    for seq in [last, last / 2 + 1, 2] {
        raw(&url)
            .batch_execute(&format!(
                "ALTER TABLE records DISABLE TRIGGER records_no_update;
                 UPDATE records SET outcome = 'NFA' WHERE seq = {seq} AND outcome <> 'NFA';
                 UPDATE records SET outcome = 'YC' WHERE seq = {seq} AND outcome = 'NFA';
                 ALTER TABLE records ENABLE TRIGGER records_no_update"
            ))
            .unwrap();
        let failure = store.verify().unwrap().unwrap_err();
        assert_eq!((failure.seq, failure.checked), (seq, seq - 1), "{failure}");
    }
}

/// On a long chain the referral facts are checked on a connection of their own while the chain
/// is walked: the first decision (by record) whose referral was changed since is named, and a
/// failure of the chain itself is still named before it, as one connection would name them.
#[test]
fn on_a_server_verify_checks_the_referral_facts_beside_the_walk_and_names_failures_in_order() {
    let Some((_, url)) = server() else { return };
    let (mut store, last) = long_chain(&url);
    let mut c = raw(&url);
    let decisions: Vec<(i64, i64)> = c
        .query("SELECT seq, referral_id FROM records WHERE kind = 'decision' ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let (early, late) = (decisions[1], decisions[decisions.len() - 2]);
    c.execute("UPDATE referrals SET referral_date = '2020-01-02' WHERE id = $1", &[&late.1]).unwrap();
    let failure = store.verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, late.0, "{failure}");
    assert!(failure.problem.contains("relied on referral facts"), "{failure}");
    c.execute("UPDATE referrals SET referral_date = '2020-01-02' WHERE id = $1", &[&early.1]).unwrap();
    let failure = store.verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, early.0, "the first by record: {failure}");
    // The chain broken at its end: named first, the referral facts after.
    c.batch_execute(&format!(
        "ALTER TABLE records DISABLE TRIGGER records_no_update;
         UPDATE records SET recorded_by = 'someone else' WHERE seq = {last};
         ALTER TABLE records ENABLE TRIGGER records_no_update"
    ))
    .unwrap();
    let failure = store.verify().unwrap().unwrap_err();
    assert_eq!(failure.seq, last, "{failure}");
    assert!(!failure.problem.contains("referral"), "{failure}");
}
