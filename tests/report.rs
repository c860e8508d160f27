//! The board report: its figures equal independent SQL on a demo store, small cells are
//! suppressed, no child's name appears, and the HTML page stands alone.

mod common;

use chrono::Utc;
use common::*;
use jdp::report::{board, write};
use jdp::store::Store;

fn store_with_planted_name(dir: &std::path::Path) -> Store {
    let mut store = demo_store(&dir.join("jdp.sqlite3"), 3000, 8);
    // A decision with a name in every free-text field, inside the period. It goes in as demo
    // data: a demo store takes no real referrals (issue #10).
    let mut case = good_case();
    case.referral.child.name = "Zebedee Quixote-Farnsworth".into();
    case.referral.reference = "PLANTED-1".into();
    case.decision.rationale = "Zebedee Quixote-Farnsworth admitted it.".into();
    let snap = jdp::domain::record::snapshot(&case, &default_panel(), date("2026-08-01")).unwrap();
    let planted = jdp::demo::DemoDecision { referral: case.referral.clone(), decision: snap, correction: None };
    store.insert_demo(std::iter::once(planted), "t", Utc::now()).unwrap();
    store
}

fn sql_count(store: &Store, sql: &str) -> u64 {
    common::sql(store).query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as u64
}

const CURRENT: &str = "FROM records r WHERE kind = 'decision' AND decided_on BETWEEN '2026-07-01' AND '2026-09-30'
     AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.seq)";

