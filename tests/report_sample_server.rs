//! The board report and scrutiny sampling on a server (`--db postgres://…`): the same chain gives
//! the same report, byte for byte, in every format, and the same seed the same sample, on a file
//! and on the server it was copied to (`jdp copy`). A scrutiny login, which may read only the
//! anonymised views, draws the same sample as the file, and never sees a reference.

mod common;
#[path = "common/pg.rs"]
mod pg;

use std::path::Path;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use common::{jdp_keyed as jdp, stdout_of as stdout};
use jdp::domain::actions::{ActionItem, ActionStatus, Closed};
use jdp::scrutiny::{self, BlindRating, ReviewRecord, SampleRequest};
use jdp::store::Store;
use jdp::store::pg::PgStore;

/// A scrutinised store (below) in a directory of its own: the directory, where signing keys go,
/// and the store's path.
fn scrutinised() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let path = scrutinised_store(dir.path());
    (dir, keys, path)
}

/// A demo store with everything the report reads: decisions and their corrections, a sample,
/// reviews of its cases with every rating (one to carry forward), themes and learning points,
/// actions (one closed), and members' own ratings. Its path.
fn scrutinised_store(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("jdp.sqlite3");
    let mut file = demo_store(&path, 900, 11);
    let panel = default_panel();
    let req = SampleRequest {
        seed: "board".into(),
        from: date("2026-07-01"),
        to: date("2026-09-30"),
        size: 16,
        strata: jdp::domain::sampling::Strata::Outcome,
        capped: Some(panel.scrutiny.always_include_percent),
        theme: None,
    };
    let (sample, drawn) = scrutiny::draw(&mut file, &panel, &req, "tester", Utc::now()).unwrap();
    let ratings = ["consistent", "consistent_obs", "inconsistent", "no_conclusion"];
    let mut first_action = None;
    for (i, decision) in drawn.cases().into_iter().enumerate() {
        let review = ReviewRecord {
            sample: sample.seq,
            decision,
            rating: ratings[i % ratings.len()].into(),
            observations: format!("Case {i}: <b>bold</b> | a pipe, =SUM(1) and \"quotes\""),
            learning_points: vec![format!("Victims: point {i}"), "no theme given".into()],
            reviewers: vec!["Lay member".into()],
            actions: if i % 3 == 0 {
                vec![ActionItem { text: format!("Check {i}"), owner: "YJS".into(), due: date("2026-10-31") }]
            } else {
                vec![]
            },
        };
        let rec = scrutiny::record_review(&mut file, &review, "tester", Utc::now()).unwrap();
        if i % 3 == 0 && first_action.is_none() {
            first_action = Some(rec.seq);
        }
    }
    let status =
        ActionStatus { action: format!("{}.1", first_action.unwrap()), status: Closed::Done, note: "done".into() };
    scrutiny::close_action(&mut file, &status, "tester", Utc::now()).unwrap();
    let own: Vec<BlindRating> = drawn
        .cases()
        .into_iter()
        .take(2)
        .map(|decision| blind_rating(sample.seq, decision, ("Lay member", "lay", "consistent")))
        .collect();
    scrutiny::record_blind_ratings(&mut file, &own, "tester", Utc::now()).unwrap();
    file.verify().unwrap().expect("the file verifies");
    path
}

