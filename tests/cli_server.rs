//! `--db postgres://…` and `JDP_DB` at the command line, against a private PostgreSQL cluster
//! (tests/common/pg.rs): what a server serves, and the one-line refusal of training there.

mod common;
#[path = "common/pg.rs"]
mod pg;

use assert_cmd::Command;
use predicates::str::contains;

fn jdp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("JDP_PANEL").env_remove("JDP_DB");
    c
}

/// The superuser's connection string with a password in it, which jdp must never print.
fn url_with_password(cluster: &pg::Cluster) -> String {
    cluster.fresh_db().replacen("jdp_test_super@", "jdp_test_super:Secret-Pw@", 1)
}

#[test]
fn import_then_verify_on_a_server_named_by_jdp_db() {
    let Some(cluster) = pg::cluster() else { return };
    let url = url_with_password(cluster);
    let out = jdp().env("JDP_DB", &url).args(["import", "panels/examples/referrals.toml"]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.starts_with("Imported ") && said.contains("the PostgreSQL database t"), "{said}");
    assert!(!said.contains("Secret-Pw"), "the password is never printed: {said}");
    // The same file again: nothing imported, each duplicate located.
    jdp()
        .env("JDP_DB", &url)
        .args(["import", "panels/examples/referrals.toml"])
        .assert()
        .code(1)
        .stderr(contains("imported before"))
        .stderr(contains("Nothing was imported."));
    jdp().arg("--db").arg(&url).arg("verify").assert().success().stdout(contains("ok: 0 record(s) checked; head 0:"));
}

#[test]
fn training_is_refused_on_a_server_in_one_line() {
    let Some(cluster) = pg::cluster() else { return };
    let url = url_with_password(cluster);
    // Training is kept apart from real records: a server typed for it is refused, saying where
    // mock panels run (JDP_DB is never used for training: tests/pty.rs).
    jdp().arg("--db").arg(&url).args(["train", "01"]).assert().code(1).stderr(contains("never on a server"));
}

#[test]
fn the_panel_on_a_server_piped_gives_its_summary_naming_the_login_never_the_password() {
    let Some(cluster) = pg::cluster() else { return };
    let url = url_with_password(cluster);
    jdp().env("JDP_DB", &url).args(["import", "panels/examples/referrals.toml"]).assert().success();
    for args in [vec![], vec!["panel"]] {
        let out = jdp().arg("--db").arg(&url).args(&args).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(text.contains("Database: the PostgreSQL database t"), "{text}");
        assert!(text.contains(", as jdp_test_super"), "the login it writes as: {text}");
        assert!(text.contains("3 referral(s), 0 in progress, 0 record(s) in the chain"), "{text}");
        assert!(!text.contains("Secret-Pw"), "{text}");
    }
}

#[test]
fn a_server_that_cannot_be_reached_is_named_without_the_password() {
    let Some(cluster) = pg::cluster() else { return };
    let url = url_with_password(cluster).replace("/t", "/no_such_database_");
    let out = jdp().arg("--db").arg(&url).arg("verify").assert().code(4);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("could not connect") && err.contains("no_such_database_"), "{err}");
    assert!(!err.contains("Secret-Pw") && !err.contains("panicked"), "{err}");
}

