//! The PostgreSQL store beside the SQLite one, same machine, same run (issue 15). The server is
//! the benchmark's own private cluster (tests/common/pg.rs) with fsync on, so "durably" means
//! the same on both. The file store is `big_store()` (JDP_BENCH_N decisions, default here
//! 20,000); the server gets the same decisions from the same `jdp demo-data` command (and, at
//! 20,000 or fewer, a `jdp copy` of the file is timed too).
//! `JDP_BENCH_N=1000000 cargo bench --bench store_pg`.

mod common;
#[path = "../tests/common/pg.rs"]
mod pg;

use chrono::{NaiveDate, Utc};
use common::*;
use jdp::store::pg::PgStore;
use jdp::store::{Backend, Store};

fn main() {
    if std::env::var("JDP_BENCH_N").is_err() {
        // SAFETY: single-threaded, before anything reads the environment.
        unsafe { std::env::set_var("JDP_BENCH_N", "20000") };
    }
    unsafe { std::env::set_var("JDP_PG_FSYNC", "on") };
    let Some(cluster) = pg::cluster() else {
        println!("no PostgreSQL binaries: nothing measured");
        return;
    };
    let db = big_store();
    let (_keep, file) = copy_of(&db, "pg-bench.sqlite3");
    let url = cluster.fresh_db();
    // The server gets the same decisions as the file, made by the same command (`big_store`'s
    // seed): demo-data on a server writes by binary COPY, where a copy goes row by row.
    let n: u64 = std::env::var("JDP_BENCH_N").unwrap().parse().unwrap();
    let (ok, d) = time(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--db", &url, "demo-data", "--decisions", &n.to_string(), "--seed", "42"])
            .status()
            .unwrap()
            .success()
    });
    assert!(ok, "demo-data on the server failed");
    let mut server = PgStore::open(&url).unwrap();
    println!("demo-data on the server, {n} decisions: {:.1} s", d.as_secs_f64());
    if n <= 20_000 {
        let url = cluster.fresh_db();
        let (copied, d) = time(|| PgStore::open(&url).unwrap().copy_from(&Store::open(&file).unwrap()).unwrap());
        println!("copy {} records to the server: {:.1} s", copied.head.checked, d.as_secs_f64());
    }
    let sqlite = Store::open(&file).unwrap();
    let (r, d) = time(|| sqlite.verify().unwrap().unwrap());
    println!("SQLite: verify {} records: {:.2} s", r.checked, d.as_secs_f64());
    let (r, d) = time(|| server.verify().unwrap().unwrap());
    println!("PostgreSQL: verify {} records: {:.2} s", r.checked, d.as_secs_f64());

    // The board report for a quarter (figures, trends and scrutiny read through the same code on
    // both), and computing a sample of that quarter (not recorded): median of 5 each.
    {
        let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
        let (from, to) = (NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        let chain = server.chain();
        let mut reports = (Vec::new(), Vec::new());
        for _ in 0..5 {
            reports.0.push(time(|| jdp::report::board::build(&sqlite, &panel, from, to).unwrap()).1);
            reports.1.push(time(|| jdp::report::board::build(&chain, &panel, from, to).unwrap()).1);
        }
        let n = jdp::report::board::build(&sqlite, &panel, from, to).unwrap().decisions;
        let (a, b) = (stats(reports.0), stats(reports.1));
        println!(
            "board report for a quarter ({n} decisions): SQLite median {}, PostgreSQL median {}",
            ms(a.median),
            ms(b.median)
        );
        let req = jdp::scrutiny::SampleRequest {
            seed: "bench".into(),
            from,
            to,
            size: 40,
            strata: jdp::domain::sampling::Strata::Outcome,
            capped: Some(panel.scrutiny.always_include_percent),
            theme: None,
        };
        let none = Default::default();
        let mut draws = (Vec::new(), Vec::new());
        for _ in 0..5 {
            draws.0.push(time(|| jdp::scrutiny::compute(&sqlite, &panel, &req, &none).unwrap()).1);
            draws.1.push(time(|| jdp::scrutiny::compute(&chain, &panel, &req, &none).unwrap()).1);
        }
        let (a, b) = (stats(draws.0), stats(draws.1));
        println!("draw a sample of that quarter: SQLite median {}, PostgreSQL median {}", ms(a.median), ms(b.median));
    }

    let mut opens = (Vec::new(), Vec::new());
    for _ in 0..20 {
        opens.0.push(time(|| Store::open(&file).unwrap().summary().unwrap()).1);
        opens.1.push(time(|| PgStore::open(&url).unwrap().summary().unwrap()).1);
    }
    let (a, b) = (stats(opens.0), stats(opens.1));
    println!("open + summary: SQLite median {}, PostgreSQL median {} (max {})", ms(a.median), ms(b.median), ms(b.max));

    let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
    let mut items = Vec::new();
    for i in 0..300u64 {
        let mut item =
            jdp::demo::generate(&mut rng, &panel, 10_000_000 + i, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        item.referral.reference = format!("BENCH-{i}");
        item.decision.case.referral.reference = item.referral.reference.clone();
        items.push(item);
    }
    // Recording at scale (the figure is at 1,000,000 decisions): into the n-decision
    // stores themselves, the file's copy and the server, each decision on its own referral
    // (synthetic, as the store holds), imported at once, then each decision timed.
    as_live(&file);
    let db_name = url.rsplit('/').next().unwrap().to_string();
    cluster.admin(&db_name, "UPDATE meta SET value = '0' WHERE key = 'synthetic'");
    let mut big_file = Store::open(&file).unwrap();
    let referrals: Vec<_> = items.iter().map(|i| i.referral.clone()).collect();
    for (name, store) in
        [("SQLite", &mut big_file as &mut dyn Backend), ("PostgreSQL", &mut server as &mut dyn Backend)]
    {
        let ids = store.add_referrals(&referrals, "bench", Utc::now()).unwrap();
        let samples = ids
            .iter()
            .zip(&items)
            .map(|(id, item)| time(|| store.record_decision(*id, &item.decision, None, "bench", Utc::now()).unwrap()).1)
            .collect();
        let r = stats(samples);
        println!(
            "{name}: record one decision durably at {n} decisions: median {}, p99 {}, max {} (n={})",
            ms(r.median),
            ms(r.p99),
            ms(r.max),
            r.n
        );
    }

    // Ten writers at once into one chain on the server (the figure: ≥ 500 decisions/s).
    const WRITERS: usize = 10;
    let url = cluster.fresh_db();
    let refs: Vec<_> = (0..1000).map(|i| format!("PAR-{i}")).collect();
    let mut referrals = Vec::new();
    let mut decisions = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let (mut referral, mut decision) =
            (items[i % items.len()].referral.clone(), items[i % items.len()].decision.clone());
        referral.reference = r.clone();
        decision.case.referral.reference = r.clone();
        referrals.push(referral);
        decisions.push(decision);
    }
    let ids = PgStore::open(&url).unwrap().add_referrals(&referrals, Utc::now()).unwrap();
    let (_, d) = time(|| {
        std::thread::scope(|s| {
            for w in 0..WRITERS {
                let (url, ids, decisions) = (&url, &ids, &decisions);
                s.spawn(move || {
                    let mut store = PgStore::open(url).unwrap();
                    for i in (w..ids.len()).step_by(WRITERS) {
                        store.record_decision(ids[i], &decisions[i], None, Utc::now()).unwrap();
                    }
                });
            }
        })
    });
    let n = ids.len() as f64;
    println!("PostgreSQL: {WRITERS} writers at once, {n} decisions: {:.0} decisions/s", n / d.as_secs_f64());
    assert_eq!(PgStore::open(&url).unwrap().verify().unwrap().unwrap().checked, ids.len() as i64);
}
