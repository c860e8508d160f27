//! Store speed and memory at scale (issue: the record store). Targets, with 1,000,000 decisions:
//! record one decision durably median ≤ 2 ms, p99 ≤ 20 ms; open + start-up summary ≤ 100 ms;
//! verify the whole chain ≤ 5 s; peak memory of any command ≤ 64 MB.
//! `cargo bench --bench store` (set JDP_BENCH_N=100000 for a quicker, smaller run).

mod common;

use chrono::{NaiveDate, Utc};
use common::*;
use jdp::store::Store;

fn main() {
    let db = big_store();
    let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
    println!("store: {} ({} MB)", db.display(), std::fs::metadata(&db).unwrap().len() / 1_000_000);

    // Open + start-up summary, as `jdp` does before its first frame.
    let mut opens = Vec::new();
    let mut records = 0;
    for _ in 0..30 {
        let (s, d) = time(|| Store::open(&db).unwrap().summary().unwrap());
        records = s.records;
        opens.push(d);
    }
    let o = stats(opens);
    println!("open + summary ({records} records): median {}, max {}", ms(o.median), ms(o.max));
    if let Some(d) = sqlite3(&db, "SELECT count(*) FROM referrals; SELECT count(*) FROM drafts;") {
        println!("  sqlite3 CLI, same counts: {}", ms(d));
    }

    // Record one decision durably (synchronous=FULL, chain hash, access log), on a copy.
    let (_keep, copy) = copy_of(&db, "record.sqlite3");
    as_live(&copy);
    let mut store = Store::open(&copy).unwrap();
    let mut samples = Vec::new();
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
    for i in 0..500u64 {
        let mut item =
            jdp::demo::generate(&mut rng, &panel, 10_000_000 + i, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        item.referral.reference = format!("BENCH-{i}");
        item.decision.case.referral.reference = item.referral.reference.clone();
        let id = store.add_referrals(&[item.referral.clone()], "bench", Utc::now()).unwrap()[0];
        let (_, d) = time(|| store.record_decision(id, &item.decision, None, "bench", Utc::now()).unwrap());
        samples.push(d);
    }
    let r = stats(samples);
    println!("record one decision durably: median {}, p99 {}, max {} (n={})", ms(r.median), ms(r.p99), ms(r.max), r.n);
    if let Some(d) = sqlite3(
        &copy,
        "PRAGMA synchronous=FULL; BEGIN IMMEDIATE; INSERT INTO access_log (at, actor, action, target, reason) VALUES ('x','bench','bench','x','x'); COMMIT;",
    ) {
        println!("  sqlite3 CLI, one durable insert (process start included): {}", ms(d));
    }
    drop(store);

    // Verify the whole chain.
    let store = Store::open(&db).unwrap();
    let (report, d) = time(|| store.verify().unwrap().unwrap());
    println!("verify {} records: {:.2} s", report.checked, d.as_secs_f64());
    if let Some(d) = sqlite3(&db, "SELECT sum(length(body)) + sum(length(hash)) FROM records;") {
        println!("  sqlite3 CLI, one scan of every record body: {:.2} s", d.as_secs_f64());
    }
    drop(store);

    // Peak memory of whole commands (the child's maximum resident set).
    let dbs = db.to_str().unwrap();
    for args in [
        vec!["--db", dbs, "panel"],
        vec!["--db", dbs, "verify"],
        vec![
            "--db",
            dbs,
            "export",
            "--pseudonymise",
            "--from",
            "2026-07-01",
            "--to",
            "2026-09-30",
            "--out",
            "/dev/null",
        ],
    ] {
        let (d, mb) = jdp_peak(&args);
        println!("jdp {}: {:.2} s, peak {mb:.1} MiB", args[2..].join(" "), d.as_secs_f64());
    }
}
