//! The scrutiny and board report: outcome mix by gravity, departures, disproportionality within
//! gravity bands, timeliness, agreement, and scrutiny ratings. Figures come from the store's
//! aggregate queries over the covering index (`store::figures`); no row of personal data is ever
//! loaded. One function per section of the report, each computing its section's figures.

use std::collections::BTreeMap;

use crate::domain::PanelDefinition;
use crate::domain::disclosure::{GroupCount, suppress};
use crate::store::{Result, Store};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub group: String,
    pub n: u64,
    pub formal: u64,
    /// None where the cell is suppressed.
    pub rate: Option<f64>,
    pub rri: Option<f64>,
    /// The index's 95% confidence interval (log method), where both groups had a formal outcome.
    pub rri_ci: Option<(f64, f64)>,
    /// The pooled row of a band's suppressed groups: how many groups it holds (0 for a group
    /// shown in its own right). Its counts are kept for checking, never printed.
    pub pooled: usize,
}

/// The 95% confidence interval of a relative rate index (the log method): `a` formal outcomes
/// of `n1` children in the group, `b` of `n0` in the reference group. `None` where either has
/// no formal outcome (the logarithm is undefined).
pub fn rri_interval(a: u64, n1: u64, b: u64, n0: u64) -> Option<(f64, f64)> {
    if a == 0 || b == 0 || n1 == 0 || n0 == 0 {
        return None;
    }
    let (a, n1, b, n0) = (a as f64, n1 as f64, b as f64, n0 as f64);
    let rri = (a / n1) / (b / n0);
    let se = (1.0 / a - 1.0 / n1 + 1.0 / b - 1.0 / n0).sqrt();
    Some(((rri.ln() - 1.96 * se).exp(), (rri.ln() + 1.96 * se).exp()))
}

/// The name printed for a band's pooled row.
pub const POOLED: &str = "Other groups (suppressed)";

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

/// One calendar quarter's figures, for the trends set side by side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuarterTrend {
    pub quarter: String,
    pub decisions: u64,
    /// outcome code -> decisions
    pub mix: BTreeMap<String, u64>,
    /// Days from referral to decision: (median, 90th percentile); None with no decisions.
    pub referral_to_decision: Option<(f64, f64)>,
    pub disagreements: u64,
    pub departures: u64,
    /// rating label -> reviews of the quarter's decisions
    pub ratings: BTreeMap<String, u64>,
}

/// How many quarters the trends show unless asked: the range is 4 to 8.
pub const TREND_QUARTERS: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The panel definition this report was produced with.
    pub panel_version: String,
    /// The panel definition versions the period's decisions were made under, with how many each.
    pub decided_under: Vec<(String, u64)>,
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
    /// (theme, point), every learning point of the period's reviews.
    pub learning_points: Vec<(String, String)>,
    pub open_actions: Vec<OpenAction>,
    /// Actions agreed, and closed, within the period (for the annual report).
    pub actions_opened: u64,
    pub actions_closed: u64,
    /// Cases reviewed in the period (the latest review of each counts once).
    pub cases_reviewed: u64,
    /// The scrutiny panel's annual report for this year (else the board report for the period).
    pub annual: Option<i32>,
    pub formal_outcomes: Vec<String>,
    /// Decisions whose child's ethnicity is not stated (blank or "Not stated").
    pub ethnicity_not_stated: u64,
    /// Outcome code -> label, from the panel definition: the report speaks in labels.
    pub labels: BTreeMap<String, String>,
    /// The quarters ending with the one the period ends in, oldest first.
    pub trends: Vec<QuarterTrend>,
}

impl Report {
    /// An outcome as a person reads it: its label (the code is in the report's key).
    pub fn label<'a>(&'a self, code: &'a str) -> &'a str {
        self.labels.get(code).map_or(code, String::as_str)
    }
}

pub use crate::domain::referral::age_group;

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
    build_with(store, panel, from, to, &References::default(), TREND_QUARTERS)
}

