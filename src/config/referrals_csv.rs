//! Referral files as CSV, the form police and case-management systems export: one row per
//! referral, a header naming the columns (see [`COLUMNS`] and README "Import referrals"), repeated
//! offences and previous outcomes in numbered columns (`offence_1`, `offence_1_date`, …,
//! `previous_1_outcome`, …). Every problem is located as `file:row:column` (the header is row 1,
//! the first column is column 1), with what was expected; the referrals are checked by the same
//! rules as a TOML referral file (`referrals::validate_referral`), so both say the same things.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;

use super::referrals::{ReferralFile, future_dates, reference_key, validate_referral};
use super::{ConfigError, ConfigErrors, MAX_LINE_CHARS, MAX_TEXT_CHARS, Problem, did_you_mean};
use crate::domain::PanelDefinition;
use crate::domain::referral::{Child, LookedAfter, Offence, PreviousOutcome, Referral, Response, Sex};

/// The columns of one referral, in the order an export usually gives them. Required columns
/// must be in the header; the others may be left out.
pub const COLUMNS: [(&str, bool); 12] = [
    ("reference", true),
    ("child_name", true),
    ("child_known_as", false),
    ("date_of_birth", true),
    ("sex", true),
    ("ethnicity", true),
    ("looked_after_local_authority", false),
    ("looked_after_social_worker", false),
    ("response", true),
    ("officer_in_case", true),
    ("referral_date", true),
    ("appropriate_adult", false),
];

/// The numbered columns, `N` counting from 1: an offence (its name in the gravity matrix, its
/// date, what happened) and a previous outcome (the outcome, its date, the offence it was for).
pub const OFFENCE_PARTS: [&str; 3] = ["offence_N", "offence_N_date", "offence_N_details"];
pub const PREVIOUS_PARTS: [&str; 3] = ["previous_N_outcome", "previous_N_date", "previous_N_offence"];

/// Several names in one cell (`child_known_as`) are separated by this.
pub const LIST_SEPARATOR: char = ';';

/// Whether a file is read as CSV: by its name, as a person saves it.
pub fn is_csv(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// What a column holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Fixed(usize),
    /// (group number from 1, part index in OFFENCE_PARTS)
    Offence(usize, usize),
    Previous(usize, usize),
}

fn numbered(name: &str, parts: &[&str; 3]) -> Option<(usize, usize)> {
    parts.iter().enumerate().find_map(|(p, part)| {
        let (before, after) = part.split_once('N').expect("every part has an N");
        let middle = name.strip_prefix(before)?.strip_suffix(after)?;
        let digits = !middle.is_empty() && middle.bytes().all(|b| b.is_ascii_digit()) && !middle.starts_with('0');
        let n: usize = if digits { middle.parse().ok()? } else { return None };
        (n <= MAX_GROUP).then_some((n, p))
    })
}

/// The most offences or previous outcomes one row may carry.
const MAX_GROUP: usize = 99;

fn column_of(name: &str) -> Option<Column> {
    if let Some(i) = COLUMNS.iter().position(|(c, _)| *c == name) {
        return Some(Column::Fixed(i));
    }
    numbered(name, &OFFENCE_PARTS)
        .map(|(n, p)| Column::Offence(n, p))
        .or_else(|| numbered(name, &PREVIOUS_PARTS).map(|(n, p)| Column::Previous(n, p)))
}

fn part_name(parts: &[&str; 3], n: usize, p: usize) -> String {
    parts[p].replace('N', &n.to_string())
}

/// Every column name a header may use, for "did you mean" (numbered ones with 1 to 3).
fn known_names() -> Vec<String> {
    let mut names: Vec<String> = COLUMNS.iter().map(|(c, _)| c.to_string()).collect();
    for n in 1..=3 {
        for p in 0..3 {
            names.push(part_name(&OFFENCE_PARTS, n, p));
            names.push(part_name(&PREVIOUS_PARTS, n, p));
        }
    }
    names
}