#[test]
fn the_figures_equal_independent_sql() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_planted_name(dir.path());
    let panel = default_panel();
    let r = board::build(&store, &panel, date("2026-07-01"), date("2026-09-30")).unwrap();
    assert_eq!(r.decisions, sql_count(&store, &format!("SELECT count(*) {CURRENT}")));
    for (score, m) in &r.by_score {
        for (outcome, n) in m {
            let sql = format!("SELECT count(*) {CURRENT} AND final_score = {score} AND outcome = '{outcome}'");
            assert_eq!(*n, sql_count(&store, &sql), "score {score} {outcome}");
        }
    }
    let departures: u64 = r.departures.iter().map(|d| d.2).sum();
    assert_eq!(departures, sql_count(&store, &format!("SELECT count(*) {CURRENT} AND departure = 1")));
    assert_eq!(r.disagreements, sql_count(&store, &format!("SELECT count(*) {CURRENT} AND disagreement = 1")));
    assert_eq!(r.corrections, sql_count(&store, &format!("SELECT count(*) {CURRENT} AND supersedes IS NOT NULL")));
    assert!(r.corrections > 0 && r.disagreements > 0, "the demo data has both");
    // One disproportionality cell, recounted.
    let eth = r.dispro.iter().find(|d| d.dimension == "Ethnicity").unwrap();
    assert_eq!(eth.reference, "White");
    let (score, cells) = &eth.bands[1];
    let white = cells.iter().find(|c| c.group == "White").unwrap();
    let n = sql_count(&store, &format!("SELECT count(*) {CURRENT} AND final_score = {score} AND ethnicity = 'White'"));
    let f = sql_count(
        &store,
        &format!(
            "SELECT count(*) {CURRENT} AND final_score = {score} AND ethnicity = 'White' AND outcome IN ('YC', 'YCC', 'CHARGE')"
        ),
    );
    assert_eq!((white.n, white.formal), (n, f));
    assert_eq!(white.rri, Some(1.0), "the reference group's index is 1");
    for d in &r.dispro {
        for (_, cells) in &d.bands {
            for c in cells {
                // A group is shown only at 5 children and more; what is hidden is pooled, unnamed.
                assert_eq!(c.rate.is_none(), c.pooled > 0, "{c:?}");
                assert!(c.pooled > 0 || c.n >= 5, "a small group shown: {c:?}");
                assert!(c.pooled == 0 || c.group == jdp::report::board::POOLED, "{c:?}");
            }
            let pools = cells.iter().filter(|c| c.pooled > 0).count();
            assert!(pools <= 1, "one pool a band");
            if let Some(p) = cells.iter().find(|c| c.pooled > 0) {
                assert!(p.pooled >= 2 || cells.len() == 1, "a pool of one beside shown groups: {cells:?}");
            }
        }
    }
    // Timeliness: one month's median, recomputed from the raw rows.
    let m = &r.timeliness[0];
    let mut days: Vec<i64> = {
        let sql = format!(
            "SELECT CAST(julianday(decided_on) - julianday(referral_date) AS INTEGER) {CURRENT} AND substr(decided_on, 1, 7) = '{}'",
            m.month
        );
        let c = common::sql(&store);
        let mut stmt = c.prepare(&sql).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    days.sort();
    assert_eq!(m.n as usize, days.len());
    assert_eq!(m.referral_to_decision.0, board::percentile(&days, 50.0));
    assert_eq!(m.referral_to_decision.0, days[(days.len() + 1) / 2 - 1] as f64, "nearest-rank median");
    // Every month's medians and 90th percentiles, both intervals, by nearest rank computed here.
    let nearest = |sorted: &[i64], p: usize| sorted[(sorted.len() * p).div_ceil(100).max(1) - 1] as f64;
    assert!(!r.timeliness.is_empty());
    for m in &r.timeliness {
        for (column, figures) in [
            ("julianday(referral_date) - julianday(offence_date)", m.offence_to_referral),
            ("julianday(decided_on) - julianday(referral_date)", m.referral_to_decision),
        ] {
            let sql = format!(
                "SELECT CAST({column} AS INTEGER) {CURRENT} AND substr(decided_on, 1, 7) = '{}' ORDER BY 1",
                m.month
            );
            let c = common::sql(&store);
            let mut stmt = c.prepare(&sql).unwrap();
            let days: Vec<i64> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            assert_eq!(figures, (nearest(&days, 50), nearest(&days, 90)), "{} {column}", m.month);
        }
    }
    // Moves beyond the allowed adjustment (the inspector's authority), recounted.
    let max = panel.gravity.max_move_without_inspector;
    assert_eq!(
        r.inspector_moves,
        sql_count(&store, &format!("SELECT count(*) {CURRENT} AND abs(final_score - base_score) > {max}"))
    );
    assert!(r.inspector_moves > 0, "the demo data has inspector moves");

    // KPI 10 and the assessment's timeliness, recounted from each decision as jdp reads it.
    let seqs: Vec<i64> = {
        let c = common::sql(&store);
        let mut stmt = c.prepare(&format!("SELECT seq {CURRENT}")).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let (mut agreed, mut engaged) = (0, 0);
    let mut by_month: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for seq in seqs {
        let snap = store.decision(seq).unwrap().unwrap().snapshot;
        if let jdp::domain::referral::VictimViews::Contacted(v) = &snap.case.victim
            && v.consent_to_share
            && !v.wants_no_further_contact
        {
            agreed += 1;
            engaged += u64::from(v.rj == jdp::domain::referral::RjStatus::Accepted);
        }
        if let Some(on) = snap.case.needs.assessed_on {
            let working = snap
                .case
                .referral
                .referral_date
                .iter_days()
                .skip(1)
                .take_while(|d| *d <= on)
                .filter(|d| panel.working_days.is_working_day(*d))
                .count();
            let e = by_month.entry(snap.decided_on.format("%Y-%m").to_string()).or_default();
            e.0 += 1;
            e.1 += u64::from(working <= usize::from(panel.timescales.assessment_working_days));
        }
    }
    assert_eq!((r.kpi10.agreed, r.kpi10.engaged), (agreed, engaged));
    assert!(agreed > engaged && engaged > 0, "the demo data has victims who engaged and who did not");
    let got: std::collections::BTreeMap<String, (u64, u64)> =
        r.timeliness.iter().map(|m| (m.month.clone(), (m.assessed, m.assessed_in_time))).collect();
    assert_eq!(got, by_month);
    assert!(by_month.values().any(|(n, in_time)| in_time < n && *in_time > 0), "some late, some in time: {by_month:?}");
    // The Markdown prints the checked figures.
    let md = write::markdown(&r);
    let not_stated = sql_count(
        &store,
        &format!(
            "SELECT count(*) {CURRENT} AND (trim(coalesce(ethnicity, '')) = '' OR lower(trim(ethnicity)) = 'not stated')"
        ),
    );
    assert_eq!(r.ethnicity_not_stated, not_stated);
    let line = format!("Ethnicity not stated: {:.1}% of decisions", not_stated as f64 * 100.0 / r.decisions as f64);
    assert!(md.contains(&line), "{line}\n{md}");
    assert!(not_stated > 0, "the demo data leaves some ethnicities not stated");
    for m in &r.timeliness {
        let (n, in_time) = by_month[&m.month];
        let shown = if n == 0 {
            "| – |".to_string()
        } else {
            format!("| {in_time} of {n} ({}%) |", (in_time as f64 * 100.0 / n as f64).round())
        };
        let row = md.lines().find(|l| l.starts_with(&format!("| {} |", m.month))).expect("a row per month");
        assert!(row.ends_with(&shown), "{row} should end {shown}");
    }
    let rate = (engaged as f64 * 100.0 / agreed as f64).round();
    for line in [
        format!("- Victims who agreed to be contacted: {agreed}"),
        format!("- Engaged in restorative justice: {engaged}"),
        format!("- KPI 10: {rate}%"),
    ] {
        assert!(md.contains(&line), "{line}\n{md}");
    }
}

#[test]
fn scrutiny_ratings_and_themes_are_counted_for_decisions_in_the_period() {
    use jdp::scrutiny::{ReviewRecord, record_review};
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_planted_name(dir.path());
    let panel = default_panel();
    let ids = |store: &Store, sql: &str| -> Vec<i64> {
        let c = common::sql(store);
        let mut stmt = c.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let inside = ids(&store, &format!("SELECT seq {CURRENT} ORDER BY seq LIMIT 6"));
    let outside = ids(
        &store,
        "SELECT seq FROM records WHERE kind = 'decision' AND decided_on BETWEEN '2026-04-01' AND '2026-06-30' LIMIT 2",
    );
    assert_eq!((inside.len(), outside.len()), (6, 2));
    let ratings = ["consistent", "consistent", "inconsistent", "no_conclusion", "no_conclusion", "consistent_obs"];
    for (i, (id, rating)) in inside.iter().zip(ratings).enumerate() {
        let review = ReviewRecord {
            sample: 1,
            decision: *id,
            rating: rating.into(),
            observations: String::new(),
            learning_points: if i % 2 == 0 { vec!["Victim: views not sought".into()] } else { vec![] },
            reviewers: vec!["Reviewer".into()],
            actions: vec![],
        };
        record_review(&mut store, &review, "t", Utc::now()).unwrap();
    }
    for id in outside {
        let review = ReviewRecord {
            sample: 1,
            decision: id,
            rating: "inconsistent".into(),
            observations: String::new(),
            learning_points: vec!["Outside: not counted".into()],
            reviewers: vec![],
            actions: vec![],
        };
        record_review(&mut store, &review, "t", Utc::now()).unwrap();
    }
    let r = board::build(&store, &panel, date("2026-07-01"), date("2026-09-30")).unwrap();
    let got: std::collections::BTreeMap<String, u64> = r.ratings.iter().cloned().collect();
    let want: std::collections::BTreeMap<String, u64> = [
        ("Consistent".to_string(), 2),
        ("Consistent with observations".to_string(), 1),
        ("Inconsistent".to_string(), 1),
        ("No conclusion – more information needed".to_string(), 2),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
    assert_eq!(r.no_conclusion, 2);
    assert_eq!(r.themes, vec![("victim".to_string(), 3)]);
    let md = write::markdown(&r);
    assert!(md.contains("- Inconsistent: 1") && md.contains("- victim: 3"), "{md}");
    // The trends' last quarter is the report's own: the same ratings; the quarter before holds
    // the reviews of decisions made before July.
    let last = r.trends.last().unwrap();
    assert_eq!(last.quarter, "2026 Q3");
    assert_eq!(last.ratings, want);
    assert_eq!(r.trends[2].ratings, [("Inconsistent".to_string(), 2)].into_iter().collect());
    assert!(r.trends[..2].iter().all(|t| t.ratings.is_empty()), "{:?}", r.trends);
    // The trends table gives each rating a row, each quarter its count.
    for (label, q3) in &want {
        let q2 = if label == "Inconsistent" { 2 } else { 0 };
        let line = format!("| Rated: {label} | 0 | 0 | {q2} | {q3} |");
        assert!(md.contains(&line), "{line}\n{md}");
    }
}

/// The nearest-rank percentile of `values`, worked out independently of the report.
fn nearest_rank(mut values: Vec<i64>, p: f64) -> f64 {
    values.sort_unstable();
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.max(1) - 1] as f64
}

#[test]
fn trends_set_the_last_quarters_side_by_side_and_equal_independent_sql() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_planted_name(dir.path());
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let quarters: Vec<&str> = r.trends.iter().map(|t| t.quarter.as_str()).collect();
    assert_eq!(quarters, ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]);
    let c = common::sql(&store);
    for (t, (from, to)) in r.trends.iter().zip([
        ("2025-10-01", "2025-12-31"),
        ("2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-06-30"),
        ("2026-07-01", "2026-09-30"),
    ]) {
        let current = format!(
            "FROM records r WHERE kind = 'decision' AND decided_on BETWEEN '{from}' AND '{to}'
             AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.seq)"
        );
        assert_eq!(t.decisions, sql_count(&store, &format!("SELECT count(*) {current}")), "{}", t.quarter);
        assert!(t.decisions > 0, "the demo data covers {}", t.quarter);
        for (o, n) in &t.mix {
            assert_eq!(*n, sql_count(&store, &format!("SELECT count(*) {current} AND outcome = '{o}'")), "{o}");
        }
        assert_eq!(t.mix.values().sum::<u64>(), t.decisions);
        assert_eq!(t.departures, sql_count(&store, &format!("SELECT count(*) {current} AND departure = 1")));
        assert_eq!(t.disagreements, sql_count(&store, &format!("SELECT count(*) {current} AND disagreement = 1")));
        let mut stmt = c
            .prepare(&format!("SELECT CAST(julianday(decided_on) - julianday(referral_date) AS INTEGER) {current}"))
            .unwrap();
        let days: Vec<i64> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(
            t.referral_to_decision,
            Some((nearest_rank(days.clone(), 50.0), nearest_rank(days, 90.0))),
            "{}",
            t.quarter
        );
    }
    assert_eq!(r.trends[3].decisions, r.decisions, "the last quarter is the report's period");
    let bounds: Vec<(String, String)> = r.trends.iter().map(|t| (t.from.to_string(), t.to.to_string())).collect();
    assert_eq!(
        bounds.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>(),
        [
            ("2025-10-01", "2025-12-31"),
            ("2026-01-01", "2026-03-31"),
            ("2026-04-01", "2026-06-30"),
            ("2026-07-01", "2026-09-30")
        ]
    );
    let md = write::markdown(&r);
    assert!(md.contains("## Trends over the last 4 quarters"), "{md}");
    assert!(md.contains("| Outcome | 2025 Q4 | 2026 Q1 | 2026 Q2 | 2026 Q3 |"), "{md}");
    // Each count with its share of the quarter, as a whole percentage of the checked counts.
    let pct = |n: u64, of: u64| format!("{n} ({}%)", (n as f64 * 100.0 / of as f64).round());
    for o in r.trends.iter().flat_map(|t| t.mix.keys()).collect::<std::collections::BTreeSet<_>>() {
        let cells: Vec<String> =
            r.trends.iter().map(|t| pct(t.mix.get(o).copied().unwrap_or(0), t.decisions)).collect();
        let line = format!("| {} | {} |", r.label(o), cells.join(" | "));
        assert!(md.contains(&line), "{line}\n{md}");
    }
    let disagreed: Vec<String> = r.trends.iter().map(|t| pct(t.disagreements, t.decisions)).collect();
    let line = format!("| Police and YJS disagreed | {} |", disagreed.join(" | "));
    assert!(md.contains(&line), "{line}\n{md}");
    // Six quarters when asked, ending with the same one.
    let refs = board::References::default();
    let r6 = board::build_with(&store, &default_panel(), date("2026-07-01"), date("2026-09-30"), &refs, 6).unwrap();
    assert_eq!(r6.trends.len(), 6);
    assert_eq!(r6.trends[0].quarter, "2025 Q2");
    assert_eq!(r6.trends[2..], r.trends[..]);
}