pub fn build_with(
    store: &Store,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    chosen: &References,
    quarters: usize,
) -> Result<Report> {
    let formal: Vec<String> = panel.outcomes.iter().filter(|o| o.criminal_record).map(|o| o.code.clone()).collect();
    let min_cell = panel.scrutiny.min_cell;
    let (decisions, by_score) = outcome_mix(store, from, to)?;
    let departures = departures(store, from, to)?;
    let (dispro, ethnicity_not_stated) = disproportionality(store, from, to, &formal, min_cell, chosen)?;
    let timeliness = timeliness(store, from, to)?;
    let agreement = store.agreement_counts(from, to, panel.gravity.max_move_without_inspector)?;
    let scrutiny = scrutiny(store, panel, from, to)?;
    let trends = trends(store, panel, to, quarters)?;
    Ok(Report {
        from,
        to,
        panel_version: panel.panel.version.clone(),
        decided_under: store.panel_version_counts(from, to)?,
        synthetic: store.is_synthetic()?,
        min_cell,
        decisions,
        by_score,
        departures,
        dispro,
        timeliness,
        disagreements: agreement.disagreements,
        inspector_moves: agreement.inspector_moves,
        corrections: agreement.corrections,
        ratings: scrutiny.ratings,
        no_conclusion: scrutiny.no_conclusion,
        themes: scrutiny.themes,
        learning_points: scrutiny.learning_points,
        open_actions: scrutiny.open_actions,
        actions_opened: scrutiny.actions_opened,
        actions_closed: scrutiny.actions_closed,
        cases_reviewed: scrutiny.cases_reviewed,
        annual: None,
        formal_outcomes: formal,
        ethnicity_not_stated,
        labels: panel.outcomes.iter().map(|o| (o.code.clone(), o.label.clone())).collect(),
        trends,
    })
}

/// The `n` calendar quarters ending with the one `to` falls in, each with its outcome mix,
/// timeliness, agreement, departures and ratings. One pass over the span for the counts, one
/// for the intervals (holding a quarter's day counts at a time), and the reviews once a quarter.
fn trends(store: &Store, panel: &PanelDefinition, to: NaiveDate, n: usize) -> Result<Vec<QuarterTrend>> {
    use crate::domain::dates::Quarter;
    let quarters = Quarter::ending_with(to, n);
    let (Some(first), Some(last)) = (quarters.first(), quarters.last()) else {
        return Ok(Vec::new());
    };
    let (span_from, span_to) = (first.first_day(), last.last_day());
    // A month "YYYY-MM" -> its quarter's position in `quarters`.
    let index = |month: &str| -> Option<usize> {
        let date = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
        quarters.iter().position(|q| *q == Quarter::of(date))
    };
    let mut out: Vec<QuarterTrend> =
        quarters.iter().map(|q| QuarterTrend { quarter: q.to_string(), ..Default::default() }).collect();
    for c in store.month_counts(span_from, span_to)? {
        let Some(i) = index(&c.month) else { continue };
        let t = &mut out[i];
        t.decisions += c.n;
        *t.mix.entry(c.outcome).or_default() += c.n;
        t.departures += if c.departure { c.n } else { 0 };
        t.disagreements += if c.disagreement { c.n } else { 0 };
    }
    // The intervals come in month order, so a quarter's are together.
    let mut days: Vec<i64> = Vec::new();
    let mut current: Option<usize> = None;
    let flush = |i: Option<usize>, days: &mut Vec<i64>, out: &mut Vec<QuarterTrend>| {
        if let Some(i) = i
            && !days.is_empty()
        {
            days.sort_unstable();
            out[i].referral_to_decision = Some((percentile(days, 50.0), percentile(days, 90.0)));
        }
        days.clear();
    };
    store.intervals(span_from, span_to, |iv| {
        let i = index(iv.month);
        if i != current {
            flush(current, &mut days, &mut out);
            current = i;
        }
        days.push(iv.referral_to_decision);
    })?;
    flush(current, &mut days, &mut out);
    for (q, t) in quarters.iter().zip(out.iter_mut()) {
        t.ratings = scrutiny(store, panel, q.first_day(), q.last_day())?.ratings.into_iter().collect();
    }
    Ok(out)
}

