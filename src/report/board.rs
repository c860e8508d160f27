//! The scrutiny and board report: outcome mix by gravity, departures, disproportionality within
//! gravity bands, timeliness, agreement, and scrutiny ratings. Figures come from the store's
//! aggregate queries over the covering index (`store::figures`); no row of personal data is ever
//! loaded. One function per section of the report, each computing its section's figures.

use std::collections::BTreeMap;

use crate::domain::PanelDefinition;
use crate::domain::disclosure::{GroupCount, suppress};
use crate::domain::referral::RjStatus;
use crate::store::{ChainRead, DecisionFigures, Result};
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
    /// The YJS assessment (YJB case management guidance: within the panel's
    /// `[timescales] assessment_working_days` of the referral): decisions with an assessment
    /// date, how many were assessed within the timescale, and the working days from referral to
    /// assessment (median, 90th percentile; None with no assessment dates).
    pub assessed: u64,
    pub assessed_in_time: u64,
    pub referral_to_assessment: Option<(f64, f64)>,
}

/// YJB KPI 10: victims engaged in restorative justice ÷ victims who agreed to be contacted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kpi10 {
    /// Victims who agreed to be contacted (the denominator).
    pub agreed: u64,
    /// Of them, those who took part (accepted): the numerator.
    pub engaged: u64,
    /// Where the offer stood for the others: status id -> victims.
    pub by_status: BTreeMap<String, u64>,
}

impl Kpi10 {
    fn add(&mut self, status: &str) {
        if status.is_empty() {
            return;
        }
        self.agreed += 1;
        self.engaged += u64::from(RjStatus::from_id(status).is_some_and(RjStatus::engaged));
        bump(&mut self.by_status, status);
    }

    /// The indicator as a share (None with no victim who agreed to be contacted).
    pub fn rate(&self) -> Option<f64> {
        (self.agreed > 0).then(|| self.engaged as f64 / self.agreed as f64)
    }
}

/// One calendar quarter's figures, for the trends set side by side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuarterTrend {
    pub quarter: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub decisions: u64,
    /// outcome code -> decisions
    pub mix: BTreeMap<String, u64>,
    /// Days from referral to decision: (median, 90th percentile); None with no decisions.
    pub referral_to_decision: Option<(f64, f64)>,
    pub disagreements: u64,
    pub departures: u64,
    /// rating label -> reviews of the quarter's decisions
    pub ratings: BTreeMap<String, u64>,
    pub kpi10: Kpi10,
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
    /// The panel's timescale for the YJS assessment, in working days.
    pub assessment_working_days: u8,
    pub kpi10: Kpi10,
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
    /// A force-wide report's panels, each with its decisions in the period (none for one
    /// panel's report).
    pub panels: Vec<(String, u64)>,
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

