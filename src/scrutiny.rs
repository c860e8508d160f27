//! Scrutiny: drawing a sample and storing it in the chain so it can be recomputed, and the
//! reviews of sampled decisions. The algorithm itself is pure, in `domain::sampling`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::PanelDefinition;
use crate::domain::sampling::{self, ALGORITHM, ALGORITHM_CAPPED, CappedDrawer, Drawer, RuleSet, Strata};
use crate::store::reading::with_body;
use crate::store::{ChainRead, ChainWrite, Recorded, Result, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocated {
    pub stratum: String,
    pub population: usize,
    pub chosen: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub id: i64,
    pub stratum: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Included {
    pub id: i64,
    /// Written as the list of rule ids, as before: stored samples read back unchanged.
    pub rules: RuleSet,
}

/// What a sample is drawn from: the seed, the period of decisions, the size and the strata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRequest {
    pub seed: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub size: usize,
    pub strata: Strata,
    /// The capped draw (jdp-sample-2) with this share (percent) for flagged cases; `None`: the
    /// uncapped jdp-sample-1, for recomputing samples drawn before samples were capped.
    pub capped: Option<u8>,
    /// A themed sample: only decisions of this offence group, outcome or rule.
    pub theme: Option<String>,
}

/// A sample as stored in the chain: everything needed to recompute it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRecord {
    pub algorithm: String,
    pub seed: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub size: usize,
    pub strata: Strata,
    pub rules: Vec<String>,
    pub panel_version: String,
    pub population: usize,
    pub allocation: Vec<Allocated>,
    pub chosen: Vec<Chosen>,
    pub always: Vec<Included>,
    /// jdp-sample-2: the share of places (percent) for cases a rule caught.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_percent: Option<u8>,
    /// jdp-sample-2: per rule, the flagged cases not drawn (so nothing is hidden).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flagged_not_sampled: Vec<(String, usize)>,
    /// A themed sample's theme (offence group, outcome or rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// A force-wide sample's panels, in the order drawn: one draw across them all, each panel's
    /// chain holding its own part (its cases; the period's figures are the force's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub panels: Vec<String>,
}

impl SampleRecord {
    /// No case to review at all, caught by a rule or drawn.
    pub fn is_empty(&self) -> bool {
        self.always.is_empty() && self.chosen.is_empty()
    }