/// Outcome mix by gravity: the number of current decisions, and score -> outcome -> count.
fn outcome_mix(store: &Store, from: NaiveDate, to: NaiveDate) -> Result<(u64, BTreeMap<u8, BTreeMap<String, u64>>)> {
    let mut by_score: BTreeMap<u8, BTreeMap<String, u64>> = BTreeMap::new();
    let mut decisions = 0;
    for c in store.outcome_counts(from, to)? {
        decisions += c.n;
        by_score.entry(c.score).or_default().insert(c.outcome, c.n);
    }
    Ok((decisions, by_score))
}

/// Departures from the matrix: (indicated, decided, count), most frequent first.
fn departures(store: &Store, from: NaiveDate, to: NaiveDate) -> Result<Vec<(String, String, u64)>> {
    Ok(store.departure_counts(from, to)?.into_iter().map(|d| (d.indicated, d.outcome, d.n)).collect())
}

/// Disproportionality within gravity bands: the formal-outcome rate of each ethnicity, sex and
/// age group at each score, suppressed below `min_cell`, with its relative rate index against
/// the reference group (the chosen one, else the largest in the period).
fn disproportionality(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    formal: &[String],
    min_cell: u32,
    chosen: &References,
) -> Result<(Vec<Dispro>, u64)> {
    // (dimension index, score, group) -> (n, formal)
    let mut cells: BTreeMap<(usize, u8, String), (u64, u64)> = BTreeMap::new();
    let mut totals: [BTreeMap<String, u64>; 3] = Default::default();
    store.group_counts(from, to, |g| {
        let is_formal = formal.contains(&g.outcome);
        let sex = serde_json::from_value::<crate::domain::referral::Sex>(serde_json::Value::String(g.sex.clone()))
            .map_or(g.sex, |s| s.label().to_string());
        for (d, group) in [g.ethnicity, sex, age_group(g.age).to_string()].into_iter().enumerate() {
            let e = cells.entry((d, g.score, group.clone())).or_default();
            e.0 += g.n;
            e.1 += if is_formal { g.n } else { 0 };
            *totals[d].entry(group).or_default() += g.n;
        }
    })?;
    let mut dispro = Vec::new();
    for (d, dimension) in ["Ethnicity", "Sex", "Age group"].into_iter().enumerate() {
        // The chosen reference group, else the largest in the period.
        let pick = [&chosen.ethnicity, &chosen.sex, &chosen.age_group][d].clone();
        let reference = pick
            .unwrap_or_else(|| totals[d].iter().max_by_key(|(_, n)| **n).map(|(g, _)| g.clone()).unwrap_or_default());
        let mut groups: BTreeMap<u8, Vec<GroupCount>> = BTreeMap::new();
        for ((dd, score, group), (n, f)) in &cells {
            if *dd == d {
                groups.entry(*score).or_default().push(GroupCount { group: group.clone(), n: *n, formal: *f });
            }
        }
        // Small groups are pooled so that none can be worked out from the band's total.
        let mut bands: BTreeMap<u8, Vec<Cell>> = BTreeMap::new();
        for (score, gs) in groups {
            let s = suppress(gs, min_cell);
            let band = bands.entry(score).or_default();
            band.extend(s.shown.into_iter().map(|g| Cell {
                rate: Some(g.formal as f64 / g.n as f64),
                group: g.group,
                n: g.n,
                formal: g.formal,
                rri: None,
                rri_ci: None,
                pooled: 0,
            }));
            if s.pooled_groups > 0 {
                band.push(Cell {
                    group: POOLED.into(),
                    n: s.pooled_n,
                    formal: s.pooled_formal,
                    rate: None,
                    rri: None,
                    rri_ci: None,
                    pooled: s.pooled_groups,
                });
            }
        }
        for cells in bands.values_mut() {
            let base = cells.iter().find(|c| c.group == reference && c.pooled == 0).map(|c| (c.formal, c.n));
            for cell in cells.iter_mut() {
                let Some((b, n0)) = base else { continue };
                cell.rri = match cell.rate {
                    Some(r) if b > 0 => Some(r / (b as f64 / n0 as f64)),
                    _ => None,
                };
                if cell.rri.is_some() && cell.group != reference {
                    cell.rri_ci = rri_interval(cell.formal, cell.n, b, n0);
                }
            }
        }
        dispro.push(Dispro { dimension, reference, bands: bands.into_iter().collect() });
    }
    let not_stated = totals[0]
        .iter()
        .filter(|(g, _)| g.trim().is_empty() || g.trim().eq_ignore_ascii_case("not stated"))
        .map(|(_, n)| n)
        .sum();
    Ok((dispro, not_stated))
}

