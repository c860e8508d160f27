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

#[test]
fn small_cells_are_suppressed_in_the_markdown_and_html_reports() {
    let r = small_group_report();
    let md = write::markdown(&r);
    let mixed: Vec<&str> = md.lines().filter(|l| l.contains("| Mixed |")).collect();
    assert_eq!(mixed.len(), 1, "{md}");
    let cells: Vec<&str> = mixed[0].trim_matches('|').split('|').map(str::trim).collect();
    assert_eq!(&cells[1..5], ["Mixed", "<5", "<5", "<5"], "children, formal and rate hidden: {}", mixed[0]);
    let white: Vec<&str> = md.lines().filter(|l| l.contains("| White |")).collect();
    assert!(white[0].contains("| White | 6 | 0 | 0% |"), "a group of 6 is shown: {}", white[0]);
    let html = write::html(&r);
    let row = html.split("<tr>").find(|r| r.contains("<td>Mixed</td>")).unwrap();
    assert!(!row.contains("<td>2</td>"), "{row}");
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
        if &row[0] == "disproportionality" && &row[3] == "Mixed" {
            seen += 1;
            match &row[4] {
                "children" | "formal" | "rate" => assert_eq!(&row[5], "<5", "{row:?}"),
                "rri" => assert_eq!(&row[5], "", "{row:?}"),
                other => panic!("unexpected measure {other}"),
            }
        }
        if &row[0] == "disproportionality" && &row[3] == "White" && &row[4] == "children" {
            assert_eq!(&row[5], "6");
        }
    }
    assert_eq!(seen, 4, "children, formal, rate and rri rows for the small group");
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
    assert_eq!(table[0][1..table[0].len() - 1], outcomes[..], "header: {:?}", table[0]);
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
    assert!(mix.contains(">CR</text>") && mix.contains(">8</text>"), "{mix}");
    assert!(html.contains("<p>No reviews of decisions in this period yet.</p>"), "plain paragraphs are kept");
}

#[test]
fn the_html_report_states_its_period_version_data_and_suppression_once() {
    // Issue 12: the preamble was printed twice, once as a box and again under the first chart.
    let html = write::html(&small_group_report());
    for line in ["Period: decisions made", "Panel definition version", "Suppression:", "Formal outcome"] {
        assert_eq!(html.matches(line).count(), 1, "{line:?} in the HTML report:\n{html}");
    }
}

#[test]
fn a_negative_figure_draws_no_bar_rather_than_a_wild_one() {
    let html = write::html(&small_group_report());
    assert!(!html.contains("width=\"-"), "a negative bar width reached the SVG");
}
