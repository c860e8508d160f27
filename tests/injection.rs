//! Hostile text: control sequences and bidirectional overrides are refused at input (located)
//! and escaped at every output; CSV cells cannot run as formulas; report structure cannot be
//! forged from a group name.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::Utc;
use common::*;
use jdp::report::{board, write};
use jdp::store::Store;

const OSC_TITLE: &str = "\u{1b}]2;PWNED\u{7}";

fn jdp(db: &Path) -> Command {
    common::jdp_on(db)
}

fn example_referrals() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("panels/examples/referrals.toml")).unwrap()
}

fn raw_controls(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || jdp::domain::text::is_bidi_control(c))
}

#[test]
fn an_import_with_an_escape_sequence_or_bidi_override_is_refused_located() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    for (from, to, path) in [
        ("name = \"Jordan Reid\"", "name = \"Jordan\\u001b]2;PWNED\\u0007Reid\"", "referrals[0].child.name"),
        ("name = \"Jordan Reid\"", "name = \"Jordan\u{202e}dieR\"", "referrals[0].child.name"),
        ("ethnicity = \"", "ethnicity = \"White\\n## Agreement\\n", "referrals[0].child.ethnicity"),
    ] {
        let text = example_referrals();
        assert!(text.contains(from), "{from}");
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
        let out = jdp(&db).arg("import").arg(&file).assert().code(1).get_output().clone();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(err.contains("bad.toml:") && err.contains(path), "{err}");
        assert!(err.contains("character U+"), "the character is named: {err}");
        assert!(!raw_controls(&out.stderr), "no raw control reaches the terminal: {err:?}");
    }
    assert_eq!(Store::open(&db).unwrap().summary().unwrap().referrals, 0);
}

#[test]
fn a_panel_file_with_an_escape_sequence_fails_check_located() {
    let dir = tempfile::tempdir().unwrap();
    let panel = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("panels/default.toml")).unwrap();
    let file = dir.path().join("panel.toml");
    let at = panel.find("name = \"").unwrap();
    let hostile = format!("{}name = \"\\u001b]2;PWNED\\u0007{}", &panel[..at], &panel[at + 8..]);
    std::fs::write(&file, hostile).unwrap();
    let out = jdp(&dir.path().join("db")).arg("check").arg(&file).assert().code(1).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("panel.name") && err.contains("U+001B"), "{err}");
    assert!(!raw_controls(&out.stderr) && !raw_controls(&out.stdout));
}

#[test]
fn a_walk_field_refuses_control_characters_and_keeps_line_breaks_where_allowed() {
    use jdp::walk::{Key, Value, fields};
    let mut case = good_case();
    let today = date("2026-11-23");
    let e = fields::set(&mut case, &Key::ChildName, Value::Text(format!("Al{OSC_TITLE}")), today).unwrap_err();
    assert!(e.contains("U+001B") && e.contains("character 3"), "{e}");
    assert_eq!(case.referral.child.name, "Alex Example", "unchanged");
    assert!(fields::set(&mut case, &Key::Ethnicity, Value::Text("White\nBritish".into()), today).is_err());
    assert!(fields::set(&mut case, &Key::Officer, Value::Text("PC \u{2066}Smith".into()), today).is_err());
    fields::set(&mut case, &Key::Rationale, Value::Text("Two\nlines".into()), today).unwrap();
    assert_eq!(case.decision.rationale, "Two\nlines");
}

/// A store holding hostile text that got in before input was checked (an older jdp).
fn hostile_store(db: &Path) {
    let mut store = Store::open(db).unwrap();
    // Groups of five and more, so both are printed in their own rows (smaller ones are pooled).
    for i in 0..10 {
        let mut case = good_case();
        case.referral.reference = format!("R{i}{OSC_TITLE}");
        case.referral.child.name = format!("Name{OSC_TITLE}");
        case.referral.child.ethnicity =
            if i < 5 { "=HYPERLINK(\"http://x\")|a\\b\n## Agreement" } else { "White" }.into();
        case.decision.rationale = format!("@SUM(A1) {OSC_TITLE}\u{202e}");
        let id = store.add_referrals(&[case.referral.clone()], "t", Utc::now()).unwrap()[0];
        let snap = jdp::domain::record::snapshot(&case, &default_panel(), date("2026-08-01")).unwrap();
        store.record_decision(id, &snap, None, "t", Utc::now()).unwrap();
    }
}

