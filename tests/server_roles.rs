//! People and roles on a server, with real logins (tests/common/pg.rs starts the cluster; its
//! logins authenticate by trust on the cluster's private socket): what each role can and cannot
//! do is enforced by the server's privileges, whatever a client sends.

mod common;
#[path = "common/pg.rs"]
mod pg;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::store::pg::PgStore;

fn jdp(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("JDP_PANEL").env("JDP_DB", url);
    c
}

/// The logins every test uses, made once per cluster.
const PEOPLE: [(&str, &str); 5] =
    [("alice", "chair"), ("bob", "member"), ("carol", "scrutiny"), ("dave", "trainer"), ("erin", "admin")];

/// Roles and their memberships are server-wide: two inits at once can collide on them ("tuple
/// concurrently updated"), so this binary's tests make their panels one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A panel database made ready by `jdp server init`, its name, and the people granted on it.
fn panel(cluster: &pg::Cluster) -> (String, String) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let owner_url = cluster.fresh_db();
    let db = owner_url.rsplit('/').next().unwrap().to_string();
    jdp(&owner_url).args(["server", "init"]).assert().success();
    for (user, _) in PEOPLE {
        // Logins are server-wide: made by the first test that needs them.
        cluster.admin(
            "postgres",
            &format!("DO $$ BEGIN CREATE ROLE {user} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"),
        );
    }
    for (user, role) in PEOPLE {
        jdp(&owner_url).args(["server", "grant", user, role, "--panel-db", &db]).assert().success();
    }
    (owner_url, db)
}

fn as_user(cluster: &pg::Cluster, user: &str, db: &str) -> String {
    cluster.url(user, db)
}

fn raw(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// The server's message for a statement it refused; panics if it was allowed.
fn refused(c: &mut postgres::Client, sql: &str) -> String {
    let e = c.batch_execute(sql).expect_err(sql);
    e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string())
}

#[test]
fn a_member_prepares_referrals_but_cannot_record_and_a_chair_records_in_their_own_name() {
    let Some(cluster) = pg::cluster() else { return };
    let (owner, db) = panel(cluster);
    let mut bob = PgStore::open(&as_user(cluster, "bob", &db)).unwrap();
    let id = bob.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    let err = bob.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap_err();
    assert!(err.to_string().contains("permission denied for table records"), "{err}");
    let mut alice = PgStore::open(&as_user(cluster, "alice", &db)).unwrap();
    // The chair holds the sitting (and may correct its attendance); a member may not.
    let sitting = jdp::domain::referral::PanelSession { chair: "alice".into(), ..Default::default() };
    let day = date("2026-11-23");
    let err = bob.save_session(&sitting, day, Utc::now()).unwrap_err();
    assert!(err.to_string().contains("permission denied for table panel_sessions"), "{err}");
    let s1 = alice.save_session(&sitting, day, Utc::now()).unwrap();
    assert_eq!(alice.save_session(&sitting, day, Utc::now()).unwrap(), s1);
    let rec = alice.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    assert_eq!(alice.decision(rec.seq).unwrap().unwrap().recorded_by, "alice");
    let log = alice.access_log(10).unwrap();
    assert_eq!(
        log.iter().map(|e| (e.actor.as_str(), e.action.as_str())).collect::<Vec<_>>(),
        [("alice", "record"), ("bob", "import")]
    );
    assert_eq!(PgStore::open(&owner).unwrap().verify().unwrap().unwrap().checked, 1);
}

#[test]
fn no_role_can_alter_or_remove_a_record_or_an_access_log_entry() {
    let Some(cluster) = pg::cluster() else { return };
    let (owner, db) = panel(cluster);
    let mut store = PgStore::open(&owner).unwrap();
    let id = store.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    store.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    for (user, role) in PEOPLE {
        let mut c = raw(&as_user(cluster, user, &db));
        for sql in [
            "UPDATE records SET outcome = 'NFA'",
            "DELETE FROM records",
            "UPDATE access_log SET actor = 'x'",
            "DELETE FROM access_log",
        ] {
            let msg = refused(&mut c, sql);
            assert!(msg.contains("permission denied"), "{role}: {sql}: {msg}");
        }
        // The settings: refused outright, or (for a role that updates the chain's anchors)
        // matching no row it may change.
        match c.execute("UPDATE meta SET value = '1' WHERE key = 'synthetic'", &[]) {
            Ok(n) => assert_eq!(n, 0, "{role} changed the store's settings"),
            Err(e) => assert!(e.as_db_error().unwrap().message().contains("permission denied"), "{role}: {e}"),
        }
    }
    assert!(!store.is_synthetic().unwrap());
    // The owner's own edit is refused by the guards.
    let msg = refused(&mut raw(&owner), "UPDATE records SET outcome = 'NFA'");
    assert!(msg.contains("never edited"), "{msg}");
    assert!(store.verify().unwrap().is_ok());
}

