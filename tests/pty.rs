//! End to end in a real pseudo-terminal: the jdp binary as a chair runs it. Output is drained on
//! a thread into a vt100 screen; each step waits (generously) for the text it expects.

mod common;
#[path = "common/pg.rs"]
mod pg;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Term {
    /// The signing key of this run's panel screen: never the tester's own.
    _keys: tempfile::TempDir,
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
}

impl Term {
    fn start(db: &Path) -> Term {
        Self::start_with(&["--db".as_ref(), db.as_os_str()], None)
    }

    /// Runs jdp with these arguments; `live` is exported as JDP_DB, as a chair's machine would.
    fn start_with(args: &[&std::ffi::OsStr], live: Option<&Path>) -> Term {
        let pty =
            native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jdp"));
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "chair");
        let keys = tempfile::tempdir().unwrap();
        cmd.env("JDP_KEY_DIR", keys.path());
        for a in args {
            cmd.arg(a);
        }
        if let Some(live) = live {
            cmd.env("JDP_DB", live);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Term { _keys: keys, screen, writer, child, master: Some(pty.master) }
    }

    /// The terminal window is closed: the pseudo-terminal goes away under jdp.
    fn close_terminal(&mut self) {
        self.master = None;
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.text().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("waited for {what:?}; the screen shows:\n{}", self.text());
    }