/// The header read: where each column is.
struct Header {
    names: Vec<String>,
    at: HashMap<String, usize>,
}

impl Header {
    /// The 1-based column of a named column, or 1 when the header has no such column.
    fn column(&self, name: &str) -> usize {
        self.at.get(name).map_or(1, |i| i + 1)
    }
}

/// Where a problem is, before the file name is put to it.
struct Located {
    row: usize,
    column: usize,
    problem: Problem,
}

fn located(file: &str, l: Located) -> ConfigError {
    ConfigError {
        file: file.into(),
        line: l.row,
        column: l.column,
        path: l.problem.path,
        expected: l.problem.expected,
        found: l.problem.found,
        hint: l.problem.hint,
    }
}

fn one(file: &str, row: usize, column: usize, problem: Problem) -> ConfigErrors {
    ConfigErrors(vec![located(file, Located { row, column, problem })])
}

fn read_header(file: &str, reader: &mut csv::Reader<&[u8]>) -> Result<Header, ConfigErrors> {
    let record = reader.headers().map_err(|e| one(file, 1, 1, Problem::new("", "a CSV header row", e.to_string())))?;
    let names: Vec<String> = record.iter().map(|h| h.trim().to_lowercase()).collect();
    if names.iter().all(String::is_empty) {
        return Err(one(file, 1, 1, Problem::new("", "a header row naming the columns", "an empty file")));
    }
    let mut errors = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let known = known_names();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    for (i, name) in names.iter().enumerate() {
        let problem = if name.is_empty() {
            Some(Problem::new("", "a column name", "an empty header cell"))
        } else if column_of(name).is_none() {
            let mut p = Problem::new(
                name.clone(),
                "a column from README \"Import referrals\"",
                format!("unknown column `{name}`"),
            );
            if let Some(k) = did_you_mean(name, &known) {
                p = p.hint(format!("did you mean `{k}`?"));
            }
            Some(p)
        } else {
            match at.entry(name.clone()) {
                Entry::Occupied(first) => Some(Problem::new(
                    name.clone(),
                    "each column once",
                    format!("`{name}` again (first in column {})", first.get() + 1),
                )),
                Entry::Vacant(v) => {
                    v.insert(i);
                    None
                }
            }
        };
        if let Some(p) = problem {
            errors.push(located(file, Located { row: 1, column: i + 1, problem: p }));
        }
    }
    for (name, required) in COLUMNS {
        if required && !at.contains_key(name) {
            errors.push(located(
                file,
                Located {
                    row: 1,
                    column: names.len() + 1,
                    problem: Problem::new(name, format!("a column `{name}`"), "no such column in the header"),
                },
            ));
        }
    }
    if !at.contains_key("offence_1") || !at.contains_key("offence_1_date") {
        let name = if at.contains_key("offence_1") { "offence_1_date" } else { "offence_1" };
        errors.push(located(
            file,
            Located {
                row: 1,
                column: names.len() + 1,
                problem: Problem::new(name, format!("a column `{name}` (every referral has an offence)"), "none"),
            },
        ));
    }
    // A numbered offence or previous outcome needs its name and its date (the first offence's
    // are required above).
    let mut needed: Vec<String> = Vec::new();
    for name in &names {
        match column_of(name) {
            Some(Column::Offence(g, _)) if g > 1 => needed.extend([0, 1].map(|p| part_name(&OFFENCE_PARTS, g, p))),
            Some(Column::Previous(g, _)) => needed.extend([0, 1].map(|p| part_name(&PREVIOUS_PARTS, g, p))),
            _ => {}
        }
    }
    needed.sort();
    needed.dedup();
    for name in needed.into_iter().filter(|n| !at.contains_key(n)) {
        errors.push(located(
            file,
            Located {
                row: 1,
                column: names.len() + 1,
                problem: Problem::new(name.clone(), format!("a column `{name}`"), "none"),
            },
        ));
    }
    if errors.is_empty() { Ok(Header { names, at }) } else { Err(ConfigErrors(errors)) }
}

