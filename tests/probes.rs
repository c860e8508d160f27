//! Tests written against the mutation probes that once left every test passing: each fails if
//! the rule it names is removed or weakened.

mod common;

use chrono::Utc;
use common::*;
use jdp::domain::checks;
use jdp::domain::referral::*;
use jdp::domain::tasks::{TaskKind, tasks};
use jdp::report::{board, write};
use jdp::store::Store;

fn ycc(conditions: &[&str]) -> Vec<checks::Finding> {
    let mut c = good_case();
    c.decision.outcome = Some("YCC".into());
    for v in &mut c.decision.views {
        v.outcome = "YCC".into();
    }
    c.decision.evidence_sufficient = true;
    c.decision.child_consents = true;
    c.decision.conditions = conditions.iter().map(|s| s.to_string()).collect();
    checks::check(&c, &default_panel())
}

#[test]
fn a_ycc_with_only_blank_conditions_is_blocked() {
    for blank in [vec![""], vec!["   "], vec!["", "\t", " "]] {
        let f = ycc(&blank);
        assert!(
            f.iter().any(|f| f.rule == "conditions" && f.severity == checks::Severity::Blocking),
            "{blank:?}: {f:#?}"
        );
    }
    let f = ycc(&["", "Letter of apology"]);
    assert!(!f.iter().any(|f| f.rule == "conditions"), "one real condition is enough: {f:#?}");
}

#[test]
fn a_looked_after_child_without_a_named_social_worker_still_gets_the_task() {
    let panel = default_panel();
    let mut case = good_case();
    case.referral.child.looked_after = Some(LookedAfter { local_authority: "Northshire".into(), social_worker: None });
    let t = tasks(&case, &panel, date("2026-11-23"));
    let sw = t.iter().find(|t| t.kind == TaskKind::NotifySocialWorker).expect("a social worker task");
    assert!(sw.description.contains("the allocated social worker") && sw.description.contains("Northshire"), "{sw:?}");
    assert_eq!(sw.due, date("2026-11-24"));
    case.referral.child.looked_after = None;
    assert!(!tasks(&case, &panel, date("2026-11-23")).iter().any(|t| t.kind == TaskKind::NotifySocialWorker));
}

#[test]
fn the_90th_percentile_is_the_nearest_rank() {
    let days: Vec<i64> = (1..=10).collect();
    assert_eq!(board::percentile(&days, 90.0), 9.0);
    assert_eq!(board::percentile(&days, 50.0), 5.0);
    let days: Vec<i64> = (1..=11).collect();
    assert_eq!(board::percentile(&days, 90.0), 10.0, "rank ceil(9.9) = 10");
    assert_eq!(board::percentile(&[7], 90.0), 7.0);
    assert_eq!(board::percentile(&[], 90.0), 0.0);
}

/// Eight decisions in one gravity band: six White (shown), two Mixed (below the minimum cell).
fn small_group_report() -> board::Report {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("jdp.sqlite3")).unwrap();
    for i in 0..8 {
        let mut case = good_case();
        case.referral.reference = format!("R-{i}");
        case.referral.child.ethnicity = if i < 6 { "White" } else { "Mixed" }.into();
        let id = store.add_referrals(&[case.referral.clone()], "t", Utc::now()).unwrap()[0];
        let snap = jdp::domain::record::snapshot(&case, &default_panel(), date("2026-08-01")).unwrap();
        store.record_decision(id, &snap, None, "t", Utc::now()).unwrap();
    }
    board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap()
}

/// Issue 12: a small group hidden alone was recovered exactly as the band's total (printed in
/// the outcome table) less the groups shown. Here the band is 8: six White, two Mixed. Printing
/// "White 6" beside a hidden Mixed row gives Mixed = 2; so both are pooled, unnamed.
#[test]
fn small_cells_are_suppressed_in_the_markdown_and_html_reports() {
    let r = small_group_report();
    let md = write::markdown(&r);
    assert!(md.contains("| 1 | 8 | 8 |"), "the band's total is printed: {md}");
    assert!(!md.contains("| Mixed |"), "a small group is not named: {md}");
    let ethnicity = &md[md.find("### Ethnicity").unwrap()..md.find("### Sex").unwrap()];
    assert!(!ethnicity.contains("| White |"), "nor shown where the small one could be worked out from it: {ethnicity}");
    let pooled: Vec<&str> = ethnicity.lines().filter(|l| l.contains(board::POOLED)).collect();
    assert_eq!(pooled.len(), 1, "{ethnicity}");
    let cells: Vec<&str> = pooled[0].trim_matches('|').split('|').map(str::trim).collect();
    assert_eq!(&cells[2..5], ["suppressed", "suppressed", "suppressed"], "{}", pooled[0]);
    let html = write::html(&r);
    assert!(!html.contains("<td>Mixed</td>"));
    assert!(!html.contains("<td>2</td>"), "no count of 2 anywhere");
}