    /// Every decision to review: the always-included ones first, then the random draw.
    pub fn cases(&self) -> Vec<i64> {
        self.always.iter().map(|a| a.id).chain(self.chosen.iter().map(|c| c.id)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub sample: i64,
    pub decision: i64,
    pub rating: String,
    pub observations: String,
    /// "theme: learning point", one each.
    pub learning_points: Vec<String>,
    pub reviewers: Vec<String>,
    /// Actions agreed on this case: what, by whom, by when.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<crate::domain::actions::ActionItem>,
}

impl ReviewRecord {
    /// Each learning point as (theme, point): "theme: point", or "general" without a theme.
    pub fn learning_points_by_theme(&self) -> Vec<(String, String)> {
        self.learning_points
            .iter()
            .map(|l| {
                let (theme, point) = l.split_once(':').unwrap_or(("general", l));
                (theme.trim().to_lowercase(), point.trim().to_string())
            })
            .collect()
    }

    pub fn themes(&self) -> Vec<String> {
        self.learning_points_by_theme().into_iter().map(|(t, _)| t).collect()
    }
}

/// The review that stands for each case of each sample: the latest (a case reviewed again is
/// replaced, never counted twice), keyed (sample, decision), with its record number.
pub fn standing_reviews(reviews: Vec<(i64, ReviewRecord)>) -> BTreeMap<(i64, i64), (i64, ReviewRecord)> {
    reviews.into_iter().map(|(seq, r)| ((r.sample, r.decision), (seq, r))).collect()
}

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(e.to_string())
}

pub fn reviews<S: ChainRead + ?Sized>(store: &S) -> Result<Vec<(i64, ReviewRecord)>> {
    store.bodies_of("review")?.into_iter().map(|(seq, b)| Ok((seq, serde_json::from_str(&b).map_err(bad)?))).collect()
}

/// A stored sample by record number, or the latest if `seq` is None; None if there is no such
/// sample. Only that sample's body is read: a sample of a large period is large.
pub fn stored_sample<S: ChainRead + ?Sized>(store: &S, seq: Option<i64>) -> Result<Option<(i64, SampleRecord)>> {
    let seqs = store.seqs_of("sample")?;
    let Some(seq) = (match seq {
        Some(seq) => seqs.contains(&seq).then_some(seq),
        None => seqs.last().copied(),
    }) else {
        return Ok(None);
    };
    Ok(Some((seq, read_sample(store, seq)?)))
}

/// Parses a sample record's body where SQLite holds it, without a copy of the text.
fn read_sample<S: ChainRead + ?Sized>(store: &S, seq: i64) -> Result<SampleRecord> {
    with_body(store, seq, |kind, body| {
        if kind != "sample" {
            return Err(bad(format!("record {seq} is a {kind}, not a sample")));
        }
        serde_json::from_str(body).map_err(bad)
    })?
    .ok_or_else(|| bad(format!("there is no record {seq}")))?
}

/// Decisions whose latest review found "no conclusion": they go into the next sample.
pub fn carried_forward<S: ChainRead + ?Sized>(store: &S, panel: &PanelDefinition) -> Result<BTreeSet<i64>> {
    let carry: BTreeSet<&str> =
        panel.scrutiny.ratings.iter().filter(|r| r.carry_forward).map(|r| r.id.as_str()).collect();
    let mut latest: BTreeMap<i64, String> = BTreeMap::new();
    for (_, r) in reviews(store)? {
        latest.insert(r.decision, r.rating);
    }
    Ok(latest.into_iter().filter(|(_, rating)| carry.contains(rating.as_str())).map(|(id, _)| id).collect())
}

/// Works out a sample without storing it (also how a stored one is recomputed).
pub fn compute<S: ChainRead + ?Sized>(
    store: &S,
    panel: &PanelDefinition,
    req: &SampleRequest,
    carried: &BTreeSet<i64>,
) -> Result<SampleRecord> {
    compute_over(&|from, to, each| store.each_decision_fact(from, to, each), panel, req, carried)
}

/// How a draw reads the period's decisions: one chain's, or every panel's (force-wide).
type ReadFacts<'a> = dyn Fn(NaiveDate, NaiveDate, &mut dyn FnMut(sampling::DecisionFacts)) -> Result<()> + 'a;

fn compute_over(
    store: &ReadFacts,
    panel: &PanelDefinition,
    req: &SampleRequest,
    carried: &BTreeSet<i64>,
) -> Result<SampleRecord> {
    // One decision at a time: only the always-included (16 bytes each) and each stratum's
    // lowest keys are held, whatever the size of the period.
    let (population, drawn, algorithm) = match req.capped {
        None => {
            let mut drawer = Drawer::new(&req.seed, req.size);
            let population = feed(store, panel, req, carried, |id, stratum, rules| drawer.add(id, stratum, rules))?;
            (population, drawer.finish(), ALGORITHM)
        }
        // jdp-sample-2 (see `domain::sampling::ALGORITHM_CAPPED`): exactly `size` cases, or every
        // case when there are fewer.
        Some(percent) => {
            let mut drawer = CappedDrawer::new(&req.seed, req.size, f64::from(percent) / 100.0);
            let population = feed(store, panel, req, carried, |id, stratum, rules| drawer.add(id, stratum, rules))?;
            (population, drawer.finish(), ALGORITHM_CAPPED)
        }
    };
    let SampleRequest { seed, from, to, size, strata, capped, theme } = req.clone();
    Ok(SampleRecord {
        algorithm: algorithm.into(),
        seed,
        from,
        to,
        size,
        strata,
        rules: panel.scrutiny.always_include.iter().map(|r| sampling::rule_id(*r).to_string()).collect(),
        panel_version: panel.panel.version.clone(),
        population,
        allocation: drawn
            .allocation
            .into_iter()
            .map(|a| Allocated { stratum: a.stratum, population: a.population, chosen: a.chosen })
            .collect(),
        chosen: drawn.chosen.into_iter().map(|(id, stratum)| Chosen { id, stratum }).collect(),
        always: drawn.always.into_iter().map(|(id, rules)| Included { id, rules }).collect(),
        always_percent: capped,
        flagged_not_sampled: drawn.flagged_not_sampled,
        theme,
        panels: Vec::new(),
    })
}

/// Streams the period's decisions (a themed sample's only) into `add` as candidates, then the
/// carried-forward cases from outside the period; returns how many decisions were in the period.
fn feed(
    store: &ReadFacts,
    panel: &PanelDefinition,
    req: &SampleRequest,
    carried: &BTreeSet<i64>,
    mut add: impl FnMut(i64, &str, RuleSet),
) -> Result<usize> {
    let mut population = 0;
    let mut carried_inside = BTreeSet::new();
    store(req.from, req.to, &mut |f| {
        if req.theme.as_deref().is_some_and(|t| !sampling::in_theme(&f, t, panel)) {
            return;
        }
        population += 1;
        let is_carried = carried.contains(&f.id);
        if is_carried {
            carried_inside.insert(f.id);
        }
        add(f.id, &req.strata.of(&f), RuleSet::of(&sampling::rules_for(&f, panel), is_carried));
    })?;
    for id in carried.difference(&carried_inside) {
        add(*id, "", RuleSet::carried());
    }
    Ok(population)
}

/// Draws a sample and records it in the chain.
pub fn draw<S: ChainWrite + ?Sized>(
    store: &mut S,
    panel: &PanelDefinition,
    req: &SampleRequest,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(Recorded, SampleRecord)> {
    whole_months(req)?;
    let carried = carried_forward(store, panel)?;
    let sample = compute(store, panel, req, &carried)?;
    nothing_to_sample(&sample)?;
    let rec = store.append_record("sample", serde_json::to_string(&sample).map_err(bad)?, by, at)?;
    Ok((rec, sample))
}

/// A new draw covers whole months (`sampling::whole_months`); a sample an older jdp drew over
/// part of a month is still recomputed over its own period.
fn whole_months(req: &SampleRequest) -> Result<()> {
    sampling::whole_months(req.from, req.to).map_err(crate::store::StoreError::Refused)
}

/// A draw with no case in it is refused, not recorded: an empty sample in the chain would read
/// as a period reviewed.
fn nothing_to_sample(s: &SampleRecord) -> Result<()> {
    if !s.is_empty() {
        return Ok(());
    }
    let theme = s.theme.as_deref().map_or(String::new(), |t| format!(" on the theme \"{t}\""));
    Err(crate::store::StoreError::Refused(format!(
        "no decisions from {} to {}{theme} to sample: no sample was recorded. Give the period with --from and --to",
        s.from, s.to
    )))
}

/// What identifies a draw: the same seed, period, size, strata and algorithm draw the same sample.
#[derive(Deserialize, PartialEq, Clone)]
struct DrawKey {
    algorithm: String,
    seed: String,
    from: NaiveDate,
    to: NaiveDate,
    size: usize,
    strata: Strata,
    #[serde(default)]
    always_percent: Option<u8>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    panels: Vec<String>,
}

impl DrawKey {
    fn of(req: &SampleRequest, panels: &[&str]) -> Self {
        let (algorithm, always_percent) = match req.capped {
            Some(p) => (ALGORITHM_CAPPED, Some(p)),
            None => (ALGORITHM, None),
        };
        DrawKey {
            algorithm: algorithm.into(),
            seed: req.seed.clone(),
            from: req.from,
            to: req.to,
            size: req.size,
            strata: req.strata,
            always_percent,
            theme: req.theme.clone(),
            panels: panels.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// The stored sample this draw already is, if any.
    fn find<S: ChainRead + ?Sized>(&self, store: &S) -> Result<Option<i64>> {
        for seq in store.seqs_of("sample")? {
            // Only the identifying fields are read: an old sample's long lists are skipped, not held.
            let stored = with_body(store, seq, |_, body| serde_json::from_str::<DrawKey>(body).ok())?.flatten();
            if stored.as_ref() == Some(self) {
                return Ok(Some(seq));
            }
        }
        Ok(None)
    }
}

/// Draws a sample, unless the same draw (seed, period, size, strata, algorithm) is already
/// stored: then that one is shown, not recorded again. Returns (record, sample, newly drawn).
pub fn draw_once<S: ChainWrite + ?Sized>(
    store: &mut S,
    panel: &PanelDefinition,
    req: &SampleRequest,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(i64, SampleRecord, bool)> {
    if let Some(seq) = DrawKey::of(req, &[]).find(store)? {
        return Ok((seq, read_sample(store, seq)?, false));
    }
    let (rec, sample) = draw(store, panel, req, by, at)?;
    Ok((rec.seq, sample, true))
}

/// The stored sample and the same sample worked out again now, with the carried-forward cases
/// as they stood when it was drawn.
pub fn recompute<S: ChainRead + ?Sized>(
    store: &S,
    panel: &PanelDefinition,
    seq: i64,
) -> Result<(SampleRecord, SampleRecord)> {
    let stored = read_sample(store, seq)?;
    let again = compute(store, panel, &stored.request(), &stored.carried())?;
    Ok((stored, again))
}

impl SampleRecord {
    /// The request that drew this sample.
    pub fn request(&self) -> SampleRequest {
        SampleRequest {
            seed: self.seed.clone(),
            from: self.from,
            to: self.to,
            size: self.size,
            strata: self.strata,
            capped: if self.algorithm == ALGORITHM_CAPPED { self.always_percent } else { None },
            theme: self.theme.clone(),
        }
    }

    /// The cases carried forward into it, as they stood when it was drawn.
    pub fn carried(&self) -> BTreeSet<i64> {
        self.always.iter().filter(|a| a.rules.contains(sampling::CARRIED_FORWARD)).map(|a| a.id).collect()
    }
}

/// A force-wide draw numbers its cases across its panels: panel `i`'s record `seq` is
/// `(i + 1) * PANEL_STRIDE + seq` (no panel's chain comes near 2^40 records), so that each case
/// has a key of its own in the one draw.
const PANEL_STRIDE: i64 = 1 << 40;

fn across(panel: usize, seq: i64) -> i64 {
    (panel as i64 + 1) * PANEL_STRIDE + seq
}

/// (panel, record) of a case numbered by `across`.
fn part_of(id: i64) -> (usize, i64) {
    ((id / PANEL_STRIDE - 1) as usize, id % PANEL_STRIDE)
}

/// One draw across several panels (a force-wide sample) from their anonymised decisions, as if
/// one chain held them all, split into each panel's part, in the panels' order. `carried`: each
/// panel's carried-forward cases.
pub fn compute_force_wide<S: ChainRead + ?Sized>(
    panels: &[(&str, &S)],
    panel: &PanelDefinition,
    req: &SampleRequest,
    carried: &[BTreeSet<i64>],
) -> Result<Vec<SampleRecord>> {
    let all_carried: BTreeSet<i64> =
        carried.iter().enumerate().flat_map(|(i, c)| c.iter().map(move |seq| across(i, *seq))).collect();
    let read = |from, to, each: &mut dyn FnMut(sampling::DecisionFacts)| -> Result<()> {
        for (i, (_, store)) in panels.iter().enumerate() {
            store.each_decision_fact(from, to, &mut |mut f| {
                f.id = across(i, f.id);
                each(f)
            })?;
        }
        Ok(())
    };
    let whole = compute_over(&read, panel, req, &all_carried)?;
    let names: Vec<String> = panels.iter().map(|(n, _)| n.to_string()).collect();
    Ok((0..panels.len())
        .map(|i| SampleRecord {
            chosen: whole
                .chosen
                .iter()
                .filter(|c| part_of(c.id).0 == i)
                .map(|c| Chosen { id: part_of(c.id).1, stratum: c.stratum.clone() })
                .collect(),
            always: whole
                .always
                .iter()
                .filter(|a| part_of(a.id).0 == i)
                .map(|a| Included { id: part_of(a.id).1, rules: a.rules })
                .collect(),
            panels: names.clone(),
            ..whole.clone()
        })
        .collect())
}

/// Draws one sample across several panels (force-wide) and records each panel's part in its
/// own chain, unless it is there already: the same draw again shows the parts recorded, and a
/// draw stopped part-way (a panel unreachable) is completed. Returns each panel's (record,
/// part), and whether anything was recorded now.
pub fn draw_force_wide<S: ChainWrite>(
    panels: &mut [(&str, S)],
    panel: &PanelDefinition,
    req: &SampleRequest,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(Vec<(i64, SampleRecord)>, bool)> {
    let names: Vec<&str> = panels.iter().map(|(n, _)| *n).collect();
    let key = DrawKey::of(req, &names);
    let found = panels.iter().map(|(_, s)| key.find(s)).collect::<Result<Vec<_>>>()?;
    if found.iter().all(Option::is_some) {
        let parts = found.into_iter().flatten().zip(panels.iter()).map(|(seq, (_, s))| Ok((seq, read_sample(s, seq)?)));
        return Ok((parts.collect::<Result<_>>()?, false));
    }
    whole_months(req)?;
    let carried = panels.iter().map(|(_, s)| carried_forward(s, panel)).collect::<Result<Vec<_>>>()?;
    let parts = {
        let readers: Vec<(&str, &S)> = panels.iter().map(|(n, s)| (*n, s)).collect();
        compute_force_wide(&readers, panel, req, &carried)?
    };
    // Refused only when every panel's part is empty: a panel with nothing in the period still
    // takes its (empty) part of a force-wide draw.
    if parts.iter().all(SampleRecord::is_empty)
        && let Some(first) = parts.first()
    {
        nothing_to_sample(first)?;
    }
    let mut out = Vec::new();
    for ((seq, (_, store)), part) in found.into_iter().zip(panels.iter_mut()).zip(parts) {
        let seq = match seq {
            Some(seq) => seq,
            None => store.append_record("sample", serde_json::to_string(&part).map_err(bad)?, by, at)?.seq,
        };
        out.push((seq, part));
    }
    Ok((out, true))
}

/// A force-wide sample's parts as stored (each found in its panel's chain by its draw) and
/// the same draw worked out again now, panel by panel. `panels` are those `part` (any panel's
/// part) names, in its order.
pub fn recompute_force_wide<S: ChainRead + ?Sized>(
    panels: &[(&str, &S)],
    panel: &PanelDefinition,
    part: &SampleRecord,
) -> Result<(Vec<SampleRecord>, Vec<SampleRecord>)> {
    let names: Vec<&str> = part.panels.iter().map(String::as_str).collect();
    if panels.iter().map(|(n, _)| *n).ne(names.iter().copied()) {
        return Err(bad(format!("this force-wide sample was drawn across the panels {}", names.join(", "))));
    }
    let req = part.request();
    let key = DrawKey::of(&req, &names);
    let mut stored = Vec::new();
    for (name, store) in panels {
        let seq = key.find(*store)?.ok_or_else(|| {
            bad(format!(
                "panel {name} holds no part of this force-wide sample (its draw was stopped part-way: draw it again)"
            ))
        })?;
        stored.push(read_sample(*store, seq)?);
    }
    let carried: Vec<BTreeSet<i64>> = stored.iter().map(SampleRecord::carried).collect();
    let again = compute_force_wide(panels, panel, &req, &carried)?;
    Ok((stored, again))
}

/// One member's own rating of a case, given before the panel agrees (blind: others do not see it
/// until the chair reveals them). A record in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlindRating {
    pub sample: i64,
    pub decision: i64,
    pub reviewer: String,
    /// The reviewer's agency (an agency id, or "lay" for a lay member).
    pub agency: String,
    pub rating: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub observations: String,
}

impl BlindRating {
    /// Whether this rating counts in the spread (its agency votes).
    pub fn votes(&self, panel: &PanelDefinition) -> bool {
        crate::domain::ratings::votes(&self.agency, panel)
    }
}

pub fn blind_ratings<S: ChainRead + ?Sized>(store: &S) -> Result<Vec<(i64, BlindRating)>> {
    store.bodies_of("rating")?.into_iter().map(|(seq, b)| Ok((seq, serde_json::from_str(&b).map_err(bad)?))).collect()
}

/// What a member's own rating of a case in a sample is checked against: the sample's cases, the
/// cases the panel has agreed (own ratings are closed for them), and the ratings already given
/// (case, reviewer key). Read from the store each time, so a screen and the command agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnRatings {
    pub cases: Vec<i64>,
    pub agreed: Vec<i64>,
    pub given: Vec<(i64, String, Option<usize>)>,
}

pub fn own_ratings<S: ChainRead + ?Sized>(store: &S, seq: i64, sample: &SampleRecord) -> Result<OwnRatings> {
    let given = blind_ratings(store)?
        .into_iter()
        .filter(|(_, b)| b.sample == seq)
        .map(|(_, b)| (b.decision, crate::domain::ratings::reviewer_key(&b.reviewer), None))
        .collect();
    let agreed = reviews(store)?.into_iter().filter(|(_, r)| r.sample == seq).map(|(_, r)| r.decision).collect();
    Ok(OwnRatings { cases: sample.cases(), agreed, given })
}

impl OwnRatings {
    pub fn against<'a>(&'a self, panel: &'a PanelDefinition, sample: i64) -> crate::domain::ratings::Against<'a> {
        crate::domain::ratings::Against { panel, sample, cases: &self.cases, agreed: &self.agreed, given: &self.given }
    }
}

/// Records blind ratings, all in one transaction (all or none).
pub fn record_blind_ratings<S: ChainWrite + ?Sized>(
    store: &mut S,
    rs: &[BlindRating],
    by: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Recorded>> {
    let bodies = rs.iter().map(|r| serde_json::to_string(r).map_err(bad)).collect::<Result<Vec<_>>>()?;
    store.append_records("rating", bodies, by, at)
}

/// Every action agreed at a review, with its id ("REVIEW.N") and where it stands on `today`.
pub fn actions<S: ChainRead + ?Sized>(store: &S, today: NaiveDate) -> Result<Vec<ActionRow>> {
    actions_of(store, &reviews(store)?, today)
}

/// An action: its id ("REVIEW.N"), the review it was agreed at, what it is and where it stands.
pub type ActionRow = (String, ReviewRecord, crate::domain::actions::ActionItem, crate::domain::actions::Standing);

/// The actions of reviews already read (so a caller that has them does not read them again).
pub fn actions_of<S: ChainRead + ?Sized>(
    store: &S,
    reviews: &[(i64, ReviewRecord)],
    today: NaiveDate,
) -> Result<Vec<ActionRow>> {
    use crate::domain::actions::{ActionStatus, standing};
    let statuses: Vec<ActionStatus> = store
        .bodies_of("action_status")?
        .into_iter()
        .map(|(_, b)| serde_json::from_str(&b).map_err(bad))
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for (seq, review) in reviews {
        for (i, item) in review.actions.iter().enumerate() {
            let id = format!("{seq}.{}", i + 1);
            let mine: Vec<&ActionStatus> = statuses.iter().filter(|s| s.action == id).collect();
            let st = standing(item, &mine, today);
            out.push((id, review.clone(), item.clone(), st));
        }
    }
    Ok(out)
}

/// Closes an action (done, or dropped with a reason): a record in the chain, never an edit.
pub fn close_action<S: ChainWrite + ?Sized>(
    store: &mut S,
    status: &crate::domain::actions::ActionStatus,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Recorded> {
    let known = actions(store, at.date_naive())?;
    match known.iter().find(|(id, ..)| *id == status.action) {
        None => return Err(bad(format!("there is no action {} (jdp scrutiny actions lists them)", status.action))),
        Some((_, _, _, crate::domain::actions::Standing::Closed(..))) => {
            return Err(bad(format!("action {} is closed already", status.action)));
        }
        Some(_) => {}
    }
    store.append_record("action_status", serde_json::to_string(status).map_err(bad)?, by, at)
}

pub fn record_review<S: ChainWrite + ?Sized>(
    store: &mut S,
    review: &ReviewRecord,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Recorded> {
    store.append_record("review", serde_json::to_string(review).map_err(bad)?, by, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(always: usize, chosen: usize) -> SampleRecord {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        SampleRecord {
            algorithm: ALGORITHM.into(),
            seed: "s".into(),
            from: day("2026-07-01"),
            to: day("2026-09-30"),
            size: 10,
            strata: Strata::Outcome,
            rules: Vec::new(),
            panel_version: "v".into(),
            population: always + chosen,
            allocation: Vec::new(),
            chosen: (0..chosen as i64).map(|id| Chosen { id, stratum: "CR".into() }).collect(),
            always: (0..always as i64).map(|id| Included { id: 100 + id, rules: RuleSet::carried() }).collect(),
            always_percent: None,
            flagged_not_sampled: Vec::new(),
            theme: Some("Theft".into()),
            panels: Vec::new(),
        }
    }

    /// A draw with any case in it is recorded, whether its cases were caught by a rule or drawn
    /// at random; one with none is refused, naming its period and theme.
    #[test]
    fn only_a_draw_with_no_case_at_all_is_refused() {
        for (always, chosen) in [(1, 0), (0, 1), (2, 3)] {
            assert!(nothing_to_sample(&drawn(always, chosen)).is_ok(), "{always} always, {chosen} random");
        }
        let said = nothing_to_sample(&drawn(0, 0)).unwrap_err().to_string();
        assert!(said.contains("no decisions from 2026-07-01 to 2026-09-30 on the theme \"Theft\" to sample"), "{said}");
    }
}