    /// Sends keys, with a pause so a lone Esc is never read as Alt+key.
    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";

/// jdp on `db`, at step 2 of Kayla's referral (the second in the queue).
fn kaylas_research(db: &Path) -> Term {
    let mut t = Term::start(db);
    t.wait_for("Referral queue");
    t.keys(DOWN);
    t.keys(ENTER);
    t.wait_for("Referral facts");
    t.keys("2");
    t.wait_for("2  Police research summary");
    t
}

/// Runs a jdp command on `db` that must succeed, giving its standard output.
fn jdp_ok(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn import_examples(db: &Path) {
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--db")
        .arg(db)
        .args(["import", "panels/examples/referrals.toml"])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[test]
fn a_chair_records_a_complete_joint_decision() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    import_examples(&db);
    let mut t = Term::start(&db);
    t.wait_for("Referral queue");
    // The panel session: police and YJS present.
    t.keys("s");
    t.wait_for("Panel session");
    // The chair first: ↑ from "+ Add a member present", Enter, the name, Enter.
    t.keys(UP);
    t.keys(ENTER);
    t.keys("Insp. Maya Quinn");
    t.keys(ENTER);
    t.wait_for("Insp. Maya Quinn");
    for (name, agency_downs) in [("PC Dana Price", 0), ("Sam Okafor", 1)] {
        t.keys(ENTER); // "+ Add a member present" opens the name editor at once
        t.keys(name);
        t.keys(ENTER);
        t.keys(ENTER); // agency list
        for _ in 0..agency_downs {
            t.keys(DOWN);
        }
        t.keys(ENTER);
        t.keys(ENTER); // role list
        t.keys(ENTER);
    }
    t.wait_for("Quorum: met");
    t.keys(ESC);
    t.wait_for("Referral queue");
    // Jordan's referral is third (newest referral first).
    t.keys(DOWN);
    t.keys(DOWN);
    t.keys(ENTER);
    t.wait_for("Referral facts — Jordan Reid");
    t.keys("3");
    t.wait_for("3  Victim's views");
    t.keys(ENTER);
    t.keys(&DOWN.repeat(3));
    t.keys(ENTER); // victim contacted; focus moves to "Contacted on"
    t.keys(ENTER);
    t.keys("2026-11-20");
    t.keys(ENTER); // kept; focus moves to "Contacted by"
    t.keys(ENTER);
    t.keys("Jo Bell, victim liaison officer");
    t.keys(ENTER);
    t.keys(ENTER); // "How"
    t.keys("Telephone");
    t.keys(ENTER);
    t.keys(DOWN); // past "Victim under 18"
    t.keys(ENTER);
    t.keys("Wants Jordan to understand the effect on staff.");
    t.keys(ESC);
    // Restorative justice: offered (issue 13), the last field of the step.
    t.keys(&DOWN.repeat(7));
    t.keys(ENTER);
    t.keys(DOWN);
    t.keys(ENTER);
    t.wait_for("This step is complete");
    t.keys("6");
    t.wait_for("6  Proposed outcome");
    t.keys(ENTER);
    t.keys(&DOWN.repeat(3));
    t.keys(ENTER);
    t.wait_for("Community resolution (CR)");
    t.keys("7");
    t.wait_for("7  Joint decision");
    // Each agency gives its view on the proposal: Community resolution is fourth in the list.
    for _ in 0..2 {
        t.keys(ENTER);
        t.keys(&DOWN.repeat(3));
        t.keys(ENTER);
    }
    t.keys(DOWN); // past the final outcome, which follows the proposal
    t.keys(ENTER);
    t.keys("First offence, admitted; a community resolution with an apology meets the victim's wish.");
    t.keys(ESC);
    t.keys("9");
    t.wait_for("Press Enter to record this joint decision");
    t.keys(ENTER);
    t.wait_for("Record this joint decision now?");
    t.keys(ENTER);
    t.wait_for("RECORDED as record 1");
    // The head is signed at once, and shown for the minutes.
    t.wait_for("Minute the head:");
    let store = jdp::store::Store::open(&db).unwrap();
    let head = format!("1:{}", store.summary().unwrap().head_hash);
    drop(store);
    t.wait_for(&head); // whole, on the screen (it wraps onto its own line rather than being cut)
    t.keys(ESC);
    t.wait_for("Referral queue");
    t.keys("q");
    let status = t.child.wait().unwrap();
    assert!(status.success(), "{status:?}");

    let store = jdp::store::Store::open(&db).unwrap();
    let id = store.referral_id("JDP-2026-0141").unwrap().unwrap();
    let decisions = store.decisions_for(id).unwrap();
    assert_eq!(decisions.len(), 1);
    let d = &decisions[0].snapshot;
    assert_eq!(d.outcome(), "CR");
    assert!(d.case.decision.rationale.starts_with("First offence, admitted"));
    assert_eq!(d.case.decision.present.len(), 2);
    // The actor is the operating-system account, not $USER (which the test sets to "chair").
    assert_eq!(decisions[0].recorded_by, jdp::platform::os_account());
    assert_ne!(decisions[0].recorded_by, "chair");
    assert_eq!(store.verify().unwrap().unwrap().checked, 1);
    drop(store);

    // After the panel (README): the task board, and the minutes whose head verifies.
    let tasks = jdp_ok(&db, &["tasks"]);
    assert!(tasks.contains("1/notify_yjs") && tasks.contains("1/inform_victim"), "{tasks}");
    let minutes = dir.path().join("minutes.md");
    jdp_ok(&db, &["minutes", "--out", minutes.to_str().unwrap()]);
    let text = std::fs::read_to_string(&minutes).unwrap();
    for expected in [
        "**Chair:** Insp. Maya Quinn",
        "- Police: PC Dana Price",
        "- Youth Justice Service: Sam Okafor",
        "## Confidentiality",
        "JDP-2026-0141 — Jordan Reid (record 1)",
        "Decision: Community resolution (CR)",
        "Rationale: First offence, admitted",
        "Task: Notify the YJS of the Community resolution",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from the minutes:\n{text}");
    }
    assert!(text.contains(&format!("**{head}**")), "the head after the meeting: {text}");
    let verified = jdp_ok(&db, &["verify", "--expect", &head]);
    assert!(verified.starts_with("ok"), "{verified}");
    // Pseudonymised for circulation beyond the panel: no name, no reference.
    let pseudo = jdp_ok(&db, &["minutes", "--pseudonymise", "--format", "html"]);
    assert!(!pseudo.contains("Jordan") && !pseudo.contains("Reid") && !pseudo.contains("JDP-2026-0141"), "{pseudo}");
    assert!(pseudo.contains(&head) && pseudo.contains("Insp. Maya Quinn"), "{pseudo}");
}

#[test]
fn killed_mid_walk_the_draft_is_offered_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    import_examples(&db);
    let mut t = kaylas_research(&db);
    t.keys(ENTER);
    t.keys("Two calls from the residential home this year; no charges.");
    // Typing goes on for more than the autosave interval, then the laptop dies.
    std::thread::sleep(Duration::from_secs(4));
    t.child.kill().unwrap();
    t.child.wait().unwrap();
    drop(t);

    let mut t = Term::start(&db);
    t.wait_for("A panel walk was in progress: JDP-2026-0142, at Police research");
    t.keys(ENTER);
    t.wait_for("2  Police research summary");
    t.wait_for("Two calls from the");
    t.wait_for("residential home this year;");
    t.keys("q");
    t.wait_for("Leave jdp?");
    t.keys("y");
    assert!(t.child.wait().unwrap().success());
    let store = jdp::store::Store::open(&db).unwrap();
    let id = store.referral_id("JDP-2026-0142").unwrap().unwrap();
    let draft = store.draft(id).unwrap().unwrap();
    assert_eq!(draft.step, "research");
    assert_eq!(draft.case.research.history, "Two calls from the residential home this year; no charges.");
}

/// The child half of the panic test: panics with personal data in the message. Ignored, so it
/// never counts as a passing test; the parent runs it with --ignored.
#[test]
#[ignore = "helper process for the_panic_message_names_no_one"]
fn panic_child() {
    assert!(std::env::var("JDP_TEST_PANIC").is_ok(), "run only by the_panic_message_names_no_one");
    jdp::tui::install_panic_hook();
    let name = "Jordan Reid, born 2012-05-14";
    panic!("could not save {name}");
}

#[test]
fn the_panic_message_names_no_one() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["panic_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("JDP_TEST_PANIC", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the child ran and panicked: {stderr}");
    assert!(stderr.contains("a fault in jdp itself"), "{stderr}");
    assert!(!stderr.contains("Jordan") && !stderr.contains("2012-05-14"), "{stderr}");
}