#[test]
fn the_panel_definition_each_decision_was_made_under_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_planted_name(dir.path());
    // Two decisions made under a later version of the panel definition.
    let mut later = default_panel();
    later.panel.version = "area-2027.1".into();
    let mut items = Vec::new();
    for i in 0..2 {
        let mut case = good_case();
        case.referral.reference = format!("LATER-{i}");
        let snap = jdp::domain::record::snapshot(&case, &later, date("2026-09-01")).unwrap();
        items.push(jdp::demo::DemoDecision { referral: case.referral.clone(), decision: snap, correction: None });
    }
    store.insert_demo(items.into_iter(), "t", Utc::now()).unwrap();
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let under: std::collections::BTreeMap<String, u64> = r.decided_under.iter().cloned().collect();
    assert_eq!(under.get("area-2027.1"), Some(&2));
    assert_eq!(under.get("default-2026.1"), Some(&(r.decisions - 2)));
    assert_eq!(under.len(), 2);
    let md = write::markdown(&r);
    assert!(
        md.contains(&format!(
            "decisions made under version default-2026.1 ({}), version area-2027.1 (2)",
            r.decisions - 2
        )),
        "{md}"
    );
    assert!(md.contains("this report was produced with version default-2026.1"), "{md}");
}

#[test]
fn the_csv_report_speaks_in_outcome_labels() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_planted_name(dir.path());
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let mut out = Vec::new();
    write::csv(&r, &mut out).unwrap();
    let mut rows = csv::Reader::from_reader(out.as_slice());
    let mut outcome_rows = 0;
    let codes: Vec<String> = default_panel().outcomes.iter().map(|o| o.code.clone()).collect();
    let labels: Vec<String> = default_panel().outcomes.iter().map(|o| o.label.clone()).collect();
    for row in rows.records() {
        let row = row.unwrap();
        if matches!(&row[0], "outcomes" | "departures") || (&row[0] == "trends" && &row[1] == "outcome") {
            outcome_rows += 1;
            assert!(!codes.iter().any(|c| c == &row[3]), "a code, not a label: {row:?}");
            assert!(labels.iter().any(|l| l == &row[3]), "{row:?}");
        }
    }
    assert!(outcome_rows > 20, "{outcome_rows}");
}