#[test]
fn no_output_carries_a_raw_control_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    hostile_store(&db);
    let runs: Vec<Vec<&str>> = vec![
        vec!["export"],
        vec!["export", "--format", "jsonl"],
        vec!["export", "--pseudonymise"],
        vec!["report", "--from", "2026-07-01", "--to", "2026-09-30"],
        vec!["report", "--from", "2026-07-01", "--to", "2026-09-30", "--format", "csv"],
        vec!["report", "--from", "2026-07-01", "--to", "2026-09-30", "--format", "html"],
        vec!["sample", "--from", "2026-07-01", "--to", "2026-09-30", "--seed", "x", "--size", "6"],
        vec![],
    ];
    for args in runs {
        let out = jdp(&db).args(&args).assert().success().get_output().clone();
        assert!(!out.stdout.is_empty() || !out.stderr.is_empty(), "{args:?} printed something");
        assert!(!raw_controls(&out.stdout), "{args:?} stdout: {:?}", String::from_utf8_lossy(&out.stdout));
        assert!(!raw_controls(&out.stderr), "{args:?} stderr: {:?}", String::from_utf8_lossy(&out.stderr));
    }
    // Control: the hostile text really is in the store and reaches the export, made visible.
    let out = jdp(&db).arg("export").assert().success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("\\x1b]2;PWNED\\x07"));
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    hostile_store(&db);
    let out = dir.path().join("out.csv");
    jdp(&db).args(["export", "--out"]).arg(&out).assert().success();
    let mut rows = csv::Reader::from_path(&out).unwrap();
    let headers = rows.headers().unwrap().clone();
    let eth = headers.iter().position(|h| h == "ethnicity").unwrap();
    let rationale = headers.iter().position(|h| h == "rationale").unwrap();
    for row in rows.records() {
        let row = row.unwrap();
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "formula cell {cell:?}");
            assert!(!cell.starts_with('-') || cell.parse::<f64>().is_ok(), "formula cell {cell:?}");
        }
        assert!(row[rationale].starts_with("'@SUM"), "{row:?}");
        assert!(row[eth] == *"White" || row[eth].starts_with("'=HYPERLINK"), "{row:?}");
    }
    let store = Store::open(&db).unwrap();
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let mut bytes = Vec::new();
    write::csv(&r, &mut bytes).unwrap();
    let mut report = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[..]);
    let mut seen = false;
    for row in report.records() {
        let row = row.unwrap();
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "formula cell {cell:?}");
            seen |= cell.starts_with("'=HYPERLINK");
        }
    }
    assert!(seen, "the hostile group is in the CSV report, neutralised");
}

#[test]
fn a_group_name_cannot_add_a_section_or_shift_a_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    hostile_store(&db);
    let store = Store::open(&db).unwrap();
    let r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    let md = write::markdown(&r);
    assert_eq!(md.lines().filter(|l| l.starts_with("## Agreement")).count(), 1, "{md}");
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ") && l.contains("HYPERLINK")).collect();
    assert!(!rows.is_empty(), "the hostile group is in a table: {md}");
    for line in rows {
        let unescaped = line.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 8, "seven columns: {line}");
    }
    let html = write::html(&r);
    assert_eq!(html.matches("<h2>Agreement</h2>").count(), 1);
    let rows: Vec<&str> = html.split("<tr>").filter(|row| row.contains("HYPERLINK")).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(row.matches("<td>").count(), 7, "seven cells: {row}");
        assert!(row.contains("|a\\b"), "the | and the \\ are kept as text: {row}");
    }
}

/// Raw HTML typed into a review or a group name stays text in the Markdown papers and report
/// (a Markdown reader passes `<script>` through), and reads as typed in their HTML versions.
#[test]
fn markdown_output_carries_no_raw_html() {
    use jdp::domain::text::{markdown_cell, markdown_line, markdown_unescape};
    let hostile = "<script>alert(2)</script> & <b>x</b> | y";
    for md in [markdown_line(hostile), markdown_cell(hostile)] {
        assert!(!md.contains("<script>") && !md.contains("<b>"), "{md}");
        assert_eq!(markdown_unescape(&md), hostile.replace('|', if md.contains("\\|") { "|" } else { "|" }));
    }
    let html = jdp::report::papers::simple_html(
        "t",
        &format!("# {}\n\n| a |\n|---|\n| {} |\n", markdown_line(hostile), markdown_cell(hostile)),
    );
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"), "{html}");
    assert!(!html.contains("\\&lt;"), "no stray backslashes: {html}");
}

/// A force-wide report names its panels by their databases' names, which the server's
/// administrator chose: a name cannot add a section or raw HTML to the report.
#[test]
fn a_panels_name_cannot_add_a_section_or_raw_html_to_a_force_wide_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jdp.sqlite3");
    hostile_store(&db);
    let store = Store::open(&db).unwrap();
    let mut r = board::build(&store, &default_panel(), date("2026-07-01"), date("2026-09-30")).unwrap();
    r.panels = vec![("<script>alert(1)</script>\n## Agreement\n# Forged".into(), 3), ("south".into(), 4)];
    let md = write::markdown(&r);
    assert!(md.starts_with("# Out-of-court decisions: force-wide"), "{md}");
    assert_eq!(md.lines().filter(|l| l.starts_with("## Agreement")).count(), 1, "{md}");
    assert!(!md.lines().any(|l| l.starts_with("# Forged")) && !md.contains("<script>"), "{md}");
    let html = write::html(&r);
    assert_eq!(html.matches("<h2>Agreement</h2>").count(), 1);
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
}
