//! `jdp verify` on a server at scale (issue 15: "verify of 1M ≤ 10 s"), alone, so it can be
//! measured and profiled without the other benchmarks' stores: JDP_BENCH_N demonstration
//! decisions (default 100,000) made by `jdp demo-data` in the benchmark's own private cluster,
//! then verified three times (the median printed).
//! `JDP_BENCH_N=1000000 cargo bench --bench verify_pg`.

#[path = "../tests/common/pg.rs"]
mod pg;

use jdp::store::pg::PgStore;

fn main() {
    let n: u64 = std::env::var("JDP_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let Some(cluster) = pg::cluster() else {
        println!("no PostgreSQL binaries: nothing measured");
        return;
    };
    let url = cluster.fresh_db();
    let made = std::time::Instant::now();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--db", &url, "demo-data", "--decisions", &n.to_string(), "--seed", "42"])
        .status()
        .unwrap()
        .success();
    assert!(ok, "demo-data on the server failed");
    println!("demo-data on the server, {n} decisions: {:.1} s", made.elapsed().as_secs_f64());
    let mut server = PgStore::open(&url).unwrap();
    let mut times = Vec::new();
    let mut checked = 0;
    for _ in 0..3 {
        let t = std::time::Instant::now();
        checked = server.verify().unwrap().expect("the demonstration chain verifies").checked;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!("PostgreSQL: verify {checked} records: median {:.2} s (of {:?})", times[1], times);
}