/// A panel whose chain holds the good case's decision (made on 2026-11-23), opened by its owner.
fn panel_with_the_good_case_decided(cluster: &pg::Cluster) -> (PgStore, String) {
    let (owner, db) = panel(cluster);
    let mut store = PgStore::open(&owner).unwrap();
    let id = store.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    store.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    (store, db)
}

#[test]
fn scrutiny_sees_anonymised_decisions_only_and_no_referral_table_at_all() {
    let Some(cluster) = pg::cluster() else { return };
    let (mut store, db) = panel_with_the_good_case_decided(cluster);
    let mut carol = raw(&as_user(cluster, "carol", &db));
    for sql in [
        "SELECT * FROM referrals",
        "SELECT * FROM drafts",
        "SELECT * FROM correction_drafts",
        "SELECT body FROM records",
        "SELECT personal FROM records",
        "SELECT reference FROM records",
        "SELECT * FROM records",
        "SELECT target FROM access_log",
        // When a record was written, or a head signed (the screen signs after each decision),
        // says the day it was decided as surely as its date.
        "SELECT recorded_at FROM records",
        "SELECT at FROM access_log",
        "SELECT signed_at, head_seq FROM signatures",
    ] {
        let msg = refused(&mut carol, sql);
        assert!(msg.contains("permission denied"), "{sql}: {msg}");
    }
    let rows = carol.query("SELECT row_to_json(d)::text FROM scrutiny_decisions d", &[]).unwrap();
    assert_eq!(rows.len(), 1);
    let seen: String = rows[0].get(0);
    let child = &good_case().referral;
    // The day a decision was made identifies a child (with the offence and the age) as surely
    // as a name: the month is all the anonymised case gives, and all the view gives.
    for identifying in [child.child.name.as_str(), child.reference.as_str(), "2012-03-01", "Alex", "2026-11-23"] {
        assert!(!seen.contains(identifying), "the view shows {identifying}: {seen}");
    }
    assert!(seen.contains("\"outcome\":\"CR\""), "{seen}");
    assert!(seen.contains("\"decided_in\":\"2026-11\""), "{seen}");
    let key = carol.query("SELECT value FROM meta WHERE key = 'pseudonym_key'", &[]).unwrap();
    assert!(key.is_empty(), "scrutiny cannot read the pseudonym key");
    // …and still chains its own access-log entries (the server computes the settings digest).
    let mut as_carol = PgStore::open(&as_user(cluster, "carol", &db)).unwrap();
    as_carol.log_access("view", "scrutiny decisions", "sample review", Utc::now()).unwrap();
    // …records its review in the chain, in its own name, and nothing but scrutiny's own kinds.
    let review = as_carol.append_record("review", r#"{"sample":1}"#.into(), Utc::now()).unwrap();
    assert_eq!(review.seq, 2);
    let err = as_carol.append_record("decision", "{}".into(), Utc::now()).unwrap_err();
    assert!(err.to_string().contains("a scrutiny login records samples, ratings, reviews"), "{err}");
    let report = store.verify().unwrap().unwrap();
    assert_eq!((report.checked, report.head), (2, review.hash_hex()));
}

#[test]
fn scrutiny_can_narrow_decisions_to_a_month_and_never_to_a_day() {
    let Some(cluster) = pg::cluster() else { return };
    let (_owner, db) = panel_with_the_good_case_decided(cluster);
    let mut carol = raw(&as_user(cluster, "carol", &db));
    // Counting the decisions of one day would say which day a decision was made.
    let msg = refused(&mut carol, "SELECT count(*) FROM scrutiny_decisions WHERE decided_on = '2026-11-23'");
    assert!(msg.contains("does not exist"), "{msg}");
    for (first, last) in [("2026-11-23", "2026-11-23"), ("2026-11", "2026-11-23"), ("2026-11-01", "2026-11-30")] {
        let msg = refused(&mut carol, &format!("SELECT count(*) FROM scrutiny_decisions_in('{first}', '{last}')"));
        assert!(msg.contains("whole months"), "{first}..{last}: {msg}");
    }
    let count = |c: &mut postgres::Client, first: &str, last: &str| -> i64 {
        c.query_one("SELECT count(*) FROM scrutiny_decisions_in($1, $2)", &[&first, &last]).unwrap().get(0)
    };
    assert_eq!(count(&mut carol, "2026-11", "2026-11"), 1);
    assert_eq!(count(&mut carol, "2026-09", "2026-10"), 0);
    assert_eq!(count(&mut carol, "2026-12", "2027-01"), 0);
    assert_eq!(count(&mut carol, "2026-01", "2026-12"), 1);
    let row = carol.query_one("SELECT row_to_json(d)::text FROM scrutiny_decisions_in('2026-11', '2026-11') d", &[]);
    let seen: String = row.unwrap().get(0);
    assert!(!seen.contains("2026-11-23") && !seen.contains("Alex"), "{seen}");
    // A trainer has nothing of the live data, by this route either.
    let mut dave = raw(&as_user(cluster, "dave", &db));
    let msg = refused(&mut dave, "SELECT count(*) FROM scrutiny_decisions_in('2026-11', '2026-11')");
    assert!(msg.contains("permission denied"), "{msg}");
}

#[test]
fn the_server_computes_the_settings_digest_as_jdp_does() {
    use sha2::{Digest, Sha256};
    let Some(cluster) = pg::cluster() else { return };
    let (owner, _) = panel(cluster);
    drop(PgStore::open(&owner).unwrap());
    let mut c = raw(&owner);
    let mut h = Sha256::new();
    for key in ["synthetic", "training", "pseudonym_key"] {
        let v: Option<String> =
            c.query_opt("SELECT value FROM meta WHERE key = $1", &[&key]).unwrap().map(|r| r.get(0));
        h.update(key.as_bytes());
        h.update([0]);
        h.update(v.unwrap_or_default().as_bytes());
        h.update([0]);
    }
    let server: String = c.query_one("SELECT jdp_settings_digest()", &[]).unwrap().get(0);
    assert_eq!(server, hex::encode(h.finalize()));
}

#[test]
fn a_login_of_one_panel_cannot_reach_another_and_a_trainer_sees_no_live_data() {
    let Some(cluster) = pg::cluster() else { return };
    let (_, a) = panel(cluster);
    let (owner_b, b) = panel(cluster);
    cluster.admin("postgres", "DO $$ BEGIN CREATE ROLE gina LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    jdp(&owner_b).args(["server", "grant", "gina", "member", "--panel-db", &a]).assert().success();
    let err = postgres::Client::connect(&as_user(cluster, "gina", &b), postgres::NoTls).err().expect("refused");
    let msg = err.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
    assert!(msg.contains("permission denied for database"), "{err}");
    let mut dave = raw(&as_user(cluster, "dave", &a));
    for sql in ["SELECT * FROM referrals", "SELECT * FROM records", "SELECT * FROM scrutiny_decisions"] {
        assert!(refused(&mut dave, sql).contains("permission denied"), "{sql}");
    }
    // Without --panel: every panel on the server.
    cluster.admin("postgres", "DO $$ BEGIN CREATE ROLE frank LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    let out = jdp(&owner_b).args(["server", "grant", "frank", "member"]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains(&a) && said.contains(&b), "{said}");
    raw(&as_user(cluster, "frank", &b)).batch_execute("SELECT count(*) FROM referrals").unwrap();
    // A panel made ready later is one of "every panel" too; not of a login granted one panel.
    assert!(said.contains("and every panel made ready later"), "{said}");
    let (_, c) = panel(cluster);
    raw(&as_user(cluster, "frank", &c)).batch_execute("SELECT count(*) FROM referrals").unwrap();
    assert!(postgres::Client::connect(&as_user(cluster, "gina", &c), postgres::NoTls).is_err());
}

#[test]
fn grant_names_what_is_missing() {
    let Some(cluster) = pg::cluster() else { return };
    let (owner, _) = panel(cluster);
    jdp(&owner)
        .args(["server", "grant", "nobody_here", "chair"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no login named nobody_here"));
    jdp(&owner)
        .args(["server", "grant", "bob", "chair", "--panel-db", "no_such_panel"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no panel no_such_panel"));
}

#[test]
fn an_owner_who_may_make_roles_but_is_no_superuser_can_init_and_grant() {
    // README "Running a shared server", steps 2–4: createuser --createrole, createdb --owner.
    let Some(cluster) = pg::cluster() else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    cluster.admin(
        "postgres",
        "DO $$ BEGIN CREATE ROLE panel_owner LOGIN CREATEROLE; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         DO $$ BEGIN CREATE ROLE hana LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
    );
    cluster.admin("postgres", "CREATE DATABASE owned_panel OWNER panel_owner");
    let owner = cluster.url("panel_owner", "owned_panel");
    jdp(&owner).args(["server", "init"]).assert().success();
    jdp(&owner).args(["server", "grant", "hana", "chair", "--panel-db", "owned_panel"]).assert().success();
    let mut hana = PgStore::open(&cluster.url("hana", "owned_panel")).unwrap();
    assert_eq!(hana.user(), "hana");
    let id = PgStore::open(&owner).unwrap().add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    hana.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    assert!(PgStore::open(&owner).unwrap().verify().unwrap().is_ok());
}

#[test]
fn a_copy_to_a_file_needs_a_login_that_may_read_the_pseudonym_key_and_leaves_nothing_behind_if_refused() {
    let Some(cluster) = pg::cluster() else { return };
    let (owner, db) = panel(cluster);
    let mut store = PgStore::open(&owner).unwrap();
    store.add_referrals(&[good_case().referral], Utc::now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.sqlite3");
    jdp(&as_user(cluster, "bob", &db))
        .args(["copy", "--from", &as_user(cluster, "bob", &db), "--to"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot read the store's pseudonym key"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file, no marker, no log left");
    jdp(&owner).args(["copy", "--from", &as_user(cluster, "alice", &db), "--to"]).arg(&path).assert().success();
    assert!(jdp::store::Store::open(&path).unwrap().meta("copy_of").unwrap().is_some());
}
