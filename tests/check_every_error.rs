//! `jdp check` reports every type error in one file — several in one table of a panel
//! definition, a training scenario or a single referral — each located, with no follow-on
//! errors from the values it could not read.

mod common;

use jdp::config::{ConfigError, ConfigErrors};

fn manifest(p: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in the file")) + 1
}

fn find<'a>(errors: &'a ConfigErrors, path: &str) -> &'a ConfigError {
    errors.0.iter().find(|e| e.path == path).unwrap_or_else(|| panic!("no error at {path}:\n{errors}"))
}

#[test]
fn a_panel_file_with_three_type_errors_in_one_table_reports_all_three() {
    let text = manifest("panels/default.toml")
        .replacen("name = \"Joint Decision Panel\"", "name = 5", 1)
        .replacen("area = \"Example Borough\"", "area = true", 1)
        .replacen("version = \"default-2026.1\"", "version = [1, 2]", 1)
        .replacen("retention_months = 72", "retention_months = \"seventy-two\"", 1);
    let errors = jdp::config::parse_panel("bad.toml", &text).unwrap_err();
    assert_eq!(errors.0.len(), 4, "{errors}");
    let name = find(&errors, "panel.name");
    assert_eq!((name.line, name.column), (line_of(&text, "name = 5"), 8));
    assert!(name.expected.contains("text in quotes") && name.found.contains("integer"), "{name}");
    let area = find(&errors, "panel.area");
    assert_eq!(area.line, line_of(&text, "area = true"));
    assert!(area.found.contains("boolean"), "{area}");
    let version = find(&errors, "panel.version");
    assert_eq!(version.line, line_of(&text, "version = [1, 2]"));
    assert!(version.found.contains("sequence"), "{version}");
    let months = find(&errors, "records.retention_months");
    assert_eq!(months.line, line_of(&text, "retention_months = \"seventy-two\""));
    assert!(months.expected.contains("whole number"), "{months}");
}

#[test]
fn a_scenario_with_three_type_errors_in_one_table_reports_all_three() {
    let text = manifest("panels/training/01-first-steps.toml")
        .replacen("minutes = 25", "minutes = \"twenty-five\"", 1)
        .replacen("fictional = true", "fictional = \"yes\"", 1)
        .replacen("title = \"First steps: a shop theft\"", "title = 1.5", 1);
    let errors = jdp::config::scenario::parse_scenario("bad.toml", &text, &common::default_panel()).unwrap_err();
    assert_eq!(errors.0.len(), 3, "{errors}");
    for (path, needle) in [
        ("scenario.minutes", "minutes = \"twenty-five\""),
        ("scenario.fictional", "fictional = \"yes\""),
        ("scenario.title", "title = 1.5"),
    ] {
        assert_eq!(find(&errors, path).line, line_of(&text, needle), "{path}");
    }
}

#[test]
fn one_referral_with_three_type_errors_reports_all_three() {
    let text = manifest("panels/examples/referrals.toml")
        .replacen("sex = \"male\"", "sex = \"blue\"", 1)
        .replacen("date_of_birth = \"2012-05-14\"", "date_of_birth = \"14th May\"", 1)
        .replacen("response = \"admitted\"", "response = 7", 1);
    let today = common::date("2026-11-23");
    let errors =
        jdp::config::referrals::parse_referrals("bad.toml", &text, &common::default_panel(), today).unwrap_err();
    assert_eq!(errors.0.len(), 3, "{errors}");
    let sex = find(&errors, "referrals[0].child.sex");
    assert_eq!(sex.line, line_of(&text, "sex = \"blue\""));
    assert!(sex.found.contains("blue"), "{sex}");
    assert_eq!(find(&errors, "referrals[0].child.date_of_birth").line, line_of(&text, "date_of_birth = \"14th May\""));
    let response = find(&errors, "referrals[0].response");
    assert_eq!(response.line, line_of(&text, "response = 7"));
    assert!(response.expected.contains("names, in quotes") && !response.found.contains("TOML"), "{response}");
}

/// A wrong value repeated in every element of a list is reported at each, and the number of
/// rounds is bounded: a file with very many errors still ends, reporting a bounded number.
#[test]
fn many_type_errors_in_one_list_are_each_reported_up_to_a_bound() {
    let mut text = manifest("panels/default.toml");
    text = text.replacen("days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]", "days = [1, 2, 3, 4, 5]", 1);
    let errors = jdp::config::parse_panel("bad.toml", &text).unwrap_err();
    let days: Vec<&ConfigError> = errors.0.iter().filter(|e| e.path.starts_with("working_days.days")).collect();
    assert_eq!(days.len(), 5, "{errors}");
    let columns: std::collections::HashSet<usize> = days.iter().map(|e| e.column).collect();
    assert_eq!(columns.len(), 5, "each at its own place: {errors}");
}
