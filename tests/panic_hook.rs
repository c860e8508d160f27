//! The CLI's panic hook: a panic anywhere prints one line, never its payload (which could hold
//! a child's name), and jdp exits 1. Run in a child process, since the hook is process-wide.

use std::process::{Command, ExitCode};

const CHILD: &str = "JDP_TEST_PANIC_CHILD";

/// The child: runs a "command" that panics with personal text under the CLI's guard, and exits
/// with the code the guard gives. Ignored, so it never counts as a passing test; the parent
/// runs it with --ignored.
#[test]
#[ignore = "helper process for the panic hook test"]
fn child_that_panics() {
    if std::env::var(CHILD).is_err() {
        return;
    }
    let code = jdp::cli::guarded(|| {
        let name = "Jordan Reid";
        panic!("cannot walk the case of {name}, born 2012-05-14, at 14 Elm Road");
    });
    std::process::exit(if code == ExitCode::from(jdp::cli::EXIT_USER_ERROR) { 1 } else { 99 });
}

#[test]
fn a_panic_prints_one_line_without_its_payload_and_exits_1() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["child_that_panics", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    for secret in ["Jordan", "Reid", "2012-05-14", "Elm Road", "cannot walk", "stack backtrace"] {
        assert!(!stderr.contains(secret) && !stdout.contains(secret), "{secret:?} printed:\n{stderr}\n{stdout}");
    }
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{stderr}");
    assert!(lines[0].starts_with("jdp: internal error at tests/panic_hook.rs:"), "{}", lines[0]);
    assert!(lines[0].contains("no case data is shown"), "{}", lines[0]);
}
