//! Rendering speed (issue: the panel walk). Targets: any screen at 120×40 ≤ 1 ms median, no slower
//! with 1,000,000 decisions than with 1,000; cold start to first frame with 1,000,000 ≤ 100 ms.
//! `cargo bench --bench render` (JDP_BENCH_DB to reuse a large demo store).

mod common;

use std::time::Duration;

use chrono::NaiveDate;
use common::*;
use jdp::store::Store;
use jdp::tui::App;
use jdp::tui::app::Screen;
use jdp::walk::Step;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn panel() -> jdp::domain::PanelDefinition {
    jdp::config::parse_panel("default", jdp::config::DEFAULT_PANEL).unwrap()
}

fn frame(app: &App, term: &mut Terminal<TestBackend>) -> Duration {
    let (_, d) = time(|| term.draw(|f| f.render_widget(app, f.area())).unwrap());
    d
}

/// One undecided referral dated today, so it heads the queue and opens into the walk.
fn add_walk_referral(db: &std::path::Path) {
    use rand::SeedableRng;
    let mut store = Store::open(db).unwrap();
    if store.referral_id("BENCH-WALK").unwrap().is_some() {
        return;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let mut r = jdp::demo::generate(&mut rng, &panel(), 0, today()).referral;
    r.reference = "BENCH-WALK".into();
    r.referral_date = today();
    // The bench store is demo data: its referrals are synthetic too.
    store.add_demo_referrals(&[r], "bench", chrono::Utc::now()).unwrap();
}

fn bench_screens(label: &str, db: &std::path::Path) {
    add_walk_referral(db);
    let store = Store::open(db).unwrap();
    let mut app = App::new(store, panel(), today(), false);
    app.overlay = None;
    app.screen = Screen::Queue(Default::default());
    app.refresh_queue();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut results = Vec::new();
    let mut measure = |name: String, app: &App| {
        let samples: Vec<Duration> = (0..200).map(|_| frame(app, &mut term)).collect();
        results.push((name, stats(samples)));
    };
    measure("queue".into(), &app);
    app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    if matches!(app.screen, Screen::Walk(_)) {
        for step in Step::ALL {
            app.walk_mut().unwrap().step = step;
            measure(format!("walk {}", step.id()), &app);
        }
    } else {
        measure("recorded view".into(), &app);
    }
    for (name, s) in results {
        println!("[{label}] render {name:<16} median {}  p99 {}", ms(s.median), ms(s.p99));
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.sqlite3");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_jdp"))
        .arg("--db")
        .arg(&small)
        .args(["demo-data", "--decisions", "1000"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    bench_screens("1,000 decisions", &small);
    let big = big_store();
    bench_screens("1,000,000 decisions", &big);

    // Cold start to first frame: open the store, read the summary and first page, draw.
    let mut starts = Vec::new();
    for _ in 0..20 {
        let (_, d) = time(|| {
            let store = Store::open(&big).unwrap();
            let app = App::new(store, panel(), today(), false);
            let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
            term.draw(|f| f.render_widget(&app, f.area())).unwrap();
        });
        starts.push(d);
    }
    let s = stats(starts);
    println!("cold start to first frame (1,000,000 decisions): median {}  max {}", ms(s.median), ms(s.max));
}