/// Every colour a chart names is a grey (equal red, green and blue), so it prints in grey scale
/// as it shows; and every chart the report promises is there.
#[test]
fn the_html_charts_are_grey_and_cover_trends_and_indices_by_band() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_planted_name(dir.path());
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let html = write::html(&r);
    let mut colours = 0;
    let charts: String = html.split("<svg").skip(1).map(|s| s.split("</svg>").next().unwrap()).collect();
    for part in charts.split('#').skip(1) {
        let hex: String = part.chars().take_while(char::is_ascii_hexdigit).collect();
        if hex.len() != 6 && hex.len() != 3 {
            continue;
        }
        colours += 1;
        let (r, g, b) =
            if hex.len() == 6 { (&hex[0..2], &hex[2..4], &hex[4..6]) } else { (&hex[0..1], &hex[1..2], &hex[2..3]) };
        assert!(r == g && g == b, "a colour that is not a grey: #{hex}");
    }
    assert!(colours > 10, "{colours}");
    for chart in [
        "aria-label=\"Outcome mix by quarter\"",
        "aria-label=\"Relative rate index by gravity band: Ethnicity\"",
        "aria-label=\"Relative rate index by gravity band: Sex\"",
        "aria-label=\"Relative rate index by gravity band: Age group\"",
        "Days from referral to decision by quarter",
    ] {
        assert!(html.contains(chart), "missing {chart}");
    }
    // The forest plot labels each index with its interval, as the table does.
    let eth = r.dispro.iter().find(|d| d.dimension == "Ethnicity").unwrap();
    let cell = eth.bands.iter().flat_map(|(_, c)| c).find(|c| c.rri_ci.is_some()).expect("an interval");
    let (lo, hi) = cell.rri_ci.unwrap();
    assert!(html.contains(&format!("{:.2} ({lo:.2}–{hi:.2})", cell.rri.unwrap())), "{cell:?}");
    // The outcome mix: each quarter one row of segments from x = 80, side by side, each as wide
    // as its share of 550, the row 26 high.
    let mix = html.split("aria-label=\"Outcome mix by quarter\"").nth(1).unwrap().split("</svg>").next().unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        tag.split(&format!(" {name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    };
    let rects: Vec<&str> = mix.split("<rect").skip(1).filter(|t| t.contains("height=\"20\"")).collect();
    for (i, t) in r.trends.iter().enumerate() {
        let row: Vec<&&str> = rects.iter().filter(|x| attr(x, "y") == (5 + i * 26) as f64).collect();
        assert_eq!(row.len(), t.mix.values().filter(|n| **n > 0).count(), "{}", t.quarter);
        let mut x = 80.0;
        for (rect, n) in row.iter().zip(t.mix.values().filter(|n| **n > 0)) {
            assert!((attr(rect, "x") - x).abs() < 0.06, "{} starts where the last ended: {rect}", t.quarter);
            let w = *n as f64 / t.decisions as f64 * 550.0;
            assert!((attr(rect, "width") - w).abs() < 0.06, "{} width {w}: {rect}", t.quarter);
            x += w;
        }
        assert!((x - 630.0).abs() < 0.01, "the segments fill the bar");
    }
    // A quarter without an outcome draws no segment for it; a sliver has no room for its share
    // (under 30 wide), a wide segment writes it; each outcome has its own grey, named in a legend
    // three to a row under the bars; the chart is as tall as its rows and legend.
    let mut r2 = r.clone();
    let first = &mut r2.trends[0];
    first.mix = [("CR".to_string(), 1), ("NFA".to_string(), 20), ("YC".to_string(), 0)].into_iter().collect();
    first.decisions = 21;
    let html = write::html(&r2);
    let mix = html.split("aria-label=\"Outcome mix by quarter\"").nth(1).unwrap().split("</svg>").next().unwrap();
    let outcomes: std::collections::BTreeSet<&String> = r2.trends.iter().flat_map(|t| t.mix.keys()).collect();
    let rows = r2.trends.len();
    let height = 26 * rows + 22 * outcomes.len().div_ceil(3) + 20;
    assert!(mix.contains(&format!("height=\"{height}\" viewBox=\"0 0 640 {height}\"")), "{mix}");
    let row0: Vec<&str> =
        mix.split("<rect").skip(1).filter(|t| t.contains(" y=\"5\" ") && t.contains("height=\"20\"")).collect();
    assert_eq!(row0.len(), 2, "no segment for an outcome of none: {row0:?}");
    let sliver = 550.0 / 21.0;
    assert!(row0[0].contains(&format!("width=\"{sliver:.1}\"")), "{row0:?}");
    assert!(!mix.contains(">5%</text>") && mix.contains(">95%</text>"), "only a wide segment writes its share: {mix}");
    let mut fills = std::collections::BTreeSet::new();
    let fill_of = |tag: &str| tag.split(" fill=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    // The last quarter's segments, in outcome order, each in its legend's grey.
    let last_y = 5 + (rows - 1) * 26;
    let last: Vec<&str> = mix
        .split("<rect")
        .skip(1)
        .filter(|t| t.contains(&format!(" y=\"{last_y}\" ")) && t.contains("height=\"20\""))
        .collect();
    let last_outcomes: Vec<&String> = r2.trends[rows - 1].mix.iter().filter(|(_, n)| **n > 0).map(|(o, _)| o).collect();
    assert_eq!(last.len(), last_outcomes.len());
    for (k, o) in outcomes.iter().enumerate() {
        let (x, y) = ((k % 3) * 210, 10 + rows * 26 + (k / 3) * 22);
        let legend = format!("<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"");
        let at = mix.find(&legend).unwrap_or_else(|| panic!("legend for {o} at {x},{y}: {mix}"));
        let fill = mix[at + legend.len()..].split('"').next().unwrap().to_string();
        if let Some(i) = last_outcomes.iter().position(|l| l == o) {
            assert_eq!(fill_of(last[i]), fill, "{o}'s segment is in its legend's grey");
        }
        fills.insert(fill);
        assert!(mix[at..].contains(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            x + 19,
            y + 12,
            r2.label(o)
        )));
    }
    assert_eq!(fills.len(), outcomes.len(), "a grey of its own for each outcome");
}

#[test]
fn the_number_of_trend_quarters_is_four_to_eight() {
    let dir = tempfile::tempdir().unwrap();
    drop(store_with_planted_name(dir.path()));
    let db = dir.path().join("jdp.sqlite3");
    let run = |q: &str| {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_jdp"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--db")
            .arg(&db)
            .args(["report", "--from", "2026-07-01", "--to", "2026-09-30", "--quarters", q])
            .assert()
    };
    let out = run("8").success().get_output().stdout.clone();
    let md = String::from_utf8(out).unwrap();
    assert!(md.contains("## Trends over the last 8 quarters") && md.contains("| 2024 Q4 |"), "{md}");
    run("9").code(2);
    run("3").code(2);
}

#[test]
fn every_format_states_its_terms_and_names_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_planted_name(dir.path());
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let mut csv = Vec::new();
    write::csv(&r, &mut csv).unwrap();
    let html = write::html(&r);
    for (name, text) in [("md", write::markdown(&r)), ("csv", String::from_utf8(csv).unwrap()), ("html", html.clone())]
    {
        for planted in ["Zebedee", "Quixote", "Farnsworth", "PLANTED-1", "2012-03-01"] {
            assert!(!text.contains(planted), "{name} contains {planted}");
        }
        for term in ["2026-07-01", "default-2026.1", "SYNTHETIC", "fewer than 5"] {
            assert!(text.contains(term), "{name} does not state {term}");
        }
    }
    assert!(html.starts_with("<!doctype html>") && html.contains("<svg") && html.contains("<style>"));
    assert!(
        !html.contains("http://www.w3.org/1999") && !html.contains("src=") && !html.contains("<link"),
        "no external assets"
    );
}