#[test]
fn a_mock_panel_leaves_the_live_database_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.sqlite3");
    import_examples(&live);
    let before = std::fs::read(&live).unwrap();
    let mut t = Term::start_with(&["train".as_ref(), "06".as_ref()], Some(&live));
    t.wait_for("TRAINING — NOT A REAL CASE");
    t.wait_for("Referral facts — Jake Pemberton");
    for step in ["2", "3", "4", "5"] {
        t.keys(step);
    }
    t.keys("6");
    t.wait_for("6  Proposed outcome");
    t.keys(ENTER);
    t.keys(&DOWN.repeat(5));
    t.keys(ENTER); // youth conditional caution
    t.keys(ENTER); // evidence sufficient
    t.keys(DOWN);
    t.keys(ENTER); // consent
    // The conditional caution's statutory checklist (issue 13): tick the three left to confirm.
    t.keys(DOWN);
    t.keys(ENTER);
    t.wait_for("statutory checklist");
    for _ in 0..3 {
        t.keys(" ");
        t.keys(DOWN);
    }
    t.keys(ENTER);
    // Who authorised it (an inspector, in the panel definition); focus moved on to it.
    t.keys(ENTER);
    t.keys("Insp. Dan Price");
    t.keys(ENTER);
    t.keys("7");
    t.wait_for("7  Joint decision");
    // Each agency gives its view on the proposal: the conditional caution is sixth in the list.
    for _ in 0..2 {
        t.keys(ENTER);
        t.keys(&DOWN.repeat(5));
        t.keys(ENTER);
    }
    t.keys(DOWN); // past the final outcome, which follows the proposal
    t.keys(ENTER);
    t.keys("Admitted, evidence sufficient, consents; reparation as the club asked.");
    t.keys(ESC);
    t.keys(DOWN);
    t.keys(ENTER);
    t.keys("Six hours of reparation at the pavilion");
    t.keys(ESC);
    t.keys("9");
    t.wait_for("Press Enter to record");
    t.keys(ENTER);
    t.keys(ENTER);
    t.wait_for("RECORDED as record 1");
    t.keys("d");
    t.wait_for("Debrief — Conditions that fit");
    t.wait_for("Outcome ✓ same");
    t.keys("q");
    assert!(t.child.wait().unwrap().success());
    assert_eq!(std::fs::read(&live).unwrap(), before, "the live database was not touched");
}