#[test]
fn small_cells_are_suppressed_in_the_csv_report() {
    let r = small_group_report();
    let mut bytes = Vec::new();
    write::csv(&r, &mut bytes).unwrap();
    let mut rows = csv::Reader::from_reader(&bytes[..]);
    let mut seen = 0;
    for row in rows.records() {
        let row = row.unwrap();
        assert!(
            !(&row[0] == "disproportionality" && &row[1] == "Ethnicity" && (&row[3] == "Mixed" || &row[3] == "White"))
        );
        if &row[0] == "disproportionality" && &row[1] == "Ethnicity" && &row[3] == board::POOLED {
            seen += 1;
            match &row[4] {
                "children" | "formal" | "rate" => assert_eq!(&row[5], "suppressed", "{row:?}"),
                "rri" => assert_eq!(&row[5], "", "{row:?}"),
                other => panic!("unexpected measure {other}"),
            }
        }
    }
    assert_eq!(seen, 4, "children, formal, rate and rri rows for the pooled groups");
}

/// No suppressed count can be worked out from what the report prints: for many random bands,
/// every group below the minimum is unnamed, and every pool holds at least two groups unless it
/// is the whole band.
#[test]
fn no_suppressed_cell_can_be_derived_from_the_printed_totals() {
    use jdp::domain::disclosure::{GroupCount, suppress};
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
    for _ in 0..20_000 {
        let k = rng.random_range(1..=6);
        let groups: Vec<GroupCount> = (0..k)
            .map(|i| {
                let n = rng.random_range(1..=14u64);
                GroupCount { group: format!("g{i}"), n, formal: rng.random_range(0..=n) }
            })
            .collect();
        let total: u64 = groups.iter().map(|g| g.n).sum();
        let s = suppress(groups.clone(), 5);
        assert!(s.shown.iter().all(|g| g.n >= 5), "{groups:?}");
        // What a reader can work out: the pool's sum. It names no group, and holds two or more
        // unless it is the whole band (then the band total names no group either).
        let derived = total - s.shown.iter().map(|g| g.n).sum::<u64>();
        assert_eq!(derived, s.pooled_n);
        if s.pooled_groups == 1 {
            assert!(s.shown.is_empty(), "a pool of one beside shown groups: {groups:?} -> {s:?}");
        }
        // Nor their outcomes: a pool beside shown groups is never all formal or all not.
        let formal_total: u64 = groups.iter().map(|g| g.formal).sum();
        let derived_formal = formal_total - s.shown.iter().map(|g| g.formal).sum::<u64>();
        assert_eq!(derived_formal, s.pooled_formal);
        if s.pooled_groups > 0 && !s.shown.is_empty() {
            assert!(0 < s.pooled_formal && s.pooled_formal < s.pooled_n, "{groups:?} -> {s:?}");
        }
        let small = groups.iter().filter(|g| g.n < 5).count();
        assert!(s.pooled_groups >= small, "{groups:?}");
    }
}

#[test]
fn the_markdown_tables_carry_every_figure_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("jdp.sqlite3"), 2000, 8);
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let md = write::markdown(&r);
    let rows = |heading: &str| -> Vec<Vec<String>> {
        let start = md.find(heading).unwrap_or_else(|| panic!("{heading} in {md}"));
        md[start..]
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .filter(|l| !l.starts_with("|---"))
            .map(|l| l.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect())
            .collect()
    };
    // Outcomes by score: one column per outcome decided in the period, every count in its place.
    let table = rows("## Outcomes by final gravity score");
    let mut outcomes: Vec<String> = r.by_score.values().flat_map(|m| m.keys().cloned()).collect();
    outcomes.sort();
    outcomes.dedup();
    assert!(outcomes.len() > 2);
    // Issue 12: outcomes by label (the codes are in the report's key).
    let labels: Vec<&str> = outcomes.iter().map(|o| r.label(o)).collect();
    assert_eq!(table[0][1..table[0].len() - 1], labels[..], "header: {:?}", table[0]);
    assert!(labels.contains(&"Community resolution") && !labels.contains(&"CR"));
    assert!(md.contains("CR = Community resolution"), "the key");
    for (row, (score, m)) in table[1..].iter().zip(&r.by_score) {
        assert_eq!(row[0], score.to_string());
        for (cell, o) in row[1..].iter().zip(&outcomes) {
            assert_eq!(*cell, m.get(o).copied().unwrap_or(0).to_string(), "score {score} {o}");
        }
        assert_eq!(row[row.len() - 1], m.values().sum::<u64>().to_string());
    }
    // Disproportionality: the relative rate index as printed, to two places, or "—".
    let eth = r.dispro.iter().find(|d| d.dimension == "Ethnicity").unwrap();
    let table = rows(&format!("### Ethnicity (reference group: {})", eth.reference));
    let cells: Vec<&board::Cell> = eth.bands.iter().flat_map(|(_, c)| c).collect();
    assert_eq!(table.len() - 1, cells.len());
    let mut indexed = 0;
    for (row, c) in table[1..].iter().zip(cells) {
        assert_eq!(row[1], c.group);
        assert_eq!(row[5], c.rri.map_or("—".to_string(), |v| format!("{v:.2}")), "{row:?}");
        indexed += c.rri.is_some_and(|v| v != 1.0) as usize;
    }
    assert!(indexed > 0, "some index other than the reference group's own");
}

