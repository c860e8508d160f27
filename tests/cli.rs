//! The command line as a user runs it: help text, exit codes, `check` output.

use assert_cmd::Command;
use clap::CommandFactory;
use jdp::cli::Cli;

fn jdp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jdp"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("JDP_DB").env_remove("JDP_PANEL");
    c
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.output().unwrap().stdout).unwrap()
}

#[test]
fn the_clap_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn every_command_has_help_in_plain_words() {
    for (cmd, words) in [
        ("panel", "live panel screen"),
        ("train", "mock panel"),
        ("check", "line, column"),
        ("import", "referrals"),
        ("agenda", "still missing"),
        ("export", "decisions"),
        ("demo-data", "synthetic"),
        ("verify", "first bad record"),
        ("sample", "scrutiny sample"),
        ("report", "disproportionality"),
    ] {
        let out = jdp().args([cmd, "--help"]).assert().success().get_output().stdout.clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(words), "jdp {cmd} --help should mention {words:?}:\n{text}");
        assert!(text.contains("--db") && text.contains("--panel"), "global options on {cmd}");
    }
}

#[test]
fn check_passes_on_every_shipped_file() {
    let out = stdout(jdp().args(["check", "panels/default.toml", "panels/acpo-2013.toml"]));
    assert_eq!(out.lines().filter(|l| l.starts_with("ok: ")).count(), 2, "{out}");
    assert!(out.contains("Illustrative scores"), "the matrix says its scores are illustrative");
}

