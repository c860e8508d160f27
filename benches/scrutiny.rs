//! Scrutiny at scale (issue: scrutiny), with 1,000,000 decisions from `jdp demo-data`:
//! a stratified sample of 200 ≤ 300 ms and ≤ 1.5× the sqlite3 tool running equivalent SQL on
//! the same file; all reports together ≤ 1 s; peak memory ≤ 64 MB.
//! `cargo bench --bench scrutiny` (JDP_BENCH_DB to reuse a large demo store).

mod common;

use chrono::NaiveDate;
use common::*;
use jdp::domain::sampling::Strata;
use jdp::store::Store;

fn main() {
    let big = big_store();
    let (_keep, db) = copy_of(&big, "scrutiny.sqlite3");
    let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
    let (from, to) = (NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
    let (store, d) = time(|| Store::open(&db).unwrap());
    println!("open (applies any pending migration once): {:.2} s", d.as_secs_f64());
    let carried = Default::default();
    let mut samples = Vec::new();
    let mut last = None;
    for i in 0..10 {
        let (s, d) = time(|| {
            jdp::scrutiny::compute(
                &store,
                &panel,
                &jdp::scrutiny::SampleRequest {
                    seed: format!("bench-{i}"),
                    from,
                    to,
                    size: 200,
                    strata: Strata::Outcome,
                    capped: Some(50),
                    theme: None,
                },
                &carried,
            )
            .unwrap()
        });
        samples.push(d);
        last = Some(s);
    }
    let s = stats(samples);
    let last = last.unwrap();
    println!(
        "stratified sample of 200 from {} decisions in the quarter ({} always included): median {}, max {}",
        last.population,
        last.always.len(),
        ms(s.median),
        ms(s.max)
    );
    let equivalent = "SELECT seq, outcome, base_score, final_score, offence_group, disagreement, departure, looked_after, \
        victim_status, previous_count, supersedes IS NOT NULL FROM records r INDEXED BY records_period \
        WHERE kind = 'decision' AND decided_on BETWEEN '2026-07-01' AND '2026-09-30' \
        AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.seq) ORDER BY seq;";
    let mut cli = Vec::new();
    for _ in 0..5 {
        if let Some(d) = sqlite3(&db, equivalent) {
            cli.push(d);
        }
    }
    if !cli.is_empty() {
        let c = stats(cli);
        println!(
            "  sqlite3 CLI, the same candidate query to /dev/null: median {} (ratio {:.2}×)",
            ms(c.median),
            s.median.as_secs_f64() / c.median.as_secs_f64()
        );
    }

    let mut reports = Vec::new();
    for _ in 0..5 {
        let (_, d) = time(|| {
            let r = jdp::report::board::build(&store, &panel, from, to).unwrap();
            let md = jdp::report::write::markdown(&r);
            let html = jdp::report::write::html(&r);
            let mut csv = Vec::new();
            jdp::report::write::csv(&r, &mut csv).unwrap();
            md.len() + html.len() + csv.len()
        });
        reports.push(d);
    }
    let r = stats(reports);
    println!("all reports for the quarter (build + md + csv + html): median {}, max {}", ms(r.median), ms(r.max));
    let (_, d) =
        time(|| jdp::report::board::build(&store, &panel, NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(), to).unwrap());
    println!("report over all two years (1,000,000 decisions): {}", ms(d));
    drop(store);

    let dbs = db.to_str().unwrap();
    for args in [
        vec!["--db", dbs, "sample", "--from", "2026-07-01", "--to", "2026-09-30", "--size", "200", "--seed", "bench"],
        vec![
            "--db",
            dbs,
            "report",
            "--from",
            "2026-07-01",
            "--to",
            "2026-09-30",
            "--format",
            "html",
            "--out",
            "/dev/null",
        ],
        vec![
            "--db",
            dbs,
            "report",
            "--from",
            "2024-10-01",
            "--to",
            "2026-09-30",
            "--format",
            "csv",
            "--out",
            "/dev/null",
        ],
    ] {
        let (d, mb) = jdp_peak(&args);
        println!("jdp {}: {:.2} s, peak {mb:.1} MiB", args[2], d.as_secs_f64());
    }
}