/// The file copied to a fresh database on the cluster: the owner's connection string.
fn copied(cluster: &pg::Cluster, path: &Path, keys: &Path) -> String {
    let url = cluster.fresh_db();
    let out = Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_DB")
        .env("JDP_KEY_DIR", keys)
        .args(["copy", "--from"])
        .arg(path)
        .args(["--to", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    url
}

#[test]
fn the_board_report_is_byte_identical_on_a_file_and_on_the_server_it_was_copied_to() {
    let Some(cluster) = pg::cluster() else { return };
    let (_dir, keys, path) = scrutinised();
    let url = copied(cluster, &path, &keys);
    let file = path.to_str().unwrap();
    for format in ["md", "csv", "html"] {
        for period in [&["--from", "2026-07-01", "--to", "2026-09-30"][..], &["--year", "2026"]] {
            let on_file = stdout(jdp(file, &keys).args(["report", "--format", format]).args(period));
            let on_server = stdout(jdp(&url, &keys).args(["report", "--format", format]).args(period));
            assert_eq!(on_file, on_server, "{format} {period:?}");
            // Not two empty reports: the period's decisions, corrections, ratings and actions.
            if period[0] == "--from" {
                let mut expected = vec!["Consistent with observations", "Inconsistent"];
                match format {
                    // The open actions and the learning points' themes are listed.
                    "csv" => {
                        expected.extend(["scrutiny,theme,,victims,learning_points,", "scrutiny,rating,,No conclusion"])
                    }
                    _ => expected.extend(["Check 3", "victims"]),
                }
                for expected in expected {
                    assert!(on_server.contains(expected), "{format}: {expected} in\n{on_server}");
                }
            }
            if format == "csv" {
                let corrections = on_server.lines().find(|l| l.starts_with("agreement,,,,corrections,")).unwrap();
                assert_ne!(corrections, "agreement,,,,corrections,0", "with corrections");
            }
        }
    }
    // A report is a disclosure: the server's access log says so, in the login's name.
    let mut server = PgStore::open(&url).unwrap();
    let log = server.access_log(1).unwrap();
    assert_eq!(log[0].action, "report", "{log:?}");
    assert!(log[0].target.contains("board report 2026-01-01 to 2026-12-31 (HTML)"), "{log:?}");
    server.verify().unwrap().expect("the server verifies after the reports");
}

/// The lines of a sample's output that say what was drawn (the signing line after them differs:
/// a file signs its head, a server names the head to minute).
fn drawn(out: &str) -> String {
    out.lines().take_while(|l| !l.starts_with("Recompute")).collect::<Vec<_>>().join("\n")
}

fn last_sample_body(bodies: Vec<(i64, String)>) -> String {
    bodies.last().expect("a sample").1.clone()
}

#[test]
fn the_same_seed_draws_the_same_sample_on_a_file_and_on_the_server_and_it_is_recorded_in_the_chain() {
    let Some(cluster) = pg::cluster() else { return };
    let (_dir, keys, path) = scrutinised();
    let url = copied(cluster, &path, &keys);
    let file = path.to_str().unwrap();
    let args = ["sample", "--from", "2026-04-01", "--to", "2026-09-30", "--size", "25", "--seed", "same seed"];
    let on_file = stdout(jdp(file, &keys).args(args));
    let on_server = stdout(jdp(&url, &keys).args(args));
    assert_eq!(drawn(&on_file), drawn(&on_server));
    assert!(on_server.contains("carried forward or caught by a rule"), "{on_server}");
    assert!(on_server.contains("DEMO-"), "the chair's sample names the references: {on_server}");
    assert!(on_server.contains("For the minutes: "), "{on_server}");
    // Recorded in the chain on both, with the same body (what was drawn and how).
    let store = Store::open(&path).unwrap();
    let mut server = PgStore::open(&url).unwrap();
    let file_body = last_sample_body(store.bodies_of("sample").unwrap());
    let server_body = last_sample_body(jdp::store::ChainRead::bodies_of(&server.chain(), "sample").unwrap());
    assert_eq!(file_body, server_body);
    let summary = server.summary().unwrap();
    assert_eq!(store.summary().unwrap().records, summary.records, "one record each");
    server.verify().unwrap().expect("the server verifies after the draw");
    // The same draw again is the stored one, not a second record; and it recomputes.
    let again = stdout(jdp(&url, &keys).args(args));
    assert!(again.contains("nothing new was recorded"), "{again}");
    assert_eq!(server.summary().unwrap().records, summary.records);
    let seq = summary.records.to_string();
    let recomputed = stdout(jdp(&url, &keys).args(["sample", "--recompute", &seq]));
    assert!(recomputed.starts_with(&format!("ok: sample record {seq} recomputes exactly")), "{recomputed}");
}

/// What a scrutiny login samples from: the anonymised view of the decisions and its own kinds of
/// record (samples, reviews), for every login alike, so the same seed draws the same sample
/// whoever draws it — and the scrutiny login sees no reference. The chair draws the same.
#[test]
fn a_scrutiny_login_draws_the_same_sample_from_the_anonymised_views_and_sees_no_reference() {
    let Some(cluster) = pg::cluster() else { return };
    let (dir, keys, path) = scrutinised();
    let args = ["sample", "--from", "2026-04-01", "--to", "2026-09-30", "--size", "25", "--seed", "lay seed"];
    for (login, role) in [("lena", "scrutiny"), ("carl", "chair")] {
        let owner = copied(cluster, &path, &keys);
        let db = owner.rsplit('/').next().unwrap().to_string();
        stdout(jdp(&owner, &keys).args(["server", "init"]));
        cluster.admin(
            "postgres",
            &format!("DO $$ BEGIN CREATE ROLE {login} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"),
        );
        stdout(jdp(&owner, &keys).args(["server", "grant", login, role, "--panel-db", &db]));
        let url = cluster.url(login, &db);
        let on_server = stdout(jdp(&url, &keys).args(args));
        let mut server = PgStore::open(&owner).unwrap();
        let server_body = last_sample_body(jdp::store::ChainRead::bodies_of(&server.chain(), "sample").unwrap());
        // The file's draw, on a copy of the file made before (a draw is recorded).
        let fresh = dir.path().join(format!("{login}.sqlite3"));
        std::fs::copy(&path, &fresh).unwrap();
        let on_file = stdout(jdp(fresh.to_str().unwrap(), &keys).args(args));
        let file_body = last_sample_body(Store::open(&fresh).unwrap().bodies_of("sample").unwrap());
        assert_eq!(file_body, server_body, "{login}: the same draw");
        let sampled = server.summary().unwrap().records;
        let rec = server.decision(sampled).unwrap();
        assert!(rec.is_none(), "the last record is the sample, not a decision");
        let by: String = postgres::Client::connect(&owner, postgres::NoTls)
            .unwrap()
            .query_one("SELECT recorded_by FROM records WHERE seq = $1", &[&sampled])
            .unwrap()
            .get(0);
        assert_eq!(by, login, "recorded in the login's name");
        if role == "scrutiny" {
            assert!(!on_server.contains("DEMO-"), "a scrutiny login sees no reference: {on_server}");
            // The lay member returns own ratings of a case of this sample, and closes an action.
            let drawn: scrutiny::SampleRecord = serde_json::from_str(&server_body).unwrap();
            let ratings = dir.path().join("ratings.csv");
            std::fs::write(
                &ratings,
                format!("record,reviewer,agency,rating,observations\n{},Lena,lay,consistent,fine\n", drawn.cases()[0]),
            )
            .unwrap();
            let said = stdout(jdp(&url, &keys).args(["scrutiny", "ratings"]).arg(&ratings));
            assert!(said.starts_with("Recorded 1 blind rating(s) for sample"), "{said}");
            let open = scrutiny::actions(&Store::open(&path).unwrap(), date("2026-10-01")).unwrap();
            let (id, ..) =
                open.iter().find(|(.., st)| !matches!(st, jdp::domain::actions::Standing::Closed(..))).unwrap();
            let said = stdout(jdp(&url, &keys).args([
                "scrutiny",
                "close",
                id,
                "--as",
                "done",
                "--note",
                "checked by the panel",
            ]));
            assert!(said.starts_with(&format!("Action {id} closed as Done")), "{said}");
            let listed = stdout(jdp(&url, &keys).args(["scrutiny", "actions"]));
            assert!(listed.contains("done: checked by the panel"), "{listed}");
            // The papers are the panel's own: made from the anonymised cases the server kept,
            // never from a body, with no reference or name in them.
            let minutes = stdout(jdp(&url, &keys).args(["scrutiny", "minutes"]));
            assert!(minutes.contains("| 1 | ") && !minutes.contains("DEMO-"), "{minutes}");
            let file = Store::open(&path).unwrap();
            for id in drawn.cases() {
                let name = file.decision(id).unwrap().unwrap().snapshot.case.referral.child.name;
                assert!(!minutes.contains(&name), "{name} in the minutes");
            }
            assert!(on_file.contains("DEMO-"), "{on_file}");
            // The report needs the dates a scrutiny login may not read: refused by the server.
            let out = jdp(&url, &keys).args(["report", "--year", "2026"]).output().unwrap();
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{said}");
            assert!(said.contains("permission denied for table records"), "{said}");
        } else {
            assert_eq!(drawn(&on_file), drawn(&on_server), "the chair's output names the same cases");
            // The chair's board report is the file's.
            let a = stdout(jdp(&url, &keys).args(["report", "--year", "2026", "--format", "csv"]));
            let b = stdout(jdp(fresh.to_str().unwrap(), &keys).args(["report", "--year", "2026", "--format", "csv"]));
            assert_eq!(a, b);
        }
        server.verify().unwrap().expect("verifies");
    }
}

/// The scrutiny panel's papers (the review pack, the minutes) and its list of actions are the
/// same on a file and on the server it was copied to; closing an action on the server is a
/// record in its chain.
#[test]
fn the_scrutiny_papers_and_actions_are_the_same_on_a_file_and_on_the_server() {
    let Some(cluster) = pg::cluster() else { return };
    let (dir, keys, path) = scrutinised();
    let url = copied(cluster, &path, &keys);
    let file = path.to_str().unwrap();
    let (pack_file, pack_server) = (dir.path().join("file.html"), dir.path().join("server.html"));
    stdout(jdp(file, &keys).args(["scrutiny", "pack", "--out"]).arg(&pack_file));
    stdout(jdp(&url, &keys).args(["scrutiny", "pack", "--out"]).arg(&pack_server));
    let pack = std::fs::read_to_string(&pack_server).unwrap();
    assert_eq!(std::fs::read_to_string(&pack_file).unwrap(), pack);
    assert!(pack.contains("always:") && !pack.contains("DEMO-"), "anonymised cases: {pack}");
    for format in ["md", "html"] {
        let args = ["scrutiny", "minutes", "--format", format];
        let (a, b) = (stdout(jdp(file, &keys).args(args)), stdout(jdp(&url, &keys).args(args)));
        assert_eq!(a, b, "{format}");
        assert!(b.contains("Consistent with observations") && b.contains("Check 3"), "{b}");
    }
    let (a, b) = (
        stdout(jdp(file, &keys).args(["scrutiny", "actions"])),
        stdout(jdp(&url, &keys).args(["scrutiny", "actions"])),
    );
    assert_eq!(a, b);
    assert!(b.contains("Check 3") && b.contains("done: done"), "{b}");
    let id = b.lines().find(|l| l.contains("Check 3")).unwrap().split_whitespace().next().unwrap().to_string();
    let said = stdout(jdp(&url, &keys).args(["scrutiny", "close", &id, "--as", "dropped", "--note", "not needed"]));
    assert!(said.starts_with(&format!("Action {id} closed as Dropped")), "{said}");
    let again = jdp(&url, &keys).args(["scrutiny", "close", &id, "--as", "done", "--note", "x"]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("is closed already"));
    let mut server = PgStore::open(&url).unwrap();
    let log = server.access_log(3).unwrap();
    assert!(log.iter().any(|e| e.action == "action_status"), "{log:?}");
    server.verify().unwrap().expect("verifies");
}

/// A report on a server reads one snapshot of the store: a decision recorded at another desk
/// while it is being made is in none of its figures (and in the next report).
#[test]
fn a_report_on_a_server_reads_one_snapshot_while_another_desk_records() {
    use jdp::store::ChainRead;
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let mut desk = PgStore::open(&url).unwrap();
    let mut referrals = Vec::new();
    for i in 0..2 {
        let mut r = good_case().referral;
        r.reference = format!("JDP-SNAP-{i}");
        referrals.push(r);
    }
    let ids = desk.add_referrals(&referrals, Utc::now()).unwrap();
    let snap = |i: usize| {
        let mut case = good_case();
        case.referral = referrals[i].clone();
        snapshot_of(&case)
    };
    desk.record_decision(ids[0], &snap(0), None, Utc::now()).unwrap();
    let day = snap(0).decided_on;
    let count = |chain: &jdp::store::pg::PgChain| {
        let mut n = 0;
        chain.each_decision_figures(day, day, &mut |_| n += 1).unwrap();
        n
    };
    let mut reporting = PgStore::open(&url).unwrap();
    let chain = reporting.chain();
    assert_eq!(count(&chain), 1);
    // Another desk records while the report is being read.
    desk.record_decision(ids[1], &snap(1), None, Utc::now()).unwrap();
    assert_eq!(count(&chain), 1, "the report's snapshot");
    assert_eq!(chain.decided_on(2).unwrap(), None, "nor is it read as a date");
    drop(chain);
    assert_eq!(count(&reporting.chain()), 2, "the next report counts it");
    // Appending (a sample) ends the snapshot first: the record goes on the chain's real head.
    let mut chain = reporting.chain();
    assert_eq!(count(&chain), 2);
    desk.append_record("review", "{}".into(), Utc::now()).unwrap();
    let rec = jdp::store::ChainWrite::append_record(&mut chain, "sample", "{}".into(), "x", Utc::now()).unwrap();
    assert_eq!(rec.seq, 4);
    drop(chain);
    reporting.verify().unwrap().expect("verifies");
}

/// Demo decisions `range` of the generator seeded `seed` (the same ones whichever store gets them).
fn generated(seed: u64, range: std::ops::Range<u64>) -> Vec<jdp::demo::DemoDecision> {
    use rand::SeedableRng;
    let panel = default_panel();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    range.map(|i| jdp::demo::generate(&mut rng, &panel, i, date("2026-09-30"))).collect()
}

/// A panel on the cluster for each (seed, range), holding those decisions, made ready by
/// `jdp server init`: their owner's connection strings.
fn demo_panels(cluster: &pg::Cluster, keys: &Path, parts: &[(u64, std::ops::Range<u64>)]) -> Vec<String> {
    use jdp::store::Backend;
    let urls: Vec<String> = parts.iter().map(|_| cluster.fresh_db()).collect();
    for ((seed, range), url) in parts.iter().zip(&urls) {
        let mut server = PgStore::open(url).unwrap();
        Backend::insert_demo(&mut server, &mut generated(*seed, range.clone()).into_iter(), "tester", Utc::now())
            .unwrap();
        jdp(url, keys).args(["server", "init"]).assert().success();
    }
    urls
}

/// Issue 15, "board reports per panel and force-wide": a login granted several panels reports
/// on them together. The figures are those of one store holding every panel's decisions (the
/// medians and percentiles too); each panel's reviews are added to the others'; its actions are
/// named by their panel; a panel the login was not granted is not read; and each panel's access
/// log records the disclosure.
#[test]
fn a_force_wide_report_counts_every_panels_decisions_together_and_adds_their_reviews() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let panel = default_panel();
    let parts = [(31, 0..450), (32, 450..800), (33, 800..900)];
    // One file with the two granted panels' decisions in it.
    let all = dir.path().join("all.sqlite3");
    let mut file = Store::open(&all).unwrap();
    for (seed, range) in &parts[..2] {
        file.insert_demo(generated(*seed, range.clone()).into_iter(), "tester", Utc::now()).unwrap();
    }
    drop(file);
    // North, south and west on the server, each with its part.
    let urls = demo_panels(cluster, &keys, &parts);
    let names: Vec<&str> = urls.iter().map(|u| u.rsplit('/').next().unwrap()).collect();
    cluster
        .admin("postgres", "DO $$ BEGIN CREATE ROLE fw_board LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    for db in &names[..2] {
        jdp(&urls[0], &keys).args(["server", "grant", "fw_board", "chair", "--panel-db", db]).assert().success();
    }
    let board = cluster.url("fw_board", names[0]);
    let period = ["--from", "2026-04-01", "--to", "2026-09-30"];
    let report = |db: &str, force_wide: bool, format: &str| {
        let mut c = jdp(db, &keys);
        c.args(["report", "--format", format]).args(period);
        if force_wide {
            c.arg("--force-wide");
        }
        stdout(&mut c)
    };
    let force_wide = report(&board, true, "csv");
    let panels_row = force_wide.lines().find(|l| l.starts_with("about,Panels,")).expect("the panels named");
    assert!(
        panels_row.contains(&format!("2 panels together: {} (", names[0]))
            && panels_row.contains(&format!("), {} (", names[1]))
            && !panels_row.contains(names[2]),
        "{panels_row}"
    );
    let without_panels: Vec<&str> = force_wide.lines().filter(|l| !l.starts_with("about,Panels,")).collect();
    let one_store = report(all.to_str().unwrap(), false, "csv");
    assert_eq!(without_panels, one_store.lines().collect::<Vec<_>>(), "the figures of one store holding both");
    assert!(one_store.contains("about,Period,,,,decisions made 2026-04-01 to 2026-09-30 ("), "{one_store}");
    assert!(!one_store.contains("(0 current decisions)"), "{one_store}");
    // A file is one panel: asked for a force-wide report, it says where one is made.
    let refused = jdp(all.to_str().unwrap(), &keys).args(["report", "--force-wide"]).output().unwrap();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("a file store is one panel"), "{said}");

    // Reviews on both panels: the force-wide report adds them up, naming each panel's actions.
    let req = SampleRequest {
        seed: "fw".into(),
        from: date("2026-04-01"),
        to: date("2026-09-30"),
        size: 6,
        strata: jdp::domain::sampling::Strata::Outcome,
        capped: Some(panel.scrutiny.always_include_percent),
        theme: None,
    };
    for (i, url) in urls[..2].iter().enumerate() {
        let mut server = PgStore::open(url).unwrap();
        let mut chain = server.chain();
        let (sample, drawn) = scrutiny::draw(&mut chain, &panel, &req, "tester", Utc::now()).unwrap();
        for (j, decision) in drawn.cases().into_iter().take(3 + i).enumerate() {
            let review = ReviewRecord {
                sample: sample.seq,
                decision,
                rating: ["consistent", "inconsistent"][j % 2].into(),
                observations: "Seen".into(),
                learning_points: vec![format!("Victims: panel {i} point {j}")],
                reviewers: vec!["Lay member".into()],
                actions: vec![ActionItem {
                    text: format!("Panel {i} check {j}"),
                    owner: "YJS".into(),
                    due: date("2026-12-31"),
                }],
            };
            scrutiny::record_review(&mut chain, &review, "tester", Utc::now()).unwrap();
        }
    }
    let scrutiny_rows = |csv: &str| -> std::collections::BTreeMap<String, u64> {
        let mut rows = std::collections::BTreeMap::new();
        for l in csv.lines().filter(|l| l.starts_with("scrutiny,")) {
            let (key, n) = l.rsplit_once(',').unwrap();
            *rows.entry(key.to_string()).or_default() += n.parse::<u64>().unwrap();
        }
        rows
    };
    let together = scrutiny_rows(&report(&board, true, "csv"));
    let mut added = scrutiny_rows(&report(&urls[0], false, "csv"));
    for (k, n) in scrutiny_rows(&report(&urls[1], false, "csv")) {
        *added.entry(k).or_default() += n;
    }
    assert_eq!(together, added);
    assert_eq!(together.get("scrutiny,rating,,Inconsistent,reviews"), Some(&3), "{together:?}");
    assert_eq!(together.get("scrutiny,theme,,victims,learning_points"), Some(&7), "{together:?}");
    let md = report(&board, true, "md");
    assert!(md.starts_with("# Out-of-court decisions: force-wide scrutiny and board report"), "{md}");
    for (i, name) in names[..2].iter().enumerate() {
        let row = md.lines().find(|l| l.contains(&format!("Panel {i} check 0"))).expect("each panel's actions");
        assert!(row.starts_with(&format!("| {name} ")), "{row}");
    }
    // Each panel read says so in its own access log, in the login's name; west has no entry.
    for (url, read) in urls.iter().zip([true, true, false]) {
        let log = PgStore::open(url).unwrap().access_log(5).unwrap();
        let entry = log.iter().find(|e| e.action == "report" && e.actor == "fw_board");
        assert_eq!(entry.is_some(), read, "{url}: {log:?}");
    }
}

