//! The scrutiny and board report: outcome mix by gravity, departures, disproportionality within
//! gravity bands, timeliness, agreement, and scrutiny ratings. Figures come from aggregate SQL
//! over the covering index; no row of personal data is ever loaded.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;

use crate::domain::PanelDefinition;
use crate::store::{Result, Store};

use crate::store::scrutiny::CURRENT_DECISIONS as CURRENT;

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub group: String,
    pub n: u64,
    pub formal: u64,
    /// None where the cell is suppressed.
    pub rate: Option<f64>,
    pub rri: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dispro {
    pub dimension: &'static str,
    pub reference: String,
    /// (gravity score, cells)
    pub bands: Vec<(u8, Vec<Cell>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    pub month: String,
    pub n: u64,
    pub offence_to_referral: (f64, f64),
    pub referral_to_decision: (f64, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub panel_version: String,
    pub synthetic: bool,
    pub min_cell: u32,
    pub decisions: u64,
    /// score -> outcome -> count
    pub by_score: BTreeMap<u8, BTreeMap<String, u64>>,
    /// (indicated, decided, count)
    pub departures: Vec<(String, String, u64)>,
    pub dispro: Vec<Dispro>,
    pub timeliness: Vec<Month>,
    pub disagreements: u64,
    pub inspector_moves: u64,
    pub corrections: u64,
    pub ratings: Vec<(String, u64)>,
    pub no_conclusion: u64,
    pub themes: Vec<(String, u64)>,
    pub formal_outcomes: Vec<String>,
}

/// Counts come back from SQLite as i64.
fn n(r: &rusqlite::Row, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

pub fn age_group(age: i64) -> &'static str {
    match age {
        ..=13 => "10–13",
        14..=15 => "14–15",
        _ => "16–17",
    }
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1] as f64
}

/// Reference groups for the relative rate index: ethnicity, sex, age group. `None` takes the
/// largest group in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    pub ethnicity: Option<String>,
    pub sex: Option<String>,
    pub age_group: Option<String>,
}

pub fn build(store: &Store, panel: &PanelDefinition, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    build_with(store, panel, from, to, &References::default())
}