#[test]
fn the_report_command_writes_each_format_and_logs_it() {
    let dir = tempfile::tempdir().unwrap();
    drop(store_with_planted_name(dir.path()));
    let db = dir.path().join("jdp.sqlite3");
    for (format, file) in [("md", "r.md"), ("csv", "r.csv"), ("html", "r.html")] {
        let out = dir.path().join(file);
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_jdp"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--db")
            .arg(&db)
            .args(["report", "--from", "2026-07-01", "--to", "2026-09-30", "--format", format, "--out"])
            .arg(&out)
            .assert()
            .success();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(std::fs::metadata(&out).unwrap().len() > 500);
    }
    let log = Store::open(&db).unwrap().access_log(5).unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "report").count(), 3);
}

#[test]
fn the_reference_group_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_planted_name(dir.path());
    let refs = board::References { ethnicity: Some("Black or Black British".into()), ..Default::default() };
    let r = board::build_with(&store, &default_panel(), date("2026-07-01"), date("2026-09-30"), &refs, 4).unwrap();
    let eth = r.dispro.iter().find(|d| d.dimension == "Ethnicity").unwrap();
    assert_eq!(eth.reference, "Black or Black British");
    for (_, cells) in &eth.bands {
        if let Some(c) = cells.iter().find(|c| c.group == "Black or Black British" && c.rate.is_some_and(|x| x > 0.0)) {
            assert_eq!(c.rri, Some(1.0));
        }
    }
    assert_eq!(r.dispro[1].reference, "Male", "others stay the largest group");
}