/// Issue 15: a workstation set up for the shared server (JDP_DB=postgres://…) trains as any
/// other: JDP_DB is never used for training, so the mock panel runs on this machine, and the
/// server is not touched (a trainer login has nothing of the live data).
#[test]
fn a_mock_panel_on_a_workstation_set_up_for_the_server_runs_here_and_leaves_the_server_alone() {
    let Some(cluster) = pg::cluster() else { return };
    let url = cluster.fresh_db();
    let live = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--db", &url, "import", "panels/examples/referrals.toml"])
        .output()
        .unwrap();
    assert!(live.status.success(), "{live:?}");
    let counts = || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let row = c
            .query_one(
                "SELECT (SELECT count(*) FROM referrals), (SELECT count(*) FROM records), \
                        (SELECT count(*) FROM access_log), (SELECT count(*) FROM drafts)",
                &[],
            )
            .unwrap();
        (row.get::<_, i64>(0), row.get::<_, i64>(1), row.get::<_, i64>(2), row.get::<_, i64>(3))
    };
    let before = counts();
    let mut t = Term::start_with(&["train".as_ref(), "01".as_ref()], Some(Path::new(&url)));
    t.wait_for("TRAINING — NOT A REAL CASE");
    t.keys("2");
    t.wait_for("Police research summary — Ellie Fenwick");
    t.keys("q");
    t.wait_for("This mock panel is held in memory only");
    t.keys("y");
    assert!(t.child.wait().unwrap().success(), "{}", t.text());
    assert_eq!(counts(), before, "the server was not touched");
}

#[test]
fn training_refuses_a_database_with_real_referrals() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.sqlite3");
    import_examples(&live);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--db")
        .arg(&live)
        .args(["train", "01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds real referrals"));
}