/// Timeliness, a month at a time: only one month's day counts are ever held.
fn timeliness(store: &Store, from: NaiveDate, to: NaiveDate) -> Result<Vec<Month>> {
    let mut timeliness = Vec::new();
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
    store.intervals(from, to, |i| {
        if i.month != month {
            flush(&month, &mut a, &mut b);
            month = i.month.to_string();
        }
        a.push(i.offence_to_referral);
        b.push(i.referral_to_decision);
    })?;
    flush(&month, &mut a, &mut b);
    Ok(timeliness)
}

/// The scrutiny section: reviews of decisions made in the period, by rating and theme.
struct Scrutiny {
    ratings: Vec<(String, u64)>,
    no_conclusion: u64,
    themes: Vec<(String, u64)>,
    learning_points: Vec<(String, String)>,
    open_actions: Vec<OpenAction>,
    actions_opened: u64,
    actions_closed: u64,
    cases_reviewed: u64,
}

/// An action still open at the end of the report's period.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAction {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due: NaiveDate,
    pub overdue: bool,
}

fn scrutiny(store: &Store, panel: &PanelDefinition, from: NaiveDate, to: NaiveDate) -> Result<Scrutiny> {
    let mut ratings: BTreeMap<String, u64> = BTreeMap::new();
    let mut themes: BTreeMap<String, u64> = BTreeMap::new();
    let mut no_conclusion = 0;
    let mut learning_points = Vec::new();
    let carry: Vec<&str> = panel.scrutiny.ratings.iter().filter(|r| r.carry_forward).map(|r| r.id.as_str()).collect();
    let reviews = crate::scrutiny::reviews(store)?;
    // Whether a reviewed decision was made in the period: read once per decision.
    let mut dates: BTreeMap<i64, Option<NaiveDate>> = BTreeMap::new();
    let mut in_period = |decision: i64| -> Result<bool> {
        let d = match dates.get(&decision) {
            Some(d) => *d,
            None => {
                let d = store.decided_on(decision)?;
                dates.insert(decision, d);
                d
            }
        };
        Ok(d.is_some_and(|d| d >= from && d <= to))
    };
    let mut cases_reviewed = 0;
    // A case reviewed again in the same sample: the latest review stands, counted once.
    for (_, review) in crate::scrutiny::standing_reviews(reviews.clone()).into_values() {
        if !in_period(review.decision)? {
            continue;
        }
        cases_reviewed += 1;
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
        learning_points.extend(review.learning_points_by_theme());
    }
    learning_points.sort();
    let all_actions = crate::scrutiny::actions_of(store, &reviews, to)?;
    // Agreed in the period: the reviews' decisions were made in it; closed: their status records.
    let mut actions_opened = 0;
    let mut actions_closed = 0;
    for (_, review, _, st) in &all_actions {
        if in_period(review.decision)? {
            actions_opened += 1;
            actions_closed += u64::from(matches!(st, crate::domain::actions::Standing::Closed(..)));
        }
    }
    // Every action still open when the period ends, whichever period it was agreed in.
    let open_actions = all_actions
        .into_iter()
        .filter_map(|(id, _, item, st)| match st {
            crate::domain::actions::Standing::Open { overdue } => {
                Some(OpenAction { id, text: item.text, owner: item.owner, due: item.due, overdue })
            }
            crate::domain::actions::Standing::Closed(..) => None,
        })
        .collect();
    Ok(Scrutiny {
        cases_reviewed,
        actions_opened,
        actions_closed,
        ratings: ratings.into_iter().collect(),
        no_conclusion,
        themes: themes.into_iter().collect(),
        learning_points,
        open_actions,
    })
}