/// The period runs from its first day to its last, both counted: reviews (and the actions agreed
/// at them) of decisions made on 1 July and 30 September count, those of 30 June and 1 October
/// do not; actions closed are counted among those opened in the period.
#[test]
fn reviews_and_actions_on_the_periods_first_and_last_days_count() {
    use jdp::domain::actions::{ActionItem, ActionStatus, Closed};
    use jdp::scrutiny::{ReviewRecord, close_action, record_review};
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_planted_name(dir.path());
    let panel = default_panel();
    let on = |store: &Store, day: &str| -> Option<i64> {
        common::sql(store)
            .query_row(
                "SELECT min(seq) FROM records r WHERE kind = 'decision' AND decided_on = ?1
                 AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.seq)",
                [day],
                |r| r.get(0),
            )
            .unwrap()
    };
    let days = ["2026-06-30", "2026-07-01", "2026-09-30", "2026-10-01"];
    let mut reviewed = Vec::new();
    for day in days {
        let Some(seq) = on(&store, day) else { continue };
        let review = ReviewRecord {
            sample: 1,
            decision: seq,
            rating: "consistent".into(),
            observations: String::new(),
            learning_points: vec![],
            reviewers: vec!["Reviewer".into()],
            actions: vec![ActionItem { text: "Check".into(), owner: "yjs".into(), due: date("2026-12-31") }],
        };
        let rec = record_review(&mut store, &review, "t", Utc::now()).unwrap();
        reviewed.push((day, rec.seq));
    }
    let inside = reviewed.iter().filter(|(d, _)| *d >= "2026-07-01" && *d <= "2026-09-30").count() as u64;
    assert!(reviewed.iter().any(|(d, _)| *d == "2026-07-01") && reviewed.iter().any(|(d, _)| *d == "2026-09-30"));
    assert!(reviewed.len() as u64 > inside, "the demo data has decisions either side: {reviewed:?}");
    // Close the action agreed on the last day's decision.
    let last = reviewed.iter().find(|(d, _)| *d == "2026-09-30").unwrap().1;
    let status = ActionStatus { action: format!("{last}.1"), status: Closed::Done, note: "done".into() };
    close_action(&mut store, &status, "t", Utc::now()).unwrap();
    let r = board::build(&store, &panel, date("2026-07-01"), date("2026-09-30")).unwrap();
    assert_eq!(r.cases_reviewed, inside);
    assert_eq!(r.ratings, vec![("Consistent".to_string(), inside)]);
    assert_eq!((r.actions_opened, r.actions_closed), (inside, 1));
}