/// Issue 15, "a force-wide scrutiny role samples across panels on anonymised views": a scrutiny
/// login granted two panels draws one sample of the size asked across both, from the anonymised
/// views (it never sees a reference), each panel's part recorded in its own chain; the same draw
/// again records nothing; a draw stopped part-way is completed; and `--recompute` redraws the
/// whole, saying when a panel's decisions have changed since.
#[test]
fn a_force_wide_sample_is_one_draw_across_the_panels_each_part_in_its_own_chain() {
    use jdp::store::Backend;
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let panel = default_panel();
    let urls = demo_panels(cluster, &keys, &[(40, 0..300), (41, 300..600), (42, 600..900)]);
    let names: Vec<&str> = urls.iter().map(|u| u.rsplit('/').next().unwrap()).collect();
    cluster
        .admin("postgres", "DO $$ BEGIN CREATE ROLE fw_lay LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    for db in &names[..2] {
        jdp(&urls[0], &keys).args(["server", "grant", "fw_lay", "scrutiny", "--panel-db", db]).assert().success();
    }
    let lay = cluster.url("fw_lay", names[1]);
    let ask = ["sample", "--force-wide", "--from", "2026-04-01", "--to", "2026-09-30", "--size", "24", "--seed", "fw"];
    // A draw stopped part-way: the first panel's part is recorded, the second's is not.
    let req = SampleRequest {
        seed: "fw".into(),
        from: date("2026-04-01"),
        to: date("2026-09-30"),
        size: 24,
        strata: jdp::domain::sampling::Strata::Outcome,
        capped: Some(panel.scrutiny.always_include_percent),
        theme: None,
    };
    let mut owners: Vec<PgStore> = urls.iter().map(|u| PgStore::open(u).unwrap()).collect();
    let before: Vec<i64> = owners.iter_mut().map(|s| s.summary().unwrap().records).collect();
    let parts = {
        let chains: Vec<_> = owners[..2].iter_mut().map(|s| s.chain()).collect();
        let named: Vec<(&str, &_)> = names[..2].iter().copied().zip(chains.iter()).collect();
        scrutiny::compute_force_wide(&named, &panel, &req, &[Default::default(), Default::default()]).unwrap()
    };
    let first_part = serde_json::to_string(&parts[0]).unwrap();
    use jdp::store::{ChainRead, ChainWrite};
    let north_seq = owners[0].chain().append_record("sample", first_part, "tester", Utc::now()).unwrap().seq;

    let said = stdout(jdp(&lay, &keys).args(ask));
    assert!(said.starts_with("Force-wide sample across 2 panels"), "{said}");
    assert!(said.contains(&format!("{} record {north_seq}", names[0])), "the part already there is kept: {said}");
    assert!(said.contains("24 case(s) to review (asked for 24)"), "{said}");
    assert!(!said.contains(names[2]), "a panel not granted is not read: {said}");
    let after: Vec<i64> = owners.iter_mut().map(|s| s.summary().unwrap().records).collect();
    assert_eq!(after, vec![before[0] + 1, before[1] + 1, before[2]], "one part in each granted panel's chain");
    // Each granted panel's head, its part in it, is signed for that panel's minutes.
    for (i, owner) in owners.iter_mut().enumerate() {
        let signed = owner.signatures().unwrap();
        if i == 2 {
            assert!(signed.is_empty(), "a panel not granted is not signed");
            continue;
        }
        assert_eq!(signed.len(), 1, "{said}");
        assert_eq!(signed[0].head.seq, after[i]);
        assert!(said.contains(&format!("Signed on {}: head {}", names[i], signed[0].head.minute())), "{said}");
    }
    // Each part: that panel's own decisions in the period; 24 cases in all, from both panels.
    let mut cases = 0;
    for (i, owner) in owners[..2].iter_mut().enumerate() {
        let (_, part) = scrutiny::stored_sample(&owner.chain(), None).unwrap().unwrap();
        assert_eq!(part.panels, names[..2].iter().map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!((part.chosen.clone(), part.always.clone()), (parts[i].chosen.clone(), parts[i].always.clone()));
        assert!(!part.cases().is_empty(), "both panels have cases in the draw");
        for seq in part.cases() {
            let row = owner.decision(seq).unwrap().expect("a decision of this panel");
            let on = row.snapshot.decided_on;
            assert!(on >= date("2026-04-01") && on <= date("2026-09-30"), "{on}");
            // The scrutiny login never sees a reference.
            let reference = owner.chain().reference_of(seq).unwrap();
            assert!(!reference.is_empty() && !said.contains(&reference), "{reference} in\n{said}");
        }
        cases += part.cases().len();
    }
    assert_eq!(cases, 24);
    // The population is both panels' decisions in the period.
    let population = |url: &str| -> u64 {
        let out =
            stdout(jdp(url, &keys).args(["sample", "--from", "2026-04-01", "--to", "2026-09-30", "--seed", "one"]));
        let line = out.lines().find(|l| l.starts_with("Period ")).unwrap().to_string();
        line.split(": ").nth(1).unwrap().split(' ').next().unwrap().replace(',', "").parse().unwrap()
    };
    let expected = population(&urls[0]) + population(&urls[1]);
    assert!(said.contains(&format!(": {} current decision(s)", expected)), "{expected} in\n{said}");

    // Again: already recorded, nothing new.
    let again = stdout(jdp(&lay, &keys).args(ask));
    assert!(again.contains("is already recorded") && again.contains("nothing new was recorded"), "{again}");
    // Recomputed from either panel: the whole draw, every part.
    let first_line = said.lines().next().unwrap();
    let south_seq: i64 = first_line.rsplit(&format!("{} record ", names[1])).next().unwrap().parse().unwrap();
    let north_lay = cluster.url("fw_lay", names[0]);
    for (url, seq) in [(&north_lay, north_seq), (&lay, south_seq)] {
        let ok = stdout(jdp(url, &keys).args(["sample", "--recompute", &seq.to_string()]));
        assert!(
            ok.starts_with(&format!("ok: sample record {seq} recomputes exactly across 2 panels (24 cases")),
            "{ok}"
        );
    }
    // A decision recorded since in one panel's period: the whole draw no longer recomputes.
    Backend::insert_demo(&mut owners[1], &mut generated(49, 2000..2040).into_iter(), "tester", Utc::now()).unwrap();
    let out = jdp(&north_lay, &keys).args(["sample", "--recompute", &north_seq.to_string()]).output().unwrap();
    let differs = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && differs.contains("no longer recomputes across 2 panels"), "{differs}");
}

