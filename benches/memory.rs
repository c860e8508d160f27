//! Peak memory at 1,000,000 decisions (issue 10, "Memory at 1,000,000 decisions"). Target: every
//! command ≤ 64 MB peak resident memory. `cargo bench --bench memory` makes (once, cached under
//! target/bench-data) a demo store with `jdp demo-data --decisions 1000000`, runs the release
//! binary for each command on a copy of it, reads each child's peak resident set from `wait4`,
//! prints a table against the target and exits non-zero if any command exceeds it.
//!
//! The scrutiny screen needs a terminal, so its data loading is measured in a child process of
//! this bench (it runs itself again with `JDP_MEMORY_CHILD=scrutiny`): the same library calls
//! `jdp scrutiny` makes before its first frame, and that frame drawn to an off-screen buffer.
//!
//! Environment: `JDP_BENCH_DB` reuses a store; `JDP_BENCH_N` makes a smaller one; `JDP_BENCH_BIN`
//! measures another jdp binary (an older build, for before-and-after figures).
//!
//! A child's peak resident set can include what its parent had resident when it was spawned
//! (Linux counts the old address space's high-water mark at exec), so this process never opens
//! the store itself, and prints its own peak for reference.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const TARGET_MB: f64 = 64.0;
const FROM: &str = "2024-10-01";
const TO: &str = "2026-09-30";

fn main() {
    if let Ok(what) = std::env::var("JDP_MEMORY_CHILD") {
        return child(&what);
    }
    let big = big_store();
    let bin = std::env::var_os("JDP_BENCH_BIN").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_jdp")), PathBuf::from);
    println!("store: {} ({} MB)", big.display(), std::fs::metadata(&big).unwrap().len() / 1_000_000);
    println!("jdp: {}", bin.display());
    // Samples are appended to the chain, so every run works on a fresh copy, made by `cp` in a
    // child process: the kernel can count a large in-process copy against this process's peak.
    let keep = tempfile::tempdir_in(big.parent().unwrap()).unwrap();
    let db = keep.path().join("memory.sqlite3");
    assert!(Command::new("cp").arg(&big).arg(&db).status().unwrap().success(), "could not copy the store");

    let dbs = db.to_str().unwrap().to_string();
    let out = |name: &str| keep.path().join(name).to_str().unwrap().to_string();

    let mut rows: Vec<(String, Run)> = Vec::new();
    let mut jdp = |label: &str, args: &[&str]| -> Run {
        let mut all = vec!["--db", dbs.as_str()];
        all.extend_from_slice(args);
        let mut cmd = Command::new(&bin);
        cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(&all);
        let run = peak(cmd);
        report(label, &run);

        rows.push((label.to_string(), run.clone()));
        run
    };

    let sample = jdp(
        "sample over two years",
        &["sample", "--from", FROM, "--to", TO, "--size", "200", "--seed", "memory-bench"],
    );
    let seq = sample
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Sample record ").and_then(|r| r.split_whitespace().next()).map(str::to_string));
    match &seq {
        Some(seq) => {
            jdp("sample --recompute", &["sample", "--recompute", seq]);
        }
        None => println!("  (no sample record number in the output: --recompute skipped)"),
    }
    // A second stored sample, so the scrutiny screen has more than one to choose from (it
    // opens the latest, as `jdp scrutiny` does without --sample).
    jdp(
        "sample over two years (a second)",
        &["sample", "--from", FROM, "--to", TO, "--size", "200", "--seed", "memory-bench-2", "--by", "gravity"],
    );
    jdp("export csv", &["export", "--format", "csv", "--out", &out("export.csv")]);
    jdp("export --pseudonymise", &["export", "--pseudonymise", "--out", &out("pseudonymised.csv")]);
    jdp("report md (two years)", &["report", "--from", FROM, "--to", TO, "--format", "md", "--out", &out("report.md")]);
    jdp(
        "report html (two years)",
        &["report", "--from", FROM, "--to", TO, "--format", "html", "--out", &out("report.html")],
    );
    jdp("verify", &["verify"]);
    jdp("panel (start-up summary, no terminal)", &["panel"]);
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("JDP_MEMORY_CHILD", "scrutiny").env("JDP_MEMORY_DB", &db);
    let run = peak(cmd);
    report("scrutiny screen: load + first frame", &run);
    rows.push(("scrutiny screen: load + first frame".into(), run));

    let own = self_peak_mib();
    println!();
    println!("{:<38} {:>10} {:>9} {:>8}  result", "command (1,000,000 decisions)", "peak MiB", "target", "time");
    let mut over = 0;
    for (label, run) in &rows {
        let verdict = if !run.ok {
            over += 1;
            "FAILED"
        } else if run.peak_mib > TARGET_MB {
            over += 1;
            "OVER"
        } else {
            "ok"
        };
        println!(
            "{label:<38} {:>10.1} {:>9} {:>7.1}s  {verdict}",
            run.peak_mib,
            format!("≤ {TARGET_MB:.0}"),
            run.wall.as_secs_f64()
        );
    }
    println!("(this bench process itself peaked at {own:.1} MiB; a child's figure includes at most that much of it)");
    drop(keep);
    if over > 0 {
        eprintln!("{over} command(s) over the {TARGET_MB:.0} MB target or failed");
        std::process::exit(1);
    }
}

#[derive(Debug, Clone)]
struct Run {
    ok: bool,
    peak_mib: f64,
    wall: Duration,
    stdout: String,
    stderr: String,
}

fn report(label: &str, run: &Run) {
    println!(
        "{label}: peak {:.1} MiB, {:.1} s{}",
        run.peak_mib,
        run.wall.as_secs_f64(),
        if run.ok { "" } else { " — FAILED" }
    );
    if !run.ok {
        println!("  {}", run.stderr.trim());
    }
}

/// Runs `cmd` to the end and reads its peak resident set from `wait4`.
fn peak(mut cmd: Command) -> Run {
    let t = Instant::now();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    // Read both pipes to the end before reaping, so a chatty child never blocks on a full pipe.
    let mut err_pipe = child.stderr.take().unwrap();
    let errs = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let _ = child.stdout.take().unwrap().read_to_string(&mut stdout);
    let stderr = errs.join().unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports ru_maxrss in KiB.
    Run { ok, peak_mib: usage.ru_maxrss as f64 / 1024.0, wall: t.elapsed(), stdout, stderr }
}

/// This process's own peak (VmHWM). Not `getrusage(RUSAGE_SELF)`: that also counts what the
/// process that started this one (cargo) had resident.
fn self_peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
        })
        .map_or(f64::NAN, |kb: f64| kb / 1024.0)
}

/// Child mode: what `jdp scrutiny` does before and for its first frame, without a terminal.
fn child(what: &str) {
    assert_eq!(what, "scrutiny", "unknown JDP_MEMORY_CHILD");
    let db = PathBuf::from(std::env::var_os("JDP_MEMORY_DB").unwrap());
    scrutiny_screen(&db);
}

/// `jdp scrutiny` (the latest sample) up to and including its first frame, at 120×40.
fn scrutiny_screen(db: &Path) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
    let store = jdp::store::Store::open(db).unwrap();
    let (seq, sample) = jdp::scrutiny::stored_sample(&store, None).unwrap().expect("the samples drawn above");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let app = jdp::tui::App::new(store, panel, today, false).scrutiny(seq, sample);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| f.render_widget(&app, f.area())).unwrap();
}