/// One row's cells, by column name, with where each is.
struct Row<'a> {
    number: usize,
    header: &'a Header,
    cells: &'a csv::StringRecord,
    problems: Vec<Located>,
}

impl Row<'_> {
    fn cell(&self, name: &str) -> &str {
        self.header.at.get(name).and_then(|i| self.cells.get(*i)).map_or("", str::trim)
    }

    fn problem(&mut self, name: &str, expected: impl Into<String>, found: impl Into<String>) {
        let column = self.header.column(name);
        self.problems.push(Located { row: self.number, column, problem: Problem::new(name, expected, found) });
    }

    fn text(&self, name: &str) -> String {
        self.cell(name).to_string()
    }

    fn date(&mut self, name: &str, what: &str) -> Option<NaiveDate> {
        let cell = self.cell(name).to_string();
        if cell.is_empty() {
            self.problem(name, format!("{what}, written YYYY-MM-DD"), "an empty cell");
            return None;
        }
        match NaiveDate::parse_from_str(&cell, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.problem(name, format!("{what}, written YYYY-MM-DD"), format!("\"{cell}\""));
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, name: &str, options: &[(&str, T)]) -> Option<T> {
        let cell = self.cell(name).to_string();
        if let Some((_, v)) = options.iter().find(|(o, _)| o.eq_ignore_ascii_case(&cell)) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(o, _)| *o).collect();
        let found = if cell.is_empty() { "an empty cell".to_string() } else { format!("\"{cell}\"") };
        let mut p = Problem::new(name, format!("one of {}", names.join(", ")), found);
        if let Some(k) = did_you_mean(&cell.to_lowercase(), &names) {
            p = p.hint(format!("did you mean `{k}`?"));
        }
        let column = self.header.column(name);
        self.problems.push(Located { row: self.number, column, problem: p });
        None
    }

    /// Every cell refused for control or bidirectional characters, or for its length.
    fn check_text(&mut self) {
        for (i, name) in self.header.names.iter().enumerate() {
            let value = self.cells.get(i).unwrap_or("");
            let multiline = name.ends_with("_details");
            let limit = if multiline { MAX_TEXT_CHARS } else { MAX_LINE_CHARS };
            if value.chars().count() > limit {
                self.problems.push(Located {
                    row: self.number,
                    column: i + 1,
                    problem: Problem::new(
                        name.clone(),
                        format!("at most {limit} characters"),
                        format!("{} characters", value.chars().count()),
                    ),
                });
            } else if let Some(b) = crate::domain::text::first_refused(value, multiline) {
                let expected = if multiline {
                    "text without control or bidirectional-override characters"
                } else {
                    "one line of text without control or bidirectional-override characters"
                };
                self.problems.push(Located {
                    row: self.number,
                    column: i + 1,
                    problem: Problem::new(
                        name.clone(),
                        expected,
                        format!("{} at line {}, column {} of the cell", b.what(), b.line, b.column),
                    ),
                });
            }
        }
    }

    /// The groups (numbers) of a kind of numbered column in this header, in order.
    fn groups(&self, parts: &[&str; 3]) -> Vec<usize> {
        let mut g: Vec<usize> = self
            .header
            .names
            .iter()
            .filter_map(|n| match column_of(n) {
                Some(Column::Offence(g, _)) if parts == &OFFENCE_PARTS => Some(g),
                Some(Column::Previous(g, _)) if parts == &PREVIOUS_PARTS => Some(g),
                _ => None,
            })
            .collect();
        g.sort_unstable();
        g.dedup();
        g
    }

    /// The row as a referral, or `None` when a cell could not be read (its problems recorded).
    /// Also returns the group number of each offence and previous outcome kept, to locate the
    /// referral checks' findings.
    fn referral(&mut self) -> Option<(Referral, Vec<usize>, Vec<usize>)> {
        let before = self.problems.len();
        let date_of_birth = self.date("date_of_birth", "the child's date of birth");
        let referral_date = self.date("referral_date", "the referral date");
        let sex = self.choice(
            "sex",
            &[("female", Sex::Female), ("male", Sex::Male), ("other", Sex::Other), ("not-known", Sex::NotKnown)],
        );
        let response = self.choice(
            "response",
            &[
                ("admitted", Response::Admitted),
                ("accepted-responsibility", Response::AcceptedResponsibility),
                ("denied", Response::Denied),
                ("no-comment", Response::NoComment),
            ],
        );
        let local_authority = self.text("looked_after_local_authority");
        let social_worker = self.text("looked_after_social_worker");
        if local_authority.is_empty() && !social_worker.is_empty() {
            self.problem(
                "looked_after_local_authority",
                "the responsible local authority (the child has a social worker named)",
                "an empty cell",
            );
        }
        let mut offences = Vec::new();
        let mut offence_groups = Vec::new();
        for g in self.groups(&OFFENCE_PARTS) {
            let [name, date, details] = [0, 1, 2].map(|p| part_name(&OFFENCE_PARTS, g, p));
            let given = [&name, &date, &details].iter().any(|c| !self.cell(c).is_empty());
            if !given {
                continue;
            }
            if self.cell(&name).is_empty() {
                self.problem(&name, "the offence's name in the panel's gravity matrix", "an empty cell");
            }
            if let Some(d) = self.date(&date, "the date of the offence") {
                offences.push(Offence { offence: self.text(&name), date: d, details: self.text(&details) });
                offence_groups.push(g);
            }
        }
        let mut previous = Vec::new();
        let mut previous_groups = Vec::new();
        for g in self.groups(&PREVIOUS_PARTS) {
            let [outcome, date, offence] = [0, 1, 2].map(|p| part_name(&PREVIOUS_PARTS, g, p));
            let given = [&outcome, &date, &offence].iter().any(|c| !self.cell(c).is_empty());
            if !given {
                continue;
            }
            if let Some(d) = self.date(&date, "the date of the previous outcome") {
                previous.push(PreviousOutcome { date: d, outcome: self.text(&outcome), offence: self.text(&offence) });
                previous_groups.push(g);
            }
        }
        if self.problems.len() > before {
            return None;
        }
        let known_as = self
            .cell("child_known_as")
            .split(LIST_SEPARATOR)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let appropriate_adult = Some(self.text("appropriate_adult")).filter(|s| !s.is_empty());
        let referral = Referral {
            reference: self.text("reference"),
            child: Child {
                name: self.text("child_name"),
                known_as,
                date_of_birth: date_of_birth?,
                sex: sex?,
                ethnicity: self.text("ethnicity"),
                looked_after: (!local_authority.is_empty()).then(|| LookedAfter {
                    local_authority,
                    social_worker: Some(social_worker).filter(|s| !s.is_empty()),
                }),
            },
            offences,
            response: response?,
            previous_outcomes: previous,
            officer_in_case: self.text("officer_in_case"),
            referral_date: referral_date?,
            appropriate_adult,
        };
        Some((referral, offence_groups, previous_groups))
    }
}