#[test]
fn every_markdown_table_is_well_formed_and_the_html_page_carries_the_outcome_mix() {
    let r = small_group_report();
    let md = write::markdown(&r);
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = 0;
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("|---")) {
        tables += 1;
        let header = lines[i - 1];
        assert_eq!(line.matches('|').count(), header.matches('|').count(), "{header}\n{line}");
    }
    assert!(tables >= 4, "{md}");
    let html = write::html(&r);
    // The outcome mix: eight community resolutions, labelled with the count (not colour alone).
    let mix = &html[html.find("<h2>Outcome mix</h2>").unwrap()..html.find("</svg>").unwrap()];
    assert!(mix.contains(">Community resolution</text>") && mix.contains(">8</text>"), "{mix}");
    assert!(html.contains("<p>No reviews of decisions in this period yet.</p>"), "plain paragraphs are kept");
}

#[test]
fn the_html_report_states_its_period_version_data_and_suppression_once() {
    // Issue 12: the preamble was printed twice, once as a box and again under the first chart.
    let html = write::html(&small_group_report());
    for line in ["Period: decisions made", "this report was produced with version", "Suppression:", "Formal outcome"] {
        assert_eq!(html.matches(line).count(), 1, "{line:?} in the HTML report:\n{html}");
    }
}

#[test]
fn a_negative_figure_draws_no_bar_rather_than_a_wild_one() {
    let html = write::html(&small_group_report());
    assert!(!html.contains("width=\"-"), "a negative bar width reached the SVG");
}

#[test]
fn relative_rate_intervals_match_values_computed_independently() {
    // Computed with Python's math module from the log method: SE = √(1/a − 1/n1 + 1/b − 1/n0).
    let (lo, hi) = board::rri_interval(12, 40, 20, 100).unwrap();
    assert!((lo - 0.811_269_838).abs() < 1e-6 && (hi - 2.773_429_868).abs() < 1e-6, "{lo} {hi}");
    let (lo, hi) = board::rri_interval(3, 30, 9, 60).unwrap();
    assert!((lo - 0.194_671_953).abs() < 1e-6 && (hi - 2.283_043_023).abs() < 1e-6, "{lo} {hi}");
    assert_eq!(board::rri_interval(0, 30, 9, 60), None, "no formal outcome: no logarithm");
    assert_eq!(board::rri_interval(3, 30, 0, 60), None);
}

#[test]
fn the_report_gives_intervals_marks_those_excluding_1_and_the_share_not_stated() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("jdp.sqlite3"), 3000, 4);
    let r = board::build(&store, &default_panel(), date("2025-10-01"), date("2026-09-30")).unwrap();
    let md = write::markdown(&r);
    assert!(md.contains("| 95% interval |"), "{md}");
    assert!(md.contains("Ethnicity not stated: "), "{md}");
    assert!(r.ethnicity_not_stated > 0, "the demo data has some");
    let with_ci: Vec<&board::Cell> =
        r.dispro.iter().flat_map(|d| d.bands.iter().flat_map(|(_, c)| c)).filter(|c| c.rri_ci.is_some()).collect();
    assert!(!with_ci.is_empty());
    for c in with_ci {
        let (lo, hi) = c.rri_ci.unwrap();
        let rri = c.rri.unwrap();
        assert!(lo <= rri && rri <= hi, "{c:?}");
    }
}

/// A recorded decision keeps each task's kind by its id: what later screens and exports read.
/// (cargo mutants found `TaskKind::id` could be changed with every test passing.)
#[test]
fn a_recorded_task_keeps_its_kind_by_id() {
    let case = good_case();
    let snap = jdp::domain::record::snapshot(&case, &default_panel(), date("2026-11-23")).unwrap();
    let kinds: Vec<&str> = snap.tasks.iter().map(|t| t.kind.as_str()).collect();
    assert!(kinds.contains(&"inform_victim") && kinds.contains(&"inform_child_and_carer"), "{kinds:?}");
    let mut ids = std::collections::BTreeSet::new();
    for k in TaskKind::ALL {
        assert!(k.id().chars().all(|c| c.is_ascii_lowercase() || c == '_') && k.id().len() > 5, "{k:?}");
        assert!(!k.label().is_empty());
        // Read back by its id (the task board finds a stored task's kind this way), each id once.
        assert_eq!(TaskKind::from_id(k.id()), Some(k));
        assert!(ids.insert(k.id()), "{k:?}");
    }
    assert_eq!(TaskKind::from_id("no_such_task"), None);
}
