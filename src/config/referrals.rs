//! Referral import files: `[[referrals]]` tables checked against the panel definition, with the
//! same located errors as panel files. See panels/examples/referrals.toml; a file named `.csv`
//! is read by `referrals_csv` and checked by the same rules.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;

use chrono::NaiveDate;

use serde::Deserialize;

use super::{
    ConfigErrors, Document, MAX_ROUNDS, Problem, did_you_mean, locate, parse_str_rounds, read_text, text_problems,
    type_errors,
};
use crate::domain::PanelDefinition;
use crate::domain::referral::Referral;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralFile {
    pub referrals: Vec<Referral>,
}

pub fn load_referrals(path: &Path, panel: &PanelDefinition) -> Result<ReferralFile, ConfigErrors> {
    let today = chrono::Local::now().date_naive();
    let (name, text) = read_text(path)?;
    if super::referrals_csv::is_csv(path) {
        return super::referrals_csv::parse_referrals_csv(&name, &text, panel, today);
    }
    parse_referrals(&name, &text, panel, today)
}

/// Parses and checks a referral file's text. When a referral cannot be read (a wrong type, an
/// unknown key), every referral is read on its own so that every problem in the file is
/// reported, each located, not only the first.
pub fn parse_referrals(
    file: &str,
    text: &str,
    panel: &PanelDefinition,
    today: NaiveDate,
) -> Result<ReferralFile, ConfigErrors> {
    // The whole file is read once; if it fails, each referral is read on its own, past every
    // type error in it.
    match parse_str_rounds(file, text, |f: &ReferralFile| validate_on(f, panel, today), 1) {
        Err(first) if first.0.len() == 1 => Err(every_problem(file, text, panel, today).unwrap_or(first)),
        Ok(mut f) => {
            f.referrals.iter_mut().for_each(|r| normalise(r, panel));
            Ok(f)
        }
        other => other,
    }
}