pub fn build<S: ChainRead + ?Sized>(
    store: &S,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Report> {
    build_with(store, panel, from, to, &References::default(), TREND_QUARTERS)
}

pub fn build_with<S: ChainRead + ?Sized>(
    store: &S,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    chosen: &References,
    quarters: usize,
) -> Result<Report> {
    build_over(&[("", store)], false, panel, from, to, chosen, quarters)
}

/// The force-wide report: every panel's decisions counted together, as if one chain held them
/// all (the medians and percentiles too, not an average of each panel's), each panel's scrutiny
/// reviews and actions added to the others'. Panels are named as given; their stores are all
/// demonstration data or all recorded decisions, never a mixture.
pub fn build_force_wide<S: ChainRead>(
    panels: &[(&str, &S)],
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    chosen: &References,
    quarters: usize,
) -> Result<Report> {
    build_over(panels, true, panel, from, to, chosen, quarters)
}

fn build_over<S: ChainRead + ?Sized>(
    panels: &[(&str, &S)],
    force_wide: bool,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    chosen: &References,
    quarters: usize,
) -> Result<Report> {
    let kinds = panels.iter().map(|(name, store)| Ok((*name, store.is_synthetic()?))).collect::<Result<Vec<_>>>()?;
    let synthetic = crate::store::one_kind(&kinds, "report")?;
    let formal: Vec<String> = panel.outcomes.iter().filter(|o| o.criminal_record).map(|o| o.code.clone()).collect();
    let min_cell = panel.scrutiny.min_cell;
    // Each panel's decisions in the period, counted as they are read.
    let counted = std::cell::RefCell::new(vec![0u64; panels.len()]);
    let read = |first: NaiveDate, last: NaiveDate, each: &mut dyn FnMut(&DecisionFigures)| -> Result<()> {
        let (from_s, to_s) = (from.to_string(), to.to_string());
        // A month of every panel in turn: the figures need only a month's decisions together
        // (one panel's come in date order, in one read).
        let spans = if panels.len() == 1 { vec![(first, last)] } else { crate::domain::dates::months(first, last) };
        for (first, last) in spans {
            for (i, (_, store)) in panels.iter().enumerate() {
                store.each_decision_figures(first, last, &mut |d| {
                    if d.decided_on >= from_s.as_str() && d.decided_on <= to_s.as_str() {
                        counted.borrow_mut()[i] += 1;
                    }
                    each(d)
                })?;
            }
        }
        Ok(())
    };
    let f = figures(&read, panel, from, to, quarters, &formal)?;
    let (dispro, ethnicity_not_stated) = disproportionality(f.cells, f.totals, min_cell, chosen);
    let mut trends = f.trends;
    let mut scrutiny = Scrutiny::default();
    for (name, store) in panels {
        let part = self::scrutiny(*store, panel, from, to, &mut trends)?;
        scrutiny.add(part, force_wide.then_some(*name));
    }
    scrutiny.learning_points.sort();
    let mut departures: Vec<(String, String, u64)> =
        f.departures.into_iter().flat_map(|(i, ds)| ds.into_iter().map(move |(d, n)| (i.clone(), d, n))).collect();
    departures.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    let mut decided_under: Vec<(String, u64)> = f.versions.into_iter().collect();
    decided_under.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let counted = counted.into_inner();
    Ok(Report {
        from,
        to,
        panel_version: panel.panel.version.clone(),
        decided_under,
        synthetic,
        min_cell,
        decisions: f.decisions,
        by_score: f.by_score,
        departures,
        dispro,
        timeliness: f.timeliness,
        assessment_working_days: panel.timescales.assessment_working_days,
        kpi10: f.kpi10,
        disagreements: f.disagreements,
        inspector_moves: f.inspector_moves,
        corrections: f.corrections,
        ratings: scrutiny.ratings.into_iter().collect(),
        no_conclusion: scrutiny.no_conclusion,
        themes: scrutiny.themes.into_iter().collect(),
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
        panels: if force_wide {
            panels.iter().zip(counted).map(|((name, _), n)| (name.to_string(), n)).collect()
        } else {
            Vec::new()
        },
    })
}

/// Adds one to a count keyed by text, allocating the key only the first time it is seen.
fn bump(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

/// The position of `s` in `list`, added if new: the few distinct values of a column.
fn intern(list: &mut Vec<String>, s: &str) -> usize {
    list.iter().position(|x| x == s).unwrap_or_else(|| {
        list.push(s.to_string());
        list.len() - 1
    })
}

/// (dimension index, score, group) -> (children, formal outcomes)
type Cells = BTreeMap<(usize, u8, String), (u64, u64)>;

/// Everything the report counts, from one pass through the period and its trend quarters.
#[derive(Default)]
struct Figures {
    decisions: u64,
    by_score: BTreeMap<u8, BTreeMap<String, u64>>,
    /// indicated -> decided -> decisions
    departures: BTreeMap<String, BTreeMap<String, u64>>,
    /// (score, ethnicity, sex, age) -> (children, formal outcomes), by interned strings.
    groups: BTreeMap<(u8, usize, usize, i64), (u64, u64)>,
    ethnicities: Vec<String>,
    sexes: Vec<String>,
    cells: Cells,
    totals: [BTreeMap<String, u64>; 3],
    timeliness: Vec<Month>,
    kpi10: Kpi10,
    disagreements: u64,
    inspector_moves: u64,
    corrections: u64,
    versions: BTreeMap<String, u64>,
    trends: Vec<QuarterTrend>,
}

/// How the figures read the decisions decided within `from..=to`: one chain's in date order, or
/// (force-wide) a month of each panel's in turn. Either way a month's decisions come together,
/// which is all the figures need.
type ReadFigures<'a> = dyn Fn(NaiveDate, NaiveDate, &mut dyn FnMut(&DecisionFigures)) -> Result<()> + 'a;

/// One pass, a month at a time, through the current decisions of the period and of the
/// `quarters` calendar quarters ending with the one `to` falls in. Only one month's day counts
/// (for the period's timeliness) and one quarter's (for the trends) are held at a time.
fn figures(
    read: &ReadFigures,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    quarters: usize,
    formal: &[String],
) -> Result<Figures> {
    let max_move = panel.gravity.max_move_without_inspector;
    let timescale = u32::from(panel.timescales.assessment_working_days);
    use crate::domain::dates::Quarter;
    let qs = Quarter::ending_with(to, quarters);
    let mut f = Figures {
        trends: qs
            .iter()
            .map(|q| QuarterTrend {
                quarter: q.to_string(),
                from: q.first_day(),
                to: q.last_day(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let span_from = qs.first().map_or(from, |q| q.first_day().min(from));
    let span_to = qs.last().map_or(to, |q| q.last_day().max(to));
    let (from_s, to_s) = (from.to_string(), to.to_string());
    let bounds: Vec<(String, String)> =
        qs.iter().map(|q| (q.first_day().to_string(), q.last_day().to_string())).collect();
    // The month (and its day counts) and the trend quarter (and its days) being gathered.
    let mut month = String::new();
    let (mut a, mut b): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
    // The month's working days from referral to assessment, and how many were within the timescale.
    let (mut c, mut in_time): (Vec<i64>, u64) = (Vec::new(), 0);
    let mut quarter: Option<usize> = None;
    let mut days: Vec<i64> = Vec::new();
    let flush_month =
        |month: &str, a: &mut Vec<i64>, b: &mut Vec<i64>, c: &mut Vec<i64>, in_time: &mut u64, out: &mut Vec<Month>| {
            if a.is_empty() {
                return;
            }
            a.sort_unstable();
            b.sort_unstable();
            c.sort_unstable();
            out.push(Month {
                month: month.to_string(),
                n: a.len() as u64,
                offence_to_referral: (percentile(a, 50.0), percentile(a, 90.0)),
                referral_to_decision: (percentile(b, 50.0), percentile(b, 90.0)),
                assessed: c.len() as u64,
                assessed_in_time: *in_time,
                referral_to_assessment: (!c.is_empty()).then(|| (percentile(c, 50.0), percentile(c, 90.0))),
            });
            a.clear();
            b.clear();
            c.clear();
            *in_time = 0;
        };
    let flush_quarter = |i: Option<usize>, days: &mut Vec<i64>, trends: &mut Vec<QuarterTrend>| {
        if let Some(i) = i
            && !days.is_empty()
        {
            days.sort_unstable();
            trends[i].referral_to_decision = Some((percentile(days, 50.0), percentile(days, 90.0)));
        }
        days.clear();
    };
    read(span_from, span_to, &mut |d| {
        // The trends: which quarter this decision falls in (they come in date order).
        let i = bounds.iter().position(|(a, b)| d.decided_on >= a.as_str() && d.decided_on <= b.as_str());
        if i != quarter {
            flush_quarter(quarter, &mut days, &mut f.trends);
            quarter = i;
        }
        if let Some(i) = i {
            let t = &mut f.trends[i];
            t.decisions += 1;
            bump(&mut t.mix, d.outcome);
            t.departures += u64::from(d.departure);
            t.disagreements += u64::from(d.disagreement);
            t.kpi10.add(d.victim_rj);
            days.push(d.referral_to_decision);
        }
        if d.decided_on < from_s.as_str() || d.decided_on > to_s.as_str() {
            return;
        }
        f.decisions += 1;
        bump(f.by_score.entry(d.final_score).or_default(), d.outcome);
        if d.departure {
            bump(f.departures.entry(d.indicated.to_string()).or_default(), d.outcome);
        }
        f.disagreements += u64::from(d.disagreement);
        f.inspector_moves += u64::from(d.final_score.abs_diff(d.base_score) > max_move);
        f.corrections += u64::from(d.corrected);
        bump(&mut f.versions, d.panel_version);
        f.kpi10.add(d.victim_rj);
        // Disproportionality: counted by score, ethnicity, sex and age here (strings interned,
        // nothing allocated a row), grouped into cells after the pass.
        let is_formal = formal.iter().any(|o| o == d.outcome);
        let key = (d.final_score, intern(&mut f.ethnicities, d.ethnicity), intern(&mut f.sexes, d.sex), d.age);
        let e = f.groups.entry(key).or_default();
        e.0 += 1;
        e.1 += u64::from(is_formal);
        // Timeliness a month at a time.
        let m = &d.decided_on[..7.min(d.decided_on.len())];
        if m != month {
            flush_month(&month, &mut a, &mut b, &mut c, &mut in_time, &mut f.timeliness);
            month = m.to_string();
        }
        a.push(d.offence_to_referral);
        b.push(d.referral_to_decision);
        if let (Ok(referred), Ok(assessed)) = (d.referral_date.parse(), d.assessed_on.parse()) {
            let n = panel.working_days.between(referred, assessed);
            c.push(i64::from(n));
            in_time += u64::from(n <= timescale);
        }
    })?;
    flush_month(&month, &mut a, &mut b, &mut c, &mut in_time, &mut f.timeliness);
    flush_quarter(quarter, &mut days, &mut f.trends);
    // Each dimension's groups: ethnicity as recorded, sex by its label, age by its band.
    let sexes: Vec<String> = f
        .sexes
        .iter()
        .map(|s| {
            serde_json::from_value::<crate::domain::referral::Sex>(serde_json::Value::String(s.clone()))
                .map_or(s.clone(), |x| x.label().to_string())
        })
        .collect();
    for (&(score, eth, sex, age), &(n, formal)) in &f.groups {
        for (dim, group) in [&f.ethnicities[eth], &sexes[sex], age_group(age)].into_iter().enumerate() {
            let e = f.cells.entry((dim, score, group.to_string())).or_default();
            e.0 += n;
            e.1 += formal;
            *f.totals[dim].entry(group.to_string()).or_default() += n;
        }
    }
    Ok(f)
}

/// Disproportionality within gravity bands: the formal-outcome rate of each ethnicity, sex and
/// age group at each score, suppressed below `min_cell`, with its relative rate index against
/// the reference group (the chosen one, else the largest in the period).
fn disproportionality(
    cells: Cells,
    totals: [BTreeMap<String, u64>; 3],
    min_cell: u32,
    chosen: &References,
) -> (Vec<Dispro>, u64) {
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
    (dispro, not_stated)
}

/// The scrutiny section: reviews of decisions made in the period, by rating and theme.
#[derive(Default)]
struct Scrutiny {
    ratings: BTreeMap<String, u64>,
    no_conclusion: u64,
    themes: BTreeMap<String, u64>,
    learning_points: Vec<(String, String)>,
    open_actions: Vec<OpenAction>,
    actions_opened: u64,
    actions_closed: u64,
    cases_reviewed: u64,
}

impl Scrutiny {
    /// Another panel's section added to this one; its actions named by the panel (`panel`,
    /// force-wide), as each panel numbers its own.
    fn add(&mut self, other: Scrutiny, panel: Option<&str>) {
        for (k, n) in other.ratings {
            *self.ratings.entry(k).or_default() += n;
        }
        for (k, n) in other.themes {
            *self.themes.entry(k).or_default() += n;
        }
        self.no_conclusion += other.no_conclusion;
        self.learning_points.extend(other.learning_points);
        self.open_actions.extend(other.open_actions.into_iter().map(|mut a| {
            if let Some(p) = panel {
                a.id = format!("{p} {}", a.id);
            }
            a
        }));
        self.actions_opened += other.actions_opened;
        self.actions_closed += other.actions_closed;
        self.cases_reviewed += other.cases_reviewed;
    }
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

/// The reviews are read once: the period's section, and each trend quarter's ratings.
fn scrutiny<S: ChainRead + ?Sized>(
    store: &S,
    panel: &PanelDefinition,
    from: NaiveDate,
    to: NaiveDate,
    trends: &mut [QuarterTrend],
) -> Result<Scrutiny> {
    let mut ratings: BTreeMap<String, u64> = BTreeMap::new();
    let mut themes: BTreeMap<String, u64> = BTreeMap::new();
    let mut no_conclusion = 0;
    let mut learning_points = Vec::new();
    let carry: Vec<&str> = panel.scrutiny.ratings.iter().filter(|r| r.carry_forward).map(|r| r.id.as_str()).collect();
    let reviews = crate::scrutiny::reviews(store)?;
    // When a reviewed decision was made: read once per decision.
    let mut dates: BTreeMap<i64, Option<NaiveDate>> = BTreeMap::new();
    let mut decided = |decision: i64| -> Result<Option<NaiveDate>> {
        if let Some(d) = dates.get(&decision) {
            return Ok(*d);
        }
        let d = store.decided_on(decision)?;
        dates.insert(decision, d);
        Ok(d)
    };
    let mut cases_reviewed = 0;
    // A case reviewed again in the same sample: the latest review stands, counted once.
    for (_, review) in crate::scrutiny::standing_reviews(reviews.clone()).into_values() {
        let Some(on) = decided(review.decision)? else { continue };
        let label = panel.rating_label(&review.rating);
        if let Some(t) = trends.iter_mut().find(|t| on >= t.from && on <= t.to) {
            bump(&mut t.ratings, label);
        }
        if on < from || on > to {
            continue;
        }
        cases_reviewed += 1;
        bump(&mut ratings, label);
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
        if decided(review.decision)?.is_some_and(|on| on >= from && on <= to) {
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
        ratings,
        no_conclusion,
        themes,
        learning_points,
        open_actions,
    })
}
