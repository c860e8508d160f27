//! Scrutiny at scale (issue 12), on 1,000,000 decisions from `jdp demo-data` over two years:
//! - a sample of 30 over a quarter ≤ 300 ms; over two years ≤ 1 s and ≤ 64 MB;
//! - the scrutiny screen opens a sample (load + first frame) ≤ 200 ms;
//! - the full board report (build + Markdown + CSV + HTML, with its trends) for a quarter ≤ 1 s,
//!   for a year ≤ 3 s.
//!
//! Each line prints the measure, its target and "ok" or "OVER". `cargo bench --bench scrutiny`
//! (JDP_BENCH_DB to reuse a large demo store). Peak memory of every command: `--bench memory`.

mod common;

use std::time::Duration;

use chrono::NaiveDate;
use common::*;
use jdp::domain::sampling::Strata;
use jdp::store::Store;

fn verdict(d: Duration, target_ms: u64) -> &'static str {
    if d <= Duration::from_millis(target_ms) { "ok" } else { "OVER" }
}

fn main() {
    let big = big_store();
    let (_keep, db) = copy_of(&big, "scrutiny.sqlite3");
    let panel = jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let quarter = (d(2026, 7, 1), d(2026, 9, 30));
    let two_years = (d(2024, 10, 1), d(2026, 9, 30));
    let year = (d(2025, 10, 1), d(2026, 9, 30));
    let (mut store, t) = time(|| Store::open(&db).unwrap());
    println!("open (applies any pending migration once): {:.2} s", t.as_secs_f64());

    // A sample of 30, as `jdp sample --size 30` draws it (capped, stratified by outcome).
    let request = |seed: String, (from, to): (NaiveDate, NaiveDate)| jdp::scrutiny::SampleRequest {
        seed,
        from,
        to,
        size: 30,
        strata: Strata::Outcome,
        capped: Some(panel.scrutiny.always_include_percent),
        theme: None,
    };
    let carried = Default::default();
    for (name, period, target) in [("a quarter", quarter, 300), ("two years", two_years, 1000)] {
        let mut times = Vec::new();
        let mut last = None;
        for i in 0..5 {
            let (s, t) =
                time(|| jdp::scrutiny::compute(&store, &panel, &request(format!("bench-{i}"), period), &carried));
            times.push(t);
            last = Some(s.unwrap());
        }
        let s = stats(times);
        let last = last.unwrap();
        assert_eq!(last.always.len() + last.chosen.len(), 30, "size 30 means 30 cases");
        println!(
            "sample of 30 over {name} ({} decisions): median {}, max {} (target ≤ {target} ms: {})",
            last.population,
            ms(s.median),
            ms(s.max),
            verdict(s.median, target)
        );
    }

    // The screen opens a stored sample: draw one, then time load + first frame.
    let (seq, _, _) = jdp::scrutiny::draw_once(
        &mut store,
        &panel,
        &request("bench-screen".into(), quarter),
        "bench",
        chrono::Utc::now(),
    )
    .unwrap();
    drop(store);
    let mut opens = Vec::new();
    for _ in 0..5 {
        let ((), t) = time(|| {
            use ratatui::Terminal;
            use ratatui::backend::TestBackend;
            let store = Store::open(&db).unwrap();
            let (seq, sample) = jdp::scrutiny::stored_sample(&store, Some(seq)).unwrap().unwrap();
            let app = jdp::tui::App::scrutiny(store, panel.clone(), d(2026, 11, 23), seq, sample);
            let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
            term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        });
        opens.push(t);
    }
    let o = stats(opens);
    println!(
        "scrutiny screen opens the sample (open store + load + first frame): median {}, max {} (target ≤ 200 ms: {})",
        ms(o.median),
        ms(o.max),
        verdict(o.median, 200)
    );

    let store = Store::open(&db).unwrap();
    for (name, (from, to), target) in [("a quarter", quarter, 1000), ("a year", year, 3000)] {
        let mut times = Vec::new();
        for _ in 0..3 {
            let (_, t) = time(|| {
                let r = jdp::report::board::build(&store, &panel, from, to).unwrap();
                let md = jdp::report::write::markdown(&r);
                let html = jdp::report::write::html(&r);
                let mut csv = Vec::new();
                jdp::report::write::csv(&r, &mut csv).unwrap();
                md.len() + html.len() + csv.len()
            });
            times.push(t);
        }
        let r = stats(times);
        println!(
            "board report for {name} (build with 4 quarters of trends + md + csv + html): median {}, max {} (target ≤ {target} ms: {})",
            ms(r.median),
            ms(r.max),
            verdict(r.median, target)
        );
    }
    drop(store);

    let dbs = db.to_str().unwrap();
    for args in [
        vec![
            "--db",
            dbs,
            "sample",
            "--from",
            "2024-10-01",
            "--to",
            "2026-09-30",
            "--size",
            "30",
            "--seed",
            "bench-cli",
        ],
        vec!["--db", dbs, "report", "--year", "2026", "--format", "html", "--out", "/dev/null"],
    ] {
        let (t, mb) = jdp_peak(&args);
        println!(
            "jdp {} (as a user runs it): {:.2} s, peak {mb:.1} MiB (target ≤ 64 MiB: {})",
            args[2..].join(" "),
            t.as_secs_f64(),
            if mb <= 64.0 { "ok" } else { "OVER" }
        );
    }
}
