//! Members' own (blind) ratings of a sampled case, given before the panel agrees: which are
//! taken, and whose count in the spread. Pure: the command that reads a returned ratings file
//! locates what this finds.

use super::PanelDefinition;

/// One returned rating as typed: record, reviewer, agency, rating, observations.
pub const COLUMNS: [&str; 5] = ["record", "reviewer", "agency", "rating", "observations"];

/// What a rating is checked against.
pub struct Against<'a> {
    pub panel: &'a PanelDefinition,
    pub sample: i64,
    /// The sample's cases.
    pub cases: &'a [i64],
    /// Cases whose review the panel has agreed: own ratings are closed for them.
    pub agreed: &'a [i64],
    /// (case, reviewer key, line) of ratings already given: in the store (no line) or earlier in
    /// the file being read (its line).
    pub given: &'a [(i64, String, Option<usize>)],
}

/// A rating that may be taken: the case, the reviewer's key, the agency's id and the rating's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    pub decision: i64,
    pub reviewer_key: String,
    pub agency: String,
    pub rating: String,
}

/// A problem with one column: which, what was expected, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub column: usize,
    pub expected: String,
    pub found: String,
}

/// Who a reviewer is, for "once per reviewer and case": spaces and case aside.
pub fn reviewer_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The agency id of a lay member of the scrutiny panel.
pub const LAY: &str = "lay";

/// The agencies a reviewer may belong to, as (id, name): the panel's, then lay members.
pub fn reviewer_agencies(panel: &PanelDefinition) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = panel.agencies.iter().map(|a| (a.id.clone(), a.name.clone())).collect();
    all.push((LAY.into(), "Lay member".into()));
    all
}

/// A reviewer's agency as a person reads it: its name (a lay member's too), else the id.
pub fn agency_name<'a>(agency: &'a str, panel: &'a PanelDefinition) -> &'a str {
    match panel.agency(agency) {
        Some(a) => &a.name,
        None if agency == LAY => "Lay member",
        None => agency,
    }
}

/// Whether an agency's members vote (police attend without a vote by default).
pub fn votes(agency: &str, panel: &PanelDefinition) -> bool {
    !panel.scrutiny.non_voting.iter().any(|a| a.eq_ignore_ascii_case(agency.trim()))
}

/// Checks one returned rating (its five columns as typed): every problem, or what is taken.
pub fn check(row: &[&str; 5], cx: &Against) -> Result<Taken, Vec<Problem>> {
    let p = cx.panel;
    let mut problems: Vec<Problem> = Vec::new();
    let mut bad = |column: usize, expected: String, found: String| problems.push(Problem { column, expected, found });
    for (c, text) in row.iter().enumerate() {
        if let Err(e) = super::text::check_input(text, c == 4) {
            bad(c, "plain text".into(), e);
        }
    }
    let Some(decision) = row[0].trim().parse::<i64>().ok().filter(|r| cx.cases.contains(r)) else {
        bad(0, format!("a record number in sample {}", cx.sample), row[0].into());
        return Err(problems);
    };
    if row[1].trim().is_empty() {
        bad(1, "the reviewer's name".into(), row[1].into());
    }
    // An agency by id or name, or a lay member.
    let a = row[2].trim();
    let agency = if a.eq_ignore_ascii_case(LAY) {
        Some(LAY.to_string())
    } else {
        p.agencies.iter().find(|x| x.id.eq_ignore_ascii_case(a) || x.name.eq_ignore_ascii_case(a)).map(|x| x.id.clone())
    };
    if agency.is_none() {
        let ids: Vec<&str> = p.agencies.iter().map(|a| a.id.as_str()).collect();
        bad(2, format!("an agency ({}) or \"lay\"", ids.join(", ")), row[2].into());
    }
    // A rating by its id or its label (the pack prints both), case aside.
    let r = row[3].trim();
    let rating = p
        .scrutiny
        .ratings
        .iter()
        .find(|x| x.id.eq_ignore_ascii_case(r) || x.label.eq_ignore_ascii_case(r))
        .map(|x| x.id.clone());
    if rating.is_none() {
        let scale: Vec<&str> = p.scrutiny.ratings.iter().map(|r| r.id.as_str()).collect();
        bad(3, format!("one of {}", scale.join(", ")), row[3].into());
    }
    if cx.agreed.contains(&decision) {
        bad(0, "a case not yet agreed (own ratings come before the panel's review)".into(), row[0].into());
    }
    // Once per reviewer and case.
    let key = reviewer_key(row[1]);
    match cx.given.iter().find(|(d, w, _)| *d == decision && *w == key) {
        Some((_, _, None)) => bad(1, "a reviewer who has not rated this case already".into(), row[1].into()),
        Some((_, _, Some(line))) => {
            bad(1, format!("one rating of this case by this reviewer (line {line} has one)"), row[1].into())
        }
        None => {}
    }
    match (agency, rating) {
        (Some(agency), Some(rating)) if problems.is_empty() => {
            Ok(Taken { decision, reviewer_key: key, agency, rating })
        }
        _ => Err(problems),
    }
}