#[test]
fn a_scrutiny_chair_samples_last_quarter_reviews_a_case_and_produces_the_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scrutiny.sqlite3");
    let (from, to) = jdp::cli::last_quarter(chrono::Local::now().date_naive());
    let jdp = |args: &[&str]| jdp_ok(&db, args);
    jdp(&["demo-data", "--decisions", "1500", "--until", &to.to_string()]);
    let sample = jdp(&["sample", "--size", "12", "--seed", "board"]);
    assert!(sample.contains(&format!("Period {from} to {to}")), "{sample}");
    let seq: i64 = sample.split_whitespace().nth(2).unwrap().parse().unwrap();

    let mut t = Term::start_with(&["--db".as_ref(), db.as_os_str(), "scrutiny".as_ref()], None);
    t.wait_for(&format!("sample record {seq}"));
    t.keys(ENTER);
    t.wait_for(" · anonymised ");
    t.keys(ENTER); // rating list
    t.keys(DOWN);
    t.keys(ENTER); // consistent with observations; on to the next field, as on the walk
    t.keys(DOWN);
    t.keys(ENTER);
    t.keys("victim: record each attempt to contact");
    t.keys(ESC);
    t.keys(DOWN); // actions: none this time
    t.keys(DOWN);
    t.keys(ENTER);
    t.keys("Independent chair");
    t.keys(ESC);
    t.keys(DOWN);
    t.keys(ENTER); // record
    t.wait_for("Review recorded as record");
    t.wait_for("1 reviewed");
    t.keys("q");
    assert!(t.child.wait().unwrap().success());

    let html = dir.path().join("board.html");
    jdp(&["report", "--format", "html", "--out", html.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Consistent with observations: 1"), "the review is in the report");
    assert!(page.contains("victim: 1"), "learning points by theme");
    assert!(page.contains("<svg"));
    let store = jdp::store::Store::open(&db).unwrap();
    assert!(store.verify().unwrap().is_ok(), "the review is a record in a valid chain");
    let log = store.access_log(20).unwrap();
    assert!(log.iter().any(|e| e.action == "view" && e.reason == "scrutiny review"));
    assert!(jdp(&["sample", "--recompute", &seq.to_string()]).contains("recomputes exactly"));
}

/// Issue 12: a blind rating round at the shared screen. Two reviewers give their own ratings
/// alone (the room sees only that each was given), the chair reveals them, the panel records the
/// agreed rating, and the minutes keep the spread. Own ratings close once the panel has agreed.
#[test]
fn two_reviewers_rate_blind_then_the_panel_agrees_and_the_minutes_keep_the_spread() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("blind.sqlite3");
    let jdp = |args: &[&str]| jdp_ok(&db, args);
    jdp(&["demo-data", "--decisions", "400", "--until", "2026-09-30"]);
    let sample = jdp(&["sample", "--from", "2026-07-01", "--to", "2026-09-30", "--size", "5", "--seed", "blind"]);
    let seq: i64 = sample.split_whitespace().nth(2).unwrap().parse().unwrap();

    let mut t = Term::start_with(&["--db".as_ref(), db.as_os_str(), "scrutiny".as_ref()], None);
    t.wait_for(&format!("sample record {seq}"));
    t.keys(ENTER);
    t.wait_for(" · anonymised ");
    // The reviewers present first: own ratings are theirs.
    t.keys(&DOWN.repeat(4));
    t.keys(ENTER);
    t.keys("Ann Lay\rBen Police");
    t.keys(ESC);
    t.wait_for("Ann Lay; Ben Police");
    // Ann, a lay member, rates alone: "Inconsistent" (3).
    t.keys("b");
    t.wait_for("Who is giving their own rating");
    t.keys(ENTER);
    t.wait_for("Ann Lay's agency");
    t.keys(&DOWN.repeat(9)); // the last: a lay member
    t.keys(ENTER);
    t.wait_for("press the number of your rating");
    t.keys("3");
    t.wait_for("Ann Lay's own rating is kept, hidden (1 given)");
    // Ben, police (who attend without a vote), rates alone: "Consistent with observations" (2).
    t.keys("b");
    t.wait_for("Who is giving their own rating");
    t.keys(DOWN);
    t.keys(ENTER);
    t.wait_for("Ben Police's agency");
    t.keys(ENTER); // police, the first
    t.wait_for("press the number of your rating");
    t.keys("2");
    t.wait_for("Ben Police's own rating is kept, hidden (2 given)");
    t.wait_for("Members' own ratings: 2 given — v");
    // Blind: nothing on screen says what either rated.
    let screen = t.text();
    assert!(!screen.contains("Inconsistent") && !screen.contains("Consistent with"), "{screen}");
    // Ann cannot rate the case twice.
    t.keys("b");
    t.keys(ENTER);
    t.keys(&DOWN.repeat(9));
    t.keys(ENTER);
    t.keys("1");
    t.wait_for("Own rating not kept: expected a reviewer who has not rated this case already");
    // The chair reveals them, asked first.
    t.keys("v");
    t.wait_for("Show the members' own ratings");
    t.keys("y");
    t.wait_for("Ann Lay (Lay member): Inconsistent");
    t.wait_for("Ben Police (Police, no vote):");
    t.wait_for("Consistent with observations");
    // The panel agrees "Consistent with observations" and records it.
    t.keys(&UP.repeat(4));
    t.keys(ENTER);
    t.keys(DOWN);
    t.keys(ENTER);
    t.wait_for("    Consistent with observations");
    t.keys(&DOWN.repeat(4)); // the choice moved on to the next field
    t.keys(ENTER);
    t.wait_for("Review recorded as record");
    t.keys("q");
    assert!(t.child.wait().unwrap().success());

    let minutes = jdp(&["scrutiny", "minutes", "--sample", &seq.to_string()]);
    assert!(minutes.contains("Inconsistent ×1"), "the voting spread: {minutes}");
    assert!(minutes.contains("police (no vote): Consistent with observations"), "{minutes}");
    assert!(minutes.contains("| Consistent with observations |"), "the agreed rating: {minutes}");
    let store = jdp::store::Store::open(&db).unwrap();
    let own = jdp::scrutiny::blind_ratings(&store).unwrap();
    assert_eq!(own.len(), 2, "one own rating each, in the chain");
    assert!(store.verify().unwrap().is_ok());
}