/// Issue 15, force-wide: a case a review left without conclusion is carried into the next
/// force-wide draw in its own panel's part, and only there — each chain numbers its own records,
/// so the same number in another panel is another child's decision, never carried with it.
#[test]
fn a_case_left_without_conclusion_is_carried_into_the_next_force_wide_draw_in_its_own_panel_only() {
    let Some(cluster) = pg::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let urls = demo_panels(cluster, &keys, &[(50, 0..300), (51, 300..600)]);
    let names: Vec<&str> = urls.iter().map(|u| u.rsplit('/').next().unwrap()).collect();
    cluster
        .admin("postgres", "DO $$ BEGIN CREATE ROLE fw_carry LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    for db in &names {
        jdp(&urls[0], &keys).args(["server", "grant", "fw_carry", "scrutiny", "--panel-db", db]).assert().success();
    }
    let lay = cluster.url("fw_carry", names[0]);
    let ask = |seed: &'static str| {
        ["sample", "--force-wide", "--from", "2026-04-01", "--to", "2026-09-30", "--size", "12", "--seed", seed]
    };
    stdout(jdp(&lay, &keys).args(ask("first")));
    let mut owners: Vec<PgStore> = urls.iter().map(|u| PgStore::open(u).unwrap()).collect();
    let (sample, south) = scrutiny::stored_sample(&owners[1].chain(), None).unwrap().unwrap();
    // A south case whose number is also a north decision, which nobody reviewed.
    let case = *south.cases().iter().find(|seq| owners[0].decision(**seq).unwrap().is_some()).unwrap();
    let review = ReviewRecord {
        sample,
        decision: case,
        rating: "no_conclusion".into(),
        observations: "The victim's view is not on the file.".into(),
        learning_points: vec![],
        reviewers: vec!["Lay member A".into()],
        actions: vec![],
    };
    scrutiny::record_review(&mut owners[1].chain(), &review, "tester", Utc::now()).unwrap();

    let said = stdout(jdp(&lay, &keys).args(ask("second")));
    assert!(said.contains("carried forward"), "{said}");
    let (north_seq, north) = scrutiny::stored_sample(&owners[0].chain(), None).unwrap().unwrap();
    let (_, south) = scrutiny::stored_sample(&owners[1].chain(), None).unwrap().unwrap();
    assert_eq!(south.request().seed, "second", "the second draw's part");
    assert_eq!(south.carried(), [case].into(), "carried in its own panel's part");
    assert!(north.carried().is_empty(), "never into another panel's, whatever its numbers: {:?}", north.carried());
    assert!(south.cases().contains(&case));
    assert_eq!(north.cases().len() + south.cases().len(), 12, "the size asked, the carried case among them");
    // The whole draw recomputes, carried case and all.
    let ok = stdout(jdp(&lay, &keys).args(["sample", "--recompute", &north_seq.to_string()]));
    assert!(ok.starts_with(&format!("ok: sample record {north_seq} recomputes exactly across 2 panels")), "{ok}");
}

