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
    assert_eq!(out.matches("training scenario").count(), 8, "{out}");
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