/// Issue 9 (10): SIGTERM (and SIGHUP) keep a ticked box and the typing in an open editor, and
/// give the terminal back: no alternate screen, the cursor shown.
#[cfg(unix)]
#[test]
fn sigterm_keeps_the_draft_and_restores_the_terminal() {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("jdp.sqlite3");
        import_examples(&db);
        let mut t = kaylas_research(&db);
        // Tick "Live investigation", the sixth field, then type in the history without keeping it.
        t.keys(&DOWN.repeat(5));
        t.keys(ENTER);
        t.wait_for("[x] yes");
        t.keys(&"\x1b[A".repeat(5));
        t.keys(ENTER);
        t.keys("Known to the residential home");
        assert!(t.screen.lock().unwrap().screen().alternate_screen());
        let pid = t.child.process_id().unwrap() as i32;
        unsafe { libc::kill(pid, signal) };
        let status = t.child.wait().unwrap();
        assert!(status.success(), "{status:?}");
        std::thread::sleep(Duration::from_millis(300));
        {
            let parser = t.screen.lock().unwrap();
            assert!(!parser.screen().alternate_screen(), "the terminal left the alternate screen");
            assert!(!parser.screen().hide_cursor(), "the cursor is shown again");
        }
        let store = jdp::store::Store::open(&db).unwrap();
        let id = store.referral_id("JDP-2026-0142").unwrap().unwrap();
        let draft = store.draft(id).unwrap().unwrap();
        assert!(draft.case.research.live_investigation, "the ticked box is kept (signal {signal})");
        assert_eq!(draft.case.research.history, "Known to the residential home", "signal {signal}");
    }
}

/// Issue 9 (10): the terminal window closed under jdp (the pseudo-terminal gone, then SIGHUP):
/// jdp keeps the typing and exits, rather than spinning on a dead terminal.
#[cfg(unix)]
#[test]
fn a_closed_terminal_keeps_the_draft_and_jdp_exits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    import_examples(&db);
    let mut t = kaylas_research(&db);
    t.keys(ENTER);
    t.keys("Known to the residential home");
    let pid = t.child.process_id().unwrap() as i32;
    t.close_terminal();
    std::thread::sleep(Duration::from_millis(300));
    unsafe { libc::kill(pid, libc::SIGHUP) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "jdp is still running with its terminal gone");
        std::thread::sleep(Duration::from_millis(100));
    }
    let store = jdp::store::Store::open(&db).unwrap();
    let id = store.referral_id("JDP-2026-0142").unwrap().unwrap();
    let draft = store.draft(id).unwrap().unwrap();
    assert_eq!(draft.case.research.history, "Known to the residential home");
}