fn every_problem(file: &str, text: &str, panel: &PanelDefinition, today: NaiveDate) -> Option<ConfigErrors> {
    let table: toml::Table = text.parse().ok()?;
    let list = table.get("referrals")?.as_array()?;
    let doc = Document::new(text);
    let mut problems = text_problems(&doc);
    let mut errors = Vec::new();
    for key in table.keys().filter(|k| *k != "referrals") {
        problems.push(Problem::new(key.clone(), "only `referrals`", format!("unknown key `{key}`")));
    }
    let mut first: HashMap<String, usize> = HashMap::with_capacity(list.len());
    for (i, value) in list.iter().enumerate() {
        let at = format!("referrals[{i}]");
        if let Some(reference) = value.get("reference").and_then(toml::Value::as_str) {
            match first.entry(reference_key(reference)) {
                Entry::Occupied(j) => problems.push(Problem::new(
                    format!("{at}.reference"),
                    "a reference not used by another referral in this file (case and spaces aside)",
                    format!("\"{reference}\" again (first at referrals[{}])", j.get()),
                )),
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        let Some(one) = value.as_table() else {
            problems.push(Problem::new(&at, "a referral table", value.type_str()));
            continue;
        };
        let Ok(alone) = toml::to_string(one) else { continue };
        match type_errors::<Referral>(file, &alone, &Document::new(&alone), MAX_ROUNDS) {
            Ok(r) => {
                problems.extend(validate_referral(&r, &at, panel));
                problems.extend(future_dates(&r, &at, today));
            }
            Err(inner) => problems.extend(inner.into_iter().map(|mut inner| {
                if let Some(field) = inner.expected.strip_prefix("a value for `").and_then(|f| f.strip_suffix('`')) {
                    // A missing key belongs to the nearest table on its path, not to a value.
                    let owner = inner.path.strip_suffix(field).unwrap_or(&inner.path).trim_end_matches('.');
                    let table = table_prefix(one, owner);
                    inner.path = if table.is_empty() { field.to_string() } else { format!("{table}.{field}") };
                }
                let path = if inner.path.is_empty() { at.clone() } else { format!("{at}.{}", inner.path) };
                let mut p = Problem::new(path, inner.expected, inner.found);
                p.hint = inner.hint;
                p
            })),
        }
    }
    errors.extend(problems.into_iter().map(|p| locate(file, &doc, p)));
    errors.sort_by_key(|e| (e.line, e.column));
    (!errors.is_empty()).then_some(ConfigErrors(errors))
}

/// As [`validate_on`], taking today from the clock.
pub fn validate(file: &ReferralFile, panel: &PanelDefinition) -> Vec<Problem> {
    validate_on(file, panel, chrono::Local::now().date_naive())
}

/// References are compared as people read them: case and spaces do not count.
pub use crate::domain::referral::reference_key;

/// Every problem with a referral file, `today` being the date it is checked on. Linear in the
/// number of referrals (the duplicate check is a hash lookup).
pub fn validate_on(file: &ReferralFile, panel: &PanelDefinition, today: NaiveDate) -> Vec<Problem> {
    let mut out = Vec::new();
    if file.referrals.is_empty() {
        out.push(Problem::new("referrals", "at least one referral", "an empty list"));
    }
    let mut first: HashMap<String, usize> = HashMap::with_capacity(file.referrals.len());
    for (i, r) in file.referrals.iter().enumerate() {
        let at = format!("referrals[{i}]");
        match first.entry(reference_key(&r.reference)) {
            Entry::Occupied(j) => out.push(Problem::new(
                format!("{at}.reference"),
                "a reference not used by another referral in this file (case and spaces aside)",
                format!("\"{}\" again (first at referrals[{}])", r.reference, j.get()),
            )),
            Entry::Vacant(v) => {
                v.insert(i);
            }
        }
        out.extend(validate_referral(r, &at, panel));
        out.extend(future_dates(r, &at, today));
    }
    out
}

/// Every date of a referral, with the key path that locates it.
fn referral_dates(r: &Referral, at: &str) -> Vec<(String, NaiveDate)> {
    let mut dates = vec![
        (format!("{at}.referral_date"), r.referral_date),
        (format!("{at}.child.date_of_birth"), r.child.date_of_birth),
    ];
    dates.extend(r.offences.iter().enumerate().map(|(j, o)| (format!("{at}.offences[{j}].date"), o.date)));
    dates.extend(
        r.previous_outcomes.iter().enumerate().map(|(j, p)| (format!("{at}.previous_outcomes[{j}].date"), p.date)),
    );
    dates
}

/// Dates after `today`: a referral, an offence, a birth or a previous outcome cannot be in the future.
pub fn future_dates(r: &Referral, at: &str, today: NaiveDate) -> Vec<Problem> {
    let dates = referral_dates(r, at);
    dates
        .into_iter()
        .filter(|(_, d)| *d > today)
        .map(|(path, d)| Problem::new(path, format!("a date not in the future (today is {today})"), d.to_string()))
        .collect()
}

/// The earliest and latest dates any referral may hold.
pub const DATE_RANGE: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date"),
    NaiveDate::from_ymd_opt(2200, 12, 31).expect("a valid date"),
);

fn visible(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Checks one referral against the panel; `at` is its key path (`referrals[2]`, `referral`).
pub fn validate_referral(r: &Referral, at: &str, panel: &PanelDefinition) -> Vec<Problem> {
    let mut out = Vec::new();
    let known: Vec<&str> = panel.gravity.offences.iter().map(|o| o.name.as_str()).collect();
    for (key, value, what) in [
        ("reference", &r.reference, "a local reference"),
        ("child.name", &r.child.name, "the child's name"),
        ("child.ethnicity", &r.child.ethnicity, "the child's ethnicity as they describe it (or \"Not stated\")"),
        ("officer_in_case", &r.officer_in_case, "the officer in the case"),
    ] {
        if value.trim().is_empty() {
            out.push(Problem::new(format!("{at}.{key}"), what, "an empty string"));
        } else if !visible(value) {
            out.push(Problem::new(
                format!("{at}.{key}"),
                what,
                "no letters or digits (only spaces or invisible characters)",
            ));
        }
    }
    if r.reference.trim() != r.reference {
        out.push(Problem::new(
            format!("{at}.reference"),
            "a reference without spaces at its start or end",
            format!("\"{}\"", r.reference),
        ));
    }
    let dates = referral_dates(r, at);
    for (path, d) in dates {
        if d < DATE_RANGE.0 || d > DATE_RANGE.1 {
            out.push(Problem::new(path, format!("a date from {} to {}", DATE_RANGE.0, DATE_RANGE.1), d.to_string()));
        }
    }
    for (j, p) in r.previous_outcomes.iter().enumerate() {
        if p.date < r.child.date_of_birth {
            out.push(Problem::new(
                format!("{at}.previous_outcomes[{j}].date"),
                format!("a date after the child's birth ({})", r.child.date_of_birth),
                p.date.to_string(),
            ));
        } else if p.date > r.referral_date {
            out.push(Problem::new(
                format!("{at}.previous_outcomes[{j}].date"),
                format!("a date on or before the referral date ({})", r.referral_date),
                p.date.to_string(),
            ));
        }
        if p.outcome.trim().is_empty() {
            out.push(Problem::new(
                format!("{at}.previous_outcomes[{j}].outcome"),
                "the outcome given",
                "an empty string",
            ));
        } else if let Err(expected) = panel.previous_outcome(&p.outcome) {
            out.push(Problem::new(
                format!("{at}.previous_outcomes[{j}].outcome"),
                expected,
                format!("\"{}\"", p.outcome),
            ));
        }
    }
    if r.offences.is_empty() {
        out.push(Problem::new(format!("{at}.offences"), "at least one offence", "an empty list"));
    }
    for (j, o) in r.offences.iter().enumerate() {
        if !known.contains(&o.offence.as_str()) {
            let mut p = Problem::new(
                format!("{at}.offences[{j}].offence"),
                "an offence named in the panel's gravity matrix",
                format!("\"{}\"", o.offence),
            );
            if let Some(k) = did_you_mean(&o.offence, &known) {
                p = p.hint(format!("did you mean \"{k}\"?"));
            }
            out.push(p);
        }
        if o.date > r.referral_date {
            out.push(Problem::new(
                format!("{at}.offences[{j}].date"),
                format!("an offence date on or before the referral date ({})", r.referral_date),
                o.date.to_string(),
            ));
        }
    }
    if let Some(age) = r.age_at_offence()
        && !(10..=17).contains(&age)
    {
        out.push(Problem::new(
            format!("{at}.child.date_of_birth"),
            "a child aged 10–17 at the offence",
            format!("{} (aged {age} at the offence)", r.child.date_of_birth),
        ));
    }
    out
}

/// A checked referral as it is kept: each previous outcome written as a label or in another
/// case becomes the panel's code (a conviction stays in words).
pub fn normalise(r: &mut Referral, panel: &PanelDefinition) {
    for p in &mut r.previous_outcomes {
        if let Ok(code) = panel.previous_outcome(&p.outcome) {
            p.outcome = code;
        }
    }
}

/// The longest start of `path` (`child.looked_after`, `offences[1]`) that names a table in `root`.
fn table_prefix(root: &toml::Table, path: &str) -> String {
    let mut best = String::new();
    let mut here = toml::Value::Table(root.clone());
    let mut so_far = String::new();
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let (key, index) = match seg.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let Some(mut next) = here.get(key).cloned() else { break };
        if let Some(i) = index {
            let Some(item) = next.get(i).cloned() else { break };
            next = item;
        }
        so_far = if so_far.is_empty() { seg.to_string() } else { format!("{so_far}.{seg}") };
        if !next.is_table() {
            break;
        }
        best = so_far.clone();
        here = next;
    }
    best
}