#[test]
fn verify_expect_on_a_server_holds_the_chain_to_a_minuted_head() {
    use chrono::Utc;
    use common::*;
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let mut store = jdp::store::pg::PgStore::open(&url).unwrap();
    let mut other = good_case();
    other.referral.reference = "JDP-TEST-0002".into();
    let ids = store.add_referrals(&[good_case().referral, other.referral.clone()], Utc::now()).unwrap();
    let first = store.record_decision(ids[0], &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    store.record_decision(ids[1], &snapshot_of(&other), None, Utc::now()).unwrap();
    let minuted = format!("1:{}", first.hash_hex());
    jdp()
        .arg("--db")
        .arg(&url)
        .args(["verify", "--expect", &minuted])
        .assert()
        .success()
        .stdout(contains(format!("ok: the chain passes through the minuted head {minuted}")));
    let wrong = format!("1:{}", "ab".repeat(32));
    jdp()
        .arg("--db")
        .arg(&url)
        .args(["verify", "--expect", &wrong])
        .assert()
        .code(3)
        .stderr(contains("FAILED: record 1: differs from the minuted head"));
    jdp()
        .arg("--db")
        .arg(&url)
        .args(["verify", "--expect", &format!("5:{}", first.hash_hex())])
        .assert()
        .code(3)
        .stderr(contains("the chain now ends at record 2 (rolled back or truncated)"));
}

#[test]
fn the_task_board_on_a_server_lists_and_closes_tasks_with_a_record_and_a_log_entry() {
    use chrono::Utc;
    use common::*;
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let mut store = jdp::store::pg::PgStore::open(&url).unwrap();
    let id = store.add_referrals(&[good_case().referral], Utc::now()).unwrap()[0];
    let rec = store.record_decision(id, &snapshot_of(&good_case()), None, Utc::now()).unwrap();
    let reference = good_case().referral.reference;
    let out = jdp().env("JDP_DB", &url).arg("tasks").assert().success();
    let board = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let task = format!("{}/notify_yjs", rec.seq);
    assert!(board.contains(&reference) && board.contains(&task), "{board}");
    assert_eq!(store.access_log(1).unwrap()[0].action, "tasks", "the board's disclosure is logged");
    let out = jdp().env("JDP_DB", &url).args(["tasks", "done", &task, "--by", "Jo Bell"]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.starts_with(&format!("Task {task}: done by Jo Bell")), "{said}");
    assert_eq!(store.verify().unwrap().unwrap().checked, 2, "the closing is a record in the chain");
    jdp().env("JDP_DB", &url).args(["tasks", "done", &task]).assert().code(1).stderr(contains("already closed"));
    let out = jdp().env("JDP_DB", &url).args(["tasks", "--format", "csv"]).assert().success();
    let csv = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(csv.lines().any(|l| l.contains(&task) && l.contains("Jo Bell")), "{csv}");
}

/// Issue 15: the agenda on a server is the file's, for the same referrals, and is written to the
/// access log as a disclosure.
#[test]
fn the_agenda_on_a_server_is_the_files_for_the_same_referrals() {
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jdp.sqlite3");
    let agenda = |db: &str| {
        jdp().args(["--db", db, "import", "panels/examples/referrals.toml"]).assert().success();
        let out = jdp().args(["--db", db, "agenda", "--date", "2026-11-23"]).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let on_file = agenda(file.to_str().unwrap());
    let on_server = agenda(&url);
    assert!(on_file.contains("JDP-2026-0141"), "{on_file}");
    assert_eq!(on_server, on_file);
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let logged: i64 = c.query_one("SELECT count(*) FROM access_log WHERE action = 'agenda'", &[]).unwrap().get(0);
    assert_eq!(logged, 1, "the agenda is a disclosure, logged");
}

/// Issue 15: the minutes of a sitting on a server are the file's, named and pseudonymised (the
/// same pseudonym key moves with `jdp copy`), and each is written to the access log.
#[test]
fn the_minutes_on_a_server_are_the_files_for_the_same_sitting() {
    use chrono::Utc;
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    let (mut store, id) = common::store_with_referral(&path);
    let meeting = common::date("2026-11-23");
    let session = common::sitting(meeting);
    store.save_session(&session, meeting, Utc::now()).unwrap();
    let cr = store.record_decision(id, &common::snapshot_of(&common::good_case()), None, "t", Utc::now()).unwrap();
    let url = cluster.fresh_db();
    jdp::store::pg::PgStore::open(&url).unwrap().copy_from(&store).unwrap();
    drop(store);
    let minutes = |db: &str, extra: &[&str]| {
        let out = jdp().args(["--db", db, "minutes", "2026-11-23"]).args(extra).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let named = minutes(path.to_str().unwrap(), &[]);
    assert!(named.contains(&format!("(record {})", cr.seq)) && named.contains("Alex Chair"), "{named}");
    assert_eq!(minutes(&url, &[]), named);
    let child = common::good_case().referral.child.name;
    let pseudonymised = minutes(path.to_str().unwrap(), &["--pseudonymise"]);
    assert!(!pseudonymised.contains(&child), "{pseudonymised}");
    assert_eq!(minutes(&url, &["--pseudonymise"]), pseudonymised);
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let logged: i64 = c.query_one("SELECT count(*) FROM access_log WHERE action = 'minutes'", &[]).unwrap().get(0);
    assert_eq!(logged, 2, "each is a disclosure, logged");
    // A date with no sitting is refused, as on a file.
    jdp().args(["--db", &url, "minutes", "2026-11-20"]).assert().code(1).stderr(contains("no panel sat on"));
}

/// Issue 15: `jdp letter` on a server writes the file's letter for the same decision, logs the
/// disclosure in the server's access log, and `--sent` records the task done there.
#[test]
fn a_letter_on_a_server_is_the_files_and_sent_closes_its_task_there() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jdp.sqlite3");
    let rec = common::store_with_decision(&path, "tester");
    let url = cluster.fresh_db();
    jdp::store::pg::PgStore::open(&url).unwrap().copy_from(&jdp::store::Store::open_existing(&path).unwrap()).unwrap();
    let letter = |db: &str, to: &str| {
        let out = jdp().args(["--db", db, "letter", &rec.seq.to_string(), "--to", to]).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    for to in ["child", "victim"] {
        let on_file = letter(path.to_str().unwrap(), to);
        assert!(!on_file.is_empty());
        assert_eq!(letter(&url, to), on_file, "the letter to the {to}");
    }
    let out = jdp().args(["--db", &url, "letter", &rec.seq.to_string(), "--to", "victim", "--sent"]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(said.contains(&format!("Task {}/inform_victim recorded done", rec.seq)), "{said}");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let logged: i64 = c.query_one("SELECT count(*) FROM access_log WHERE action = 'letter'", &[]).unwrap().get(0);
    assert_eq!(logged, 3, "each letter is a disclosure, logged on the server");
    let closed: i64 = c.query_one("SELECT count(*) FROM records WHERE kind = 'task'", &[]).unwrap().get(0);
    assert_eq!(closed, 1, "the sent letter's task is a record on the server");
}

/// Issue 15: `jdp demo-data` makes a demonstration server (e.g. for a training room or a
/// benchmark): the decisions the file gets for the same seed, marked SYNTHETIC, verified; the
/// scrutiny panel can sample it; real referrals are refused there, and demo data on a live one.
#[test]
fn demo_data_on_a_server_is_the_files_decisions_marked_synthetic() {
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.sqlite3");
    for db in [file.to_str().unwrap(), &url] {
        let out = jdp().args(["--db", db, "demo-data", "--decisions", "120", "--seed", "4"]).assert().success();
        let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(said.starts_with("Wrote 120 synthetic decision(s)") && said.contains("marked SYNTHETIC"), "{said}");
        assert!(!said.contains("postgres://"), "the store is named, never its connection string: {said}");
    }
    jdp().args(["--db", &url, "verify"]).assert().success().stdout(contains("record(s) checked"));
    // The same decisions as the file's for the same seed (who recorded them and when aside).
    let file_store = jdp::store::Store::open_existing(&file).unwrap();
    let mut server = jdp::store::pg::PgStore::open(&url).unwrap();
    let n = file_store.summary().unwrap().records;
    assert_eq!(server.summary().unwrap().records, n);
    for seq in 1..=n {
        let (a, b) = (file_store.decision(seq).unwrap().unwrap(), server.decision(seq).unwrap().unwrap());
        assert_eq!((a.snapshot, a.supersedes), (b.snapshot, b.supersedes), "record {seq}");
    }
    jdp()
        .args(["--db", &url, "sample", "--from", "2026-01-01", "--to", "2026-09-30", "--size", "5", "--seed", "x"])
        .assert()
        .success();
    jdp()
        .args(["--db", &url, "import", "panels/examples/referrals.toml"])
        .assert()
        .code(1)
        .stderr(contains("demonstration database"));
    let live = cluster.fresh_db();
    jdp().args(["--db", &live, "import", "panels/examples/referrals.toml"]).assert().success();
    jdp()
        .args(["--db", &live, "demo-data", "--decisions", "3"])
        .assert()
        .code(1)
        .stderr(contains("holds real referrals"));
}

/// `jdp verify --cases`: what a scrutiny login reads of each decision (its kept anonymised
/// case, written by whoever recorded the decision) is held to the decision itself. A case
/// altered behind the guards' backs, which the chain's walk cannot see, is named with where it
/// differs; a case an earlier jdp kept is counted, not compared; a file keeps none.
#[test]
fn verify_cases_holds_what_scrutiny_reads_to_each_decision() {
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let db = url.rsplit('/').next().unwrap().to_string();
    jdp().args(["--db", &url, "demo-data", "--decisions", "60", "--seed", "9"]).assert().success();
    let out = jdp().args(["--db", &url, "verify", "--cases"]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let n = jdp::store::pg::PgStore::open(&url).unwrap().verify_kept_cases().unwrap().unwrap().compared;
    assert!(n >= 60, "every decision's case compared: {n}");
    assert!(said.contains(&format!("ok: {n} anonymised case(s) are what their decisions say")), "{said}");
    assert!(!said.contains("note:"), "{said}");
    // One case kept by an earlier jdp, another rewritten with the guard switched off and on
    // again (so the guards' check still passes).
    let builder = jdp::domain::case_view::BUILDER;
    cluster.admin(
        &db,
        &format!(
            "ALTER TABLE scrutiny_cases DISABLE TRIGGER scrutiny_cases_no_update;
             UPDATE scrutiny_cases SET anonymised = replace(anonymised, '\"builder\":{builder}', '\"builder\":0') WHERE seq = 3;
             UPDATE scrutiny_cases SET anonymised = replace(anonymised, 'Synthetic.', 'Exemplary.') WHERE seq = 7;
             ALTER TABLE scrutiny_cases ENABLE TRIGGER scrutiny_cases_no_update;"
        ),
    );
    jdp().args(["--db", &url, "verify"]).assert().success();
    let out = jdp().args(["--db", &url, "verify", "--cases"]).assert().code(3);
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(said.contains("record 7: its kept anonymised case (what scrutiny reads) differs"), "{said}");
    assert!(said.contains("Joint decision · Rationale: kept \"Rationale: Exemplary."), "{said}");
    cluster.admin(
        &db,
        "ALTER TABLE scrutiny_cases DISABLE TRIGGER scrutiny_cases_no_update;
         UPDATE scrutiny_cases SET anonymised = replace(anonymised, 'Exemplary.', 'Synthetic.') WHERE seq = 7;
         ALTER TABLE scrutiny_cases ENABLE TRIGGER scrutiny_cases_no_update;",
    );
    let out = jdp().args(["--db", &url, "verify", "--cases"]).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains(&format!("ok: {} anonymised case(s)", n - 1)), "{said}");
    assert!(said.contains("note: 1 case(s) were kept by an earlier jdp"), "{said}");
    // A file makes each case as it is read: nothing kept to compare.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.sqlite3");
    jdp().args(["--db", file.to_str().unwrap(), "demo-data", "--decisions", "5"]).assert().success();
    jdp()
        .args(["--db", file.to_str().unwrap(), "verify", "--cases"])
        .assert()
        .success()
        .stdout(contains("ok: a file keeps no anonymised cases"));
}

/// A newcomer's finding: `--help` showed JDP_DB's value, password and all
/// ("[env: JDP_DB=postgres://owner:pw@…]"). Help names the variable, never its value.
#[test]
fn help_never_prints_the_connection_string_from_jdp_db() {
    for args in [vec!["--help"], vec!["verify", "--help"], vec!["server", "grant", "--help"]] {
        let out =
            jdp().env("JDP_DB", "postgres://owner:Secret-Pw@localhost/youth_north").args(&args).assert().success();
        let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(said.contains("JDP_DB"), "{said}");
        assert!(!said.contains("Secret-Pw") && !said.contains("youth_north"), "{args:?}: {said}");
    }
}