pub fn build_with(
    store: &Store,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    chosen: &References,
) -> Result<Report> {
    let c = store.conn();
    let p = params![from.to_string(), to.to_string()];
    let formal: Vec<String> = panel.outcomes.iter().filter(|o| o.criminal_record).map(|o| o.code.clone()).collect();
    let min_cell = panel.scrutiny.min_cell;

    let mut by_score: BTreeMap<u8, BTreeMap<String, u64>> = BTreeMap::new();
    let mut decisions = 0;
    let mut stmt = c.prepare(&format!("SELECT final_score, outcome, count(*) {CURRENT} GROUP BY 1, 2"))?;
    for row in stmt.query_map(p, |r| Ok((r.get::<_, u8>(0)?, r.get::<_, String>(1)?, n(r, 2)?)))? {
        let (s, o, n) = row?;
        decisions += n;
        by_score.entry(s).or_default().insert(o, n);
    }

    let mut stmt = c.prepare(&format!(
        "SELECT indicated, outcome, count(*) {CURRENT} AND departure = 1 GROUP BY 1, 2 ORDER BY 3 DESC"
    ))?;
    let departures = stmt
        .query_map(p, |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get(1)?, n(r, 2)?)))?
        .collect::<rusqlite::Result<_>>()?;

    // (dimension index, score, group) -> (n, formal)
    let mut cells: BTreeMap<(usize, u8, String), (u64, u64)> = BTreeMap::new();
    let mut totals: [BTreeMap<String, u64>; 3] = Default::default();
    let mut stmt = c.prepare(&format!(
        "SELECT final_score, ethnicity, sex, age_at_offence, outcome, count(*) {CURRENT} GROUP BY 1, 2, 3, 4, 5"
    ))?;
    let rows = stmt.query_map(p, |r| {
        Ok((
            r.get::<_, u8>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            n(r, 5)?,
        ))
    })?;
    for row in rows {
        let (score, eth, sex, age, outcome, n) = row?;
        let is_formal = formal.contains(&outcome);
        let sex = serde_json::from_value::<crate::domain::referral::Sex>(serde_json::Value::String(sex.clone()))
            .map_or(sex, |s| s.label().to_string());
        for (d, group) in [eth, sex, age_group(age).to_string()].into_iter().enumerate() {
            let e = cells.entry((d, score, group.clone())).or_default();
            e.0 += n;
            e.1 += if is_formal { n } else { 0 };
            *totals[d].entry(group).or_default() += n;
        }
    }
    let mut dispro = Vec::new();
    for (d, dimension) in ["Ethnicity", "Sex", "Age group"].into_iter().enumerate() {
        // The chosen reference group, else the largest in the period.
        let pick = [&chosen.ethnicity, &chosen.sex, &chosen.age_group][d].clone();
        let reference = pick
            .unwrap_or_else(|| totals[d].iter().max_by_key(|(_, n)| **n).map(|(g, _)| g.clone()).unwrap_or_default());
        let mut bands: BTreeMap<u8, Vec<Cell>> = BTreeMap::new();
        for ((dd, score, group), (n, f)) in &cells {
            if *dd != d {
                continue;
            }
            let shown = *n >= u64::from(min_cell);
            bands.entry(*score).or_default().push(Cell {
                group: group.clone(),
                n: *n,
                formal: *f,
                rate: shown.then(|| *f as f64 / *n as f64),
                rri: None,
            });
        }
        for cells in bands.values_mut() {
            let base = cells.iter().find(|c| c.group == reference).and_then(|c| c.rate);
            for cell in cells.iter_mut() {
                cell.rri = match (cell.rate, base) {
                    (Some(r), Some(b)) if b > 0.0 => Some(r / b),
                    _ => None,
                };
            }
        }
        dispro.push(Dispro { dimension, reference, bands: bands.into_iter().collect() });
    }

    // Timeliness, a month at a time: only one month's day counts are ever held.
    let mut timeliness = Vec::new();
    let mut stmt = c.prepare(&format!(
        "SELECT substr(decided_on, 1, 7),
                CAST(julianday(referral_date) - julianday(offence_date) AS INTEGER),
                CAST(julianday(decided_on) - julianday(referral_date) AS INTEGER)
         {CURRENT} ORDER BY 1"
    ))?;
    let mut rows = stmt.query(p)?;
    let mut month = String::new();
    let (mut a, mut b): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
    let mut flush = |month: &str, a: &mut Vec<i64>, b: &mut Vec<i64>| {
        if a.is_empty() {
            return;
        }
        a.sort_unstable();
        b.sort_unstable();
        timeliness.push(Month {
            month: month.to_string(),
            n: a.len() as u64,
            offence_to_referral: (percentile(a, 50.0), percentile(a, 90.0)),
            referral_to_decision: (percentile(b, 50.0), percentile(b, 90.0)),
        });
        a.clear();
        b.clear();
    };
    while let Some(r) = rows.next()? {
        let m: String = r.get(0)?;
        if m != month {
            flush(&month, &mut a, &mut b);
            month = m;
        }
        a.push(r.get(1)?);
        b.push(r.get(2)?);
    }
    flush(&month, &mut a, &mut b);

    let (disagreements, inspector_moves, corrections): (u64, u64, u64) = c.query_row(
        &format!(
            "SELECT coalesce(sum(disagreement), 0), coalesce(sum(abs(final_score - base_score) > ?3), 0),
                    coalesce(sum(supersedes IS NOT NULL), 0) {CURRENT}"
        ),
        params![from.to_string(), to.to_string(), panel.gravity.max_move_without_inspector],
        |r| Ok((n(r, 0)?, n(r, 1)?, n(r, 2)?)),
    )?;

    // Reviews of decisions made in the period.
    let mut ratings: BTreeMap<String, u64> = BTreeMap::new();
    let mut themes: BTreeMap<String, u64> = BTreeMap::new();
    let mut no_conclusion = 0;
    let carry: Vec<&str> = panel.scrutiny.ratings.iter().filter(|r| r.carry_forward).map(|r| r.id.as_str()).collect();
    for (_, review) in crate::scrutiny::reviews(store)? {
        let decided: Option<String> = c
            .query_row("SELECT decided_on FROM records WHERE seq = ?1", [review.decision], |r| r.get(0))
            .ok()
            .flatten();
        if !decided.is_some_and(|d| d >= from.to_string() && d <= to.to_string()) {
            continue;
        }
        let label = panel
            .scrutiny
            .ratings
            .iter()
            .find(|r| r.id == review.rating)
            .map_or(review.rating.clone(), |r| r.label.clone());
        *ratings.entry(label).or_default() += 1;
        if carry.contains(&review.rating.as_str()) {
            no_conclusion += 1;
        }
        for t in review.themes() {
            *themes.entry(t).or_default() += 1;
        }
    }

    Ok(Report {
        from,
        to,
        panel_version: panel.panel.version.clone(),
        synthetic: store.is_synthetic()?,
        min_cell,
        decisions,
        by_score,
        departures,
        dispro,
        timeliness,
        disagreements,
        inspector_moves,
        corrections,
        ratings: ratings.into_iter().collect(),
        no_conclusion,
        themes: themes.into_iter().collect(),
        formal_outcomes: formal,
    })
}