/// The column a referral check's key path (`r.offences[1].date`) points at.
fn column_for(path: &str, offences: &[usize], previous: &[usize]) -> String {
    let path = path.strip_prefix("r.").unwrap_or(path);
    let indexed = |rest: &str| -> Option<(usize, String)> {
        let (i, field) = rest.split_once("].")?;
        Some((i.parse().ok()?, field.to_string()))
    };
    if let Some((i, field)) = path.strip_prefix("offences[").and_then(indexed) {
        let g = offences.get(i).copied().unwrap_or(i + 1);
        return match field.as_str() {
            "date" => part_name(&OFFENCE_PARTS, g, 1),
            "details" => part_name(&OFFENCE_PARTS, g, 2),
            _ => part_name(&OFFENCE_PARTS, g, 0),
        };
    }
    if let Some((i, field)) = path.strip_prefix("previous_outcomes[").and_then(indexed) {
        let g = previous.get(i).copied().unwrap_or(i + 1);
        return match field.as_str() {
            "date" => part_name(&PREVIOUS_PARTS, g, 1),
            "offence" => part_name(&PREVIOUS_PARTS, g, 2),
            _ => part_name(&PREVIOUS_PARTS, g, 0),
        };
    }
    match path {
        "offences" => "offence_1".into(),
        "child.name" => "child_name".into(),
        "child.date_of_birth" => "date_of_birth".into(),
        "child.ethnicity" => "ethnicity".into(),
        "child.looked_after.local_authority" => "looked_after_local_authority".into(),
        other => other.to_string(),
    }
}

