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
//! Samples stored by an older jdp (algorithm jdp-sample-1, which listed every always-included
//! decision: about 310,000 over two years) must still recompute exactly and open on the screen:
//! if an older jdp binary is at target/bench-data/jdp-before (or `JDP_BENCH_OLD_BIN`), it draws
//! one first, and `sample --recompute` and the screen are measured on it too.
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
    let run_in = |dir: &Path, bin: &Path, args: &[&str]| -> Run {
        let mut cmd = Command::new(bin);
        cmd.current_dir(dir).arg("--db").arg(&dbs).args(args);
        peak(cmd)
    };
    let run_jdp = |bin: &Path, args: &[&str]| run_in(Path::new(env!("CARGO_MANIFEST_DIR")), bin, args);
    let sample_seq = |run: &Run| -> Option<String> {
        run.stdout.lines().find_map(|l| {
            l.strip_prefix("Sample record ").and_then(|r| r.split_whitespace().next()).map(str::to_string)
        })
    };

    let mut rows: Vec<(String, Run)> = Vec::new();
    let mut measured = |label: &str, run: Run| -> Run {
        report(label, &run);
        rows.push((label.to_string(), run.clone()));
        run
    };

    // A sample stored by an older jdp (jdp-sample-1 listed every always-included decision: about
    // 310,000 over two years here), drawn first, before this jdp touches the store. Stored
    // samples must still recompute exactly and open on the scrutiny screen within the target.
    let old_bin = std::env::var_os("JDP_BENCH_OLD_BIN")
        .map(PathBuf::from)
        .or_else(|| Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/jdp-before")))
        .filter(|p| p.exists());
    let old_seq = match &old_bin {
        Some(old) => {
            // Run beside no panels/ folder, so it uses the panel definition built into it (today's
            // panels/default.toml has settings an older jdp does not know).
            let run = run_in(
                keep.path(),
                old,
                &["sample", "--from", FROM, "--to", TO, "--size", "200", "--seed", "memory-old"],
            );
            println!("(older jdp {}) uncapped sample over two years: peak {:.1} MiB", old.display(), run.peak_mib);
            if !run.ok {
                println!("  {}", run.stderr.trim());
            }
            sample_seq(&run)
        }
        None => {
            println!(
                "(no older jdp: set JDP_BENCH_OLD_BIN, or put one at target/bench-data/jdp-before, to measure a stored uncapped sample)"
            );
            None
        }
    };

    let sample = measured(
        "sample over two years",
        run_jdp(&bin, &["sample", "--from", FROM, "--to", TO, "--size", "200", "--seed", "memory-bench"]),
    );
    if let Some(seq) = sample_seq(&sample) {
        measured("sample --recompute", run_jdp(&bin, &["sample", "--recompute", &seq]));
    }
    if let Some(seq) = &old_seq {
        let mut run = run_jdp(&bin, &["sample", "--recompute", seq]);
        if !run.stdout.contains("recomputes exactly") {
            run.ok = false;
            run.stderr = format!("the older sample did not recompute exactly: {}{}", run.stdout, run.stderr);
        }
        measured("sample --recompute (older, uncapped)", run);
    }
    measured("export csv", run_jdp(&bin, &["export", "--format", "csv", "--out", &out("export.csv")]));
    measured("export --pseudonymise", run_jdp(&bin, &["export", "--pseudonymise", "--out", &out("pseudonymised.csv")]));
    measured(
        "report md (two years)",
        run_jdp(&bin, &["report", "--from", FROM, "--to", TO, "--format", "md", "--out", &out("report.md")]),
    );
    measured(
        "report html (two years)",
        run_jdp(&bin, &["report", "--from", FROM, "--to", TO, "--format", "html", "--out", &out("report.html")]),
    );
    measured("verify", run_jdp(&bin, &["verify"]));
    measured("panel (start-up summary, no terminal)", run_jdp(&bin, &["panel"]));
    let screen = |sample: Option<&String>| {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("JDP_MEMORY_CHILD", "scrutiny").env("JDP_MEMORY_DB", &db);
        if let Some(seq) = sample {
            cmd.env("JDP_MEMORY_SAMPLE", seq);
        }
        peak(cmd)
    };
    measured("scrutiny screen: load + first frame", screen(None));
    if let Some(seq) = &old_seq {
        measured("scrutiny screen, older uncapped sample", screen(Some(seq)));
    }

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
    let sample = std::env::var("JDP_MEMORY_SAMPLE").ok().map(|s| s.parse().unwrap());
    scrutiny_screen(&db, sample);
}

/// `jdp scrutiny [--sample N]` (else the latest sample) up to and including its first frame, at 120×40.
fn scrutiny_screen(db: &Path, sample: Option<i64>) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
    let store = jdp::store::Store::open(db).unwrap();
    let (seq, sample) = jdp::scrutiny::stored_sample(&store, sample).unwrap().expect("the samples drawn above");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let app = jdp::tui::App::scrutiny(store, panel, today, seq, sample);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| f.render_widget(&app, f.area())).unwrap();
}
