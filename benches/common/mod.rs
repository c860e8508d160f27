//! Shared bench helpers: a cached large demo store, timing statistics, child peak memory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The large store: `JDP_BENCH_DB` if set, else built once (1,000,000 decisions, or
/// `JDP_BENCH_N`) under target/bench-data and reused by later runs.
pub fn big_store() -> PathBuf {
    if let Ok(p) = std::env::var("JDP_BENCH_DB") {
        return PathBuf::from(p);
    }
    let n: u64 = std::env::var("JDP_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join(format!("store-{n}.sqlite3"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let tmp = dir.join(format!("store-{n}.partial.sqlite3"));
        let _ = std::fs::remove_file(&tmp);
        eprintln!("building a {n}-decision demo store (once) at {}", path.display());
        let ok = Command::new(env!("CARGO_BIN_EXE_jdp"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--db")
            .arg(&tmp)
            .args(["demo-data", "--decisions", &n.to_string(), "--seed", "42"])
            .status()
            .unwrap()
            .success();
        assert!(ok, "demo-data failed");
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// A demonstration store's private copy taken as live, so a bench can record real-kind
/// referrals into a store already holding its n decisions (a demonstration store refuses them;
/// the bench's decisions stand in for a live panel's).
pub fn as_live(path: &Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute("UPDATE meta SET value = '0' WHERE key = 'synthetic'", []).unwrap();
}

/// A private copy for benches that write.
pub fn copy_of(src: &Path, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir_in(src.parent().unwrap()).unwrap();
    let dst = dir.path().join(name);
    std::fs::copy(src, &dst).unwrap();
    (dir, dst)
}

pub struct Stats {
    pub median: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub n: usize,
}

pub fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let n = samples.len();
    Stats { median: samples[n / 2], p99: samples[(n * 99 / 100).min(n - 1)], max: samples[n - 1], n }
}

pub fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Runs the jdp binary under /usr/bin/time and returns (wall time, peak resident memory in MiB).
/// (A child's own rusage is not used: after fork it starts from the parent's high-water mark.)
pub fn jdp_peak(args: &[&str]) -> (Duration, f64) {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .output();
    let kb = out
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stderr).lines().last().and_then(|l| l.trim().parse::<f64>().ok()));
    (t.elapsed(), kb.map_or(f64::NAN, |k| k / 1024.0))
}

/// Times the sqlite3 command-line tool on the same file, if it is installed.
pub fn sqlite3(db: &Path, sql: &str) -> Option<Duration> {
    let t = Instant::now();
    let out = Command::new("sqlite3").arg(db).arg(sql).output().ok()?;
    out.status.success().then(|| t.elapsed())
}