/// Parses and checks a CSV referral file's text: every problem in every row, each located;
/// nothing is returned unless every row is good.
pub fn parse_referrals_csv(
    file: &str,
    text: &str,
    panel: &PanelDefinition,
    today: NaiveDate,
) -> Result<ReferralFile, ConfigErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header = read_header(file, &mut reader)?;
    let mut problems: Vec<Located> = Vec::new();
    let mut referrals = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let number = i + 2;
        let cells = match record {
            Ok(c) => c,
            Err(e) => {
                problems.push(Located {
                    row: number,
                    column: 1,
                    problem: Problem::new("", "a CSV row", e.to_string()),
                });
                continue;
            }
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() != header.names.len() {
            problems.push(Located {
                row: number,
                column: cells.len().min(header.names.len()) + 1,
                problem: Problem::new(
                    "",
                    format!("{} cells, as in the header", header.names.len()),
                    format!("{} cells", cells.len()),
                ),
            });
            continue;
        }
        let mut row = Row { number, header: &header, cells: &cells, problems: Vec::new() };
        row.check_text();
        let read = row.referral();
        problems.append(&mut row.problems);
        let Some((r, offences, previous)) = read else { continue };
        let mut found = validate_referral(&r, "r", panel);
        found.extend(future_dates(&r, "r", today));
        match first.entry(reference_key(&r.reference)) {
            Entry::Occupied(j) if !r.reference.trim().is_empty() => found.push(Problem::new(
                "r.reference",
                "a reference not used by another row in this file (case and spaces aside)",
                format!("\"{}\" again (first in row {})", r.reference, j.get()),
            )),
            Entry::Occupied(_) => {}
            Entry::Vacant(v) => {
                v.insert(number);
            }
        }
        for mut p in found {
            let column = column_for(&p.path, &offences, &previous);
            p.path = column.clone();
            problems.push(Located { row: number, column: header.column(&column), problem: p });
        }
        let mut r = r;
        super::referrals::normalise(&mut r, panel);
        referrals.push(r);
    }
    if referrals.is_empty() && problems.is_empty() {
        problems.push(Located {
            row: 2,
            column: 1,
            problem: Problem::new("", "at least one referral row after the header", "none"),
        });
    }
    if problems.is_empty() {
        return Ok(ReferralFile { referrals });
    }
    problems.sort_by_key(|l| (l.row, l.column));
    Err(ConfigErrors(problems.into_iter().map(|l| located(file, l)).collect()))
}

/// Where a referral's reference is in a CSV file, for a problem found later (the reference is
/// already in the database): `index` counts the referral rows kept, from 0.
pub fn locate_reference(file: &str, text: &str, index: usize, problem: Problem) -> ConfigError {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let names: Vec<String> =
        reader.headers().map(|h| h.iter().map(|n| n.trim().to_lowercase()).collect()).unwrap_or_default();
    let column = names.iter().position(|n| n == "reference").map_or(1, |i| i + 1);
    let row = reader
        .records()
        .enumerate()
        .filter(|(_, r)| r.as_ref().is_ok_and(|r| !r.iter().all(|c| c.trim().is_empty())))
        .nth(index)
        .map_or(1, |(i, _)| i + 2);
    let mut problem = problem;
    problem.path = "reference".into();
    located(file, Located { row, column, problem })
}