#[test]
fn check_recognises_scenarios_and_referral_files() {
    let mut args = vec!["check".to_string(), "panels/examples/referrals.toml".to_string()];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("panels/training");
    let mut scenarios: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| format!("panels/training/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    scenarios.sort();
    args.extend(scenarios);
    let out = stdout(jdp().args(&args));
    assert!(out.contains("ok: panels/examples/referrals.toml: 3 referral(s)"), "{out}");
    assert_eq!(out.matches("training scenario").count(), 11, "{out}");
}

#[test]
fn check_without_files_checks_the_panel_in_use() {
    let out = stdout(jdp().arg("check"));
    assert!(out.starts_with("ok: panels/default.toml"), "{out}");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = stdout(jdp().current_dir(elsewhere.path()).arg("check"));
    assert!(out.contains("built-in default panel"), "falls back to the compiled-in copy: {out}");
}

#[test]
fn check_reports_every_bad_file_and_exits_1() {
    let out = jdp()
        .args([
            "check",
            "panels/default.toml",
            "tests/fixtures/invalid/score-above-scale.toml",
            "tests/fixtures/invalid/unknown-key-panel.toml",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("tests/fixtures/invalid/score-above-scale.toml:75:14: gravity.offences[1].base_score"),
        "{err}"
    );
    assert!(err.contains("did you mean `version`?"), "{err}");
    assert!(err.contains("2 of 3 file(s) have problems."), "{err}");
}

#[test]
fn a_bad_panel_option_stops_every_command_with_a_located_error() {
    jdp()
        .args(["--panel", "tests/fixtures/invalid/duplicate-offence.toml", "panel"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("duplicate-offence.toml:74:8: gravity.offences[1].name"));
}

#[test]
fn a_missing_file_is_a_user_error() {
    jdp()
        .args(["check", "no/such/file.toml"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("expected a readable file"));
}

#[test]
fn usage_errors_exit_2() {
    jdp().arg("frobnicate").assert().code(2);
    jdp().args(["check", "--no-such-flag"]).assert().code(2);
}

/// Runs a command that must succeed; its standard output.
fn ok(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

fn with_db(db: &std::path::Path) -> Command {
    let mut c = jdp();
    c.env("JDP_KEY_DIR", db.with_extension("keys")).arg("--db").arg(db);
    c
}

#[test]
fn a_sample_that_no_longer_recomputes_exits_3_not_1() {
    // 3 means "something no longer checks out", which a script must not mistake for a typo (1).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    with_db(&db).args(["demo-data", "--decisions", "300", "--until", "2026-06-30"]).assert().success();
    let out =
        ok(with_db(&db).args(["sample", "--from", "2025-07-01", "--to", "2026-06-30", "--seed", "s", "--size", "10"]));
    let seq = out.split_whitespace().nth(2).unwrap().to_string();
    with_db(&db).args(["sample", "--recompute", &seq]).assert().code(0).stdout(predicates::str::contains("exactly"));
    // More decisions in the period: the stored draw is no longer what a fresh one gives.
    with_db(&db).args(["demo-data", "--decisions", "300", "--seed", "2", "--until", "2026-06-30"]).assert().success();
    with_db(&db).args(["sample", "--recompute", &seq]).assert().code(3).stderr(predicates::str::contains("DIFFERS"));
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused_by_every_command_that_takes_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    with_db(&db).args(["demo-data", "--decisions", "20"]).assert().success();
    for cmd in ["sample", "report", "export"] {
        with_db(&db)
            .args([cmd, "--from", "2026-05-01", "--to", "2026-01-31"])
            .assert()
            .code(1)
            .stderr(predicates::str::contains("--from 2026-05-01 is after --to 2026-01-31"));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_an_error_not_a_silent_success() {
    // /dev/full refuses every write: before, the 23 ignored writeln! results made this exit 0.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("JDP_DB")
        .env_remove("JDP_PANEL")
        .args(["check", "panels/default.toml"])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("standard output"), "{err}");
}

#[test]
fn a_damaged_database_exits_4_and_a_file_that_is_not_a_database_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.sqlite3");
    with_db(&db).args(["import", "panels/examples/referrals.toml"]).assert().success();
    // Scribble over every page after the header: SQLite's integrity check fails.
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(4096) {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    with_db(&db).arg("verify").assert().code(4).stderr(predicates::str::contains("damaged"));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some notes\n".repeat(200)).unwrap();
    with_db(&text).arg("verify").assert().code(1).stderr(predicates::str::contains("not a jdp database"));
}

#[test]
fn sample_size_30_lists_30_cases_and_counts_the_flagged_ones_not_drawn() {
    // Issue 12: on a 5,000-decision store `--size 30` listed 242 cases (212 always-included on top).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    with_db(&db).args(["demo-data", "--decisions", "1500", "--until", "2026-09-30"]).assert().success();
    let out =
        ok(with_db(&db).args(["sample", "--from", "2024-10-01", "--to", "2026-09-30", "--size", "30", "--seed", "q"]));
    let listed = out.lines().filter(|l| l.trim_start().starts_with("record ")).count();
    assert_eq!(listed, 30, "{out}");
    assert!(out.contains("30 case(s) to review (asked for 30)"), "{out}");
    assert!(out.contains("Flagged, not sampled"), "{out}");
    // The same draw again shows the stored sample; nothing is recorded twice.
    let again =
        ok(with_db(&db).args(["sample", "--from", "2024-10-01", "--to", "2026-09-30", "--size", "30", "--seed", "q"]));
    assert!(again.contains("nothing new was recorded"));
}

#[test]
fn commands_that_read_a_database_never_create_one_at_a_mistyped_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("jdp.sqlite3");
    for args in
        [vec!["verify"], vec!["sign"], vec!["export"], vec!["report"], vec!["sample", "--size", "5"], vec!["scrutiny"]]
    {
        with_db(&missing).args(&args).assert().code(1).stderr(predicates::str::contains("there is no database here"));
        assert!(!missing.exists() && !missing.parent().unwrap().exists(), "{args:?} created the store");
    }
}

#[test]
fn an_unknown_theme_is_refused_with_what_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    with_db(&db).args(["demo-data", "--decisions", "20"]).assert().success();
    with_db(&db).args(["sample", "--theme", "knifes"]).assert().code(1).stderr(
        predicates::prelude::PredicateBooleanExt::and(
            predicates::str::contains("--theme \"knifes\": expected an offence group ("),
            predicates::str::contains("Weapons"),
        ),
    );
}

#[test]
fn a_period_with_no_decisions_records_no_sample_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    with_db(&db).args(["demo-data", "--decisions", "200", "--until", "2026-06-30"]).assert().success();
    let out = with_db(&db)
        .args(["sample", "--from", "2020-01-01", "--to", "2020-03-31", "--seed", "s", "--size", "10"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no decisions from 2020-01-01 to 2020-03-31"), "{said}");
    assert!(said.contains("no sample was recorded"), "{said}");
    let heads = ok(with_db(&db).args(["verify"]));
    let after =
        ok(with_db(&db).args(["sample", "--from", "2025-07-01", "--to", "2026-06-30", "--seed", "s", "--size", "10"]));
    assert!(after.starts_with("Sample record "), "the next sample is drawn as ever: {after} ({heads})");
}

#[test]
fn a_sample_over_part_of_a_month_is_refused_naming_the_date_and_the_whole_months() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    with_db(&db).args(["demo-data", "--decisions", "200", "--until", "2026-06-30"]).assert().success();
    let heads = ok(with_db(&db).args(["verify"]));
    let out = with_db(&db)
        .args(["sample", "--from", "2026-01-15", "--to", "2026-06-30", "--seed", "s", "--size", "10"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--from 2026-01-15 is not the first day of a month"), "{said}");
    assert!(said.contains("--from 2026-01-01 --to 2026-06-30"), "{said}");
    assert_eq!(ok(with_db(&db).args(["verify"])), heads, "nothing was recorded");
    let said = ok(with_db(&db).args(["sample", "--from", "2026-01-01", "--to", "2026-06-30", "--seed", "s"]));
    assert!(said.starts_with("Sample record "), "{said}");
}