/// A sample an older jdp drew over part of a month, copied to a server: a chair recomputes it
/// from the records; a scrutiny login, which reads decisions by whole months only, is told who can.
#[test]
fn a_part_month_sample_from_an_older_jdp_recomputes_for_a_chair_and_is_refused_to_scrutiny_in_words() {
    let Some(cluster) = pg::cluster() else { return };
    let (_dir, keys, path) = scrutinised();
    let panel = default_panel();
    let mut file = Store::open(&path).unwrap();
    let req = SampleRequest {
        seed: "older".into(),
        from: date("2026-07-15"),
        to: date("2026-09-20"),
        size: 8,
        strata: jdp::domain::sampling::Strata::Outcome,
        capped: Some(panel.scrutiny.always_include_percent),
        theme: None,
    };
    let old = scrutiny::compute(&file, &panel, &req, &Default::default()).unwrap();
    let seq = file.append_record("sample", serde_json::to_string(&old).unwrap(), "tester", Utc::now()).unwrap().seq;
    drop(file);
    let owner = copied(cluster, &path, &keys);
    let db = owner.rsplit('/').next().unwrap().to_string();
    stdout(jdp(&owner, &keys).args(["server", "init"]));
    cluster
        .admin("postgres", "DO $$ BEGIN CREATE ROLE pm_lay LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    stdout(jdp(&owner, &keys).args(["server", "grant", "pm_lay", "scrutiny", "--panel-db", &db]));
    let recomputed = stdout(jdp(&owner, &keys).args(["sample", "--recompute", &seq.to_string()]));
    assert!(recomputed.starts_with(&format!("ok: sample record {seq} recomputes exactly")), "{recomputed}");
    let out = jdp(&cluster.url("pm_lay", &db), &keys).args(["sample", "--recompute", &seq.to_string()]).output();
    let out = out.unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("2026-07-15 to 2026-09-20") && said.contains("part of a month"), "{said}");
    assert!(said.contains("a chair or an admin"), "{said}");
    assert!(!said.contains("permission denied"), "in words, not the server's: {said}");
}
