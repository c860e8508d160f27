//! Reproducible scrutiny sampling, written down so anyone can recompute it (algorithm
//! "jdp-sample-1"):
//!
//! 1. Candidates are the current (not superseded) decisions in the period. Those caught by an
//!    always-include rule are listed separately, with every rule that caught them, and take no
//!    place in the random draw.
//! 2. Every other candidate gets the key SHA-256(seed as UTF-8 ‖ 0x00 ‖ decision id as decimal
//!    ASCII). Within each stratum candidates are ordered by key (bytes, ascending).
//! 3. The sample size k is shared among strata in proportion to their sizes by the largest
//!    remainder method: each stratum gets floor(k·Nₛ/N); the places left over go one each to
//!    the strata with the largest remainders, ties to the stratum whose name sorts first. No
//!    stratum gets more than it has.
//! 4. Each stratum contributes its lowest-keyed candidates.

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

use super::panel::AlwaysInclude;

pub const ALGORITHM: &str = "jdp-sample-1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub stratum: String,
    /// The always-include rules this decision meets.
    pub rules: Vec<AlwaysInclude>,
    /// Reviewed before with "no conclusion": carried to this sample.
    pub carried: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub stratum: String,
    pub population: usize,
    pub chosen: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub allocation: Vec<Allocation>,
    /// (decision id, stratum), in stratum then key order.
    pub chosen: Vec<(i64, String)>,
    /// (decision id, rule ids), in id order.
    pub always: Vec<(i64, Vec<String>)>,
}

/// A sample covers whole months: a scrutiny login sees the month a decision was made and never
/// its day (with the offence and the age, a day identifies a child), so a draw over part of a
/// month could not be drawn alike by every login, nor without showing which days decisions fell
/// on. `Err` names the date that is not a month's end and the whole months around the period.
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> Result<(), String> {
    let first = from.with_day(1).unwrap_or(from);
    let last = super::dates::month_end(to);
    let wrong = if from != first {
        format!("--from {from} is not the first day of a month")
    } else if to != last {
        format!("--to {to} is not the last day of a month")
    } else {
        return Ok(());
    };
    Err(format!(
        "{wrong}: a sample covers whole months, as a scrutiny login sees the month a decision was made \
         and never its day (give --from {first} --to {last})"
    ))
}

pub fn rule_id(r: AlwaysInclude) -> &'static str {
    match r {
        AlwaysInclude::Disagreement => "disagreement",
        AlwaysInclude::InspectorMove => "inspector-move",
        AlwaysInclude::Departure => "departure",
        AlwaysInclude::CommunityResolutionWithPrevious => "community-resolution-with-previous",
        AlwaysInclude::LookedAfter => "looked-after",
        AlwaysInclude::VictimViewsNotObtained => "victim-views-not-obtained",
        AlwaysInclude::Corrected => "corrected",
    }
}

pub fn key(seed: &str, id: i64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update([0u8]);
    h.update(id.to_string().as_bytes());
    h.finalize().into()
}

/// Largest-remainder allocation of `k` over `(stratum, population)`, strata sorted by name.
pub fn allocate(k: usize, strata: &[(String, usize)]) -> Vec<Allocation> {
    let total: usize = strata.iter().map(|(_, n)| n).sum();
    let k = k.min(total);
    if total == 0 {
        return strata.iter().map(|(s, n)| Allocation { stratum: s.clone(), population: *n, chosen: 0 }).collect();
    }
    let mut out: Vec<Allocation> = Vec::new();
    let mut rema: Vec<(u128, usize)> = Vec::new(); // (remainder numerator, index)
    for (i, (s, n)) in strata.iter().enumerate() {
        let exact = (k as u128) * (*n as u128);
        let floor = (exact / total as u128) as usize;
        out.push(Allocation { stratum: s.clone(), population: *n, chosen: floor.min(*n) });
        rema.push((exact % total as u128, i));
    }
    let mut left = k - out.iter().map(|a| a.chosen).sum::<usize>();
    // Largest remainder first; ties to the earlier (name-sorted) stratum.
    rema.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    while left > 0 {
        let mut gave = false;
        for &(_, i) in &rema {
            if left == 0 {
                break;
            }
            if out[i].chosen < out[i].population {
                out[i].chosen += 1;
                left -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    out
}

pub fn draw(seed: &str, k: usize, candidates: &[Candidate]) -> Drawn {
    let mut drawer = Drawer::new(seed, k);
    for c in candidates {
        drawer.add(c.id, &c.stratum, RuleSet::of(&c.rules, c.carried));
    }
    let d = drawer.finish();
    Drawn {
        allocation: d.allocation,
        chosen: d.chosen,
        always: d.always.into_iter().map(|(id, rules)| (id, rules.iter().map(str::to_string).collect())).collect(),
    }
}

/// The rule id of "reviewed before with no conclusion", carried to the next sample.
pub const CARRIED_FORWARD: &str = "no-conclusion-carried-forward";

/// Every rule id a sample can list against an always-included decision, in the order a sample
/// lists them: the always-include rules, then carried forward.
const RULE_IDS: [&str; 8] = [
    "disagreement",
    "inspector-move",
    "departure",
    "community-resolution-with-previous",
    "looked-after",
    "victim-views-not-obtained",
    "corrected",
    CARRIED_FORWARD,
];

fn bit(r: AlwaysInclude) -> u8 {
    let id = rule_id(r);
    1 << RULE_IDS.iter().position(|x| *x == id).expect("every rule has an id in RULE_IDS")
}

/// The rules that put one decision in a sample (the always-include rules it meets, and whether
/// it is carried forward), as one byte: a sample of a large period lists hundreds of thousands.
/// Written and read as the list of rule ids, in `RULE_IDS` order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleSet(u8);

impl RuleSet {
    pub fn of(rules: &[AlwaysInclude], carried: bool) -> Self {
        let mut set = RuleSet(rules.iter().fold(0, |b, r| b | bit(*r)));
        if carried {
            set.0 |= 1 << 7;
        }
        set
    }

    /// Just "carried forward".
    pub fn carried() -> Self {
        RuleSet(1 << 7)
    }

    /// From rule ids; an unknown id is refused.
    pub fn from_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut set = RuleSet(0);
        for id in ids {
            let i = RULE_IDS.iter().position(|x| *x == id).ok_or_else(|| format!("unknown sampling rule \"{id}\""))?;
            set.0 |= 1 << i;
        }
        Ok(set)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn contains(self, id: &str) -> bool {
        self.iter().any(|x| x == id)
    }

    /// The rule ids, in `RULE_IDS` order.
    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        RULE_IDS.into_iter().enumerate().filter(move |(i, _)| self.0 & (1 << i) != 0).map(|(_, id)| id)
    }

    pub fn join(self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }

    /// The rules in words, as a reviewer reads them (`rule_words`).
    pub fn words(self, sep: &str) -> String {
        self.iter().map(rule_words).collect::<Vec<_>>().join(sep)
    }
}

/// A sampling rule in a few words, for the review queue's narrow "why included" column (the
/// ids stay in files and the panel definition).
pub fn rule_words(id: &str) -> &'static str {
    match id {
        "disagreement" => "views differed",
        "inspector-move" => "score moved",
        "departure" => "off the matrix",
        "community-resolution-with-previous" => "CR, not the first",
        "looked-after" => "looked after",
        "victim-views-not-obtained" => "no victim views",
        "corrected" => "a correction",
        CARRIED_FORWARD => "carried forward",
        _ => "another rule",
    }
}

impl serde::Serialize for RuleSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for RuleSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Ids;
        impl<'de> serde::de::Visitor<'de> for Ids {
            type Value = RuleSet;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of sampling rule ids")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RuleSet, A::Error> {
                let mut set = RuleSet(0);
                while let Some(id) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    set.0 |= RuleSet::from_ids([id.as_ref()]).map_err(serde::de::Error::custom)?.0;
                }
                Ok(set)
            }
        }
        d.deserialize_seq(Ids)
    }
}

/// What a draw gives (`Drawer::finish`, `CappedDrawer::finish`): each always-included decision's
/// rules as a `RuleSet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnCompact {
    pub allocation: Vec<Allocation>,
    /// Random places: (decision id, stratum), in stratum then key order.
    pub chosen: Vec<(i64, String)>,
    /// Always included (jdp-sample-1: in id order) or carried forward and flagged cases taken
    /// (jdp-sample-2: in the order taken), with the rules they meet.
    pub always: Vec<(i64, RuleSet)>,
    /// jdp-sample-2: per rule id, how many flagged cases were not taken (empty for jdp-sample-1).
    pub flagged_not_sampled: Vec<(String, usize)>,
}

/// The same draw as `draw`, taking candidates one at a time: it holds the always-included
/// decisions (16 bytes each) and, per stratum, a count and the `k` lowest keys, never the whole
/// population. No stratum is allocated more than `k`, so its `k` lowest keys are enough.
pub struct Drawer<'s> {
    seed: &'s str,
    k: usize,
    strata: std::collections::BTreeMap<String, Stratum>,
    always: Vec<(i64, RuleSet)>,
}

#[derive(Default)]
struct Stratum {
    population: usize,
    /// The lowest (key, id) pairs seen, at most `k`, largest on top.
    lowest: std::collections::BinaryHeap<([u8; 32], i64)>,
}

impl<'s> Drawer<'s> {
    pub fn new(seed: &'s str, k: usize) -> Self {
        Drawer { seed, k, strata: Default::default(), always: Vec::new() }
    }

    /// One candidate: always included if `rules` is not empty, else a place in the draw of `stratum`.
    pub fn add(&mut self, id: i64, stratum: &str, rules: RuleSet) {
        if !rules.is_empty() {
            self.always.push((id, rules));
            return;
        }
        let s = match self.strata.get_mut(stratum) {
            Some(s) => s,
            None => self.strata.entry(stratum.to_string()).or_default(),
        };
        s.population += 1;
        if self.k == 0 {
            return;
        }
        let entry = (key(self.seed, id), id);
        if s.lowest.len() < self.k {
            s.lowest.push(entry);
        } else if s.lowest.peek().is_some_and(|top| entry < *top) {
            s.lowest.pop();
            s.lowest.push(entry);
        }
    }

    pub fn finish(self) -> DrawnCompact {
        let k = self.k;
        self.finish_with(k)
    }

    /// The draw with `k` random places (at most the `k` it was made with: each stratum kept
    /// that many lowest keys).
    fn finish_with(self, k: usize) -> DrawnCompact {
        let Drawer { strata, mut always, .. } = self;
        always.sort_by_key(|(id, _)| *id);
        let sizes: Vec<(String, usize)> = strata.iter().map(|(s, v)| (s.clone(), v.population)).collect();
        let allocation = allocate(k, &sizes);
        let mut chosen = Vec::new();
        for (a, (_, s)) in allocation.iter().zip(strata) {
            let lowest = s.lowest.into_sorted_vec();
            chosen.extend(lowest.into_iter().take(a.chosen).map(|(_, id)| (id, a.stratum.clone())));
        }
        DrawnCompact { allocation, chosen, always, flagged_not_sampled: Vec::new() }
    }
}

/// What sampling and reports need to know about one decision: the indexed key fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFacts {
    pub id: i64,
    pub outcome: String,
    pub base_score: u8,
    pub final_score: u8,
    pub group: String,
    pub disagreement: bool,
    pub departure: bool,
    pub looked_after: bool,
    pub victim_status: String,
    pub previous: u32,
    pub corrected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strata {
    None,
    Outcome,
    Gravity,
    Group,
}

impl Strata {
    pub fn of(self, f: &DecisionFacts) -> String {
        match self {
            Strata::None => "all".into(),
            Strata::Outcome => f.outcome.clone(),
            Strata::Gravity => format!("score {}", f.final_score),
            Strata::Group => f.group.clone(),
        }
    }
}

/// Whether a decision is in a themed sample's population: the theme names its offence group
/// (e.g. "weapons"), its outcome (code or label) or a rule it meets ("looked-after"), case aside.
pub fn in_theme(f: &DecisionFacts, theme: &str, panel: &super::PanelDefinition) -> bool {
    let t = theme.trim().to_lowercase();
    f.group.to_lowercase() == t
        || f.outcome.to_lowercase() == t
        || panel.outcome(&f.outcome).is_some_and(|o| o.label.to_lowercase() == t)
        || rules_for(f, panel).into_iter().any(|r| rule_id(r) == t)
}

/// Whether a theme names anything a decision can have: an offence group, an outcome or a rule.
pub fn theme_exists(theme: &str, panel: &super::PanelDefinition) -> bool {
    let t = theme.trim().to_lowercase();
    panel.gravity.offences.iter().any(|o| o.group.to_lowercase() == t)
        || panel.outcomes.iter().any(|o| o.code.to_lowercase() == t || o.label.to_lowercase() == t)
        || RULE_IDS.iter().any(|r| *r == t)
}

/// The always-include rules (those the panel definition turns on) that a decision meets.
pub fn rules_for(f: &DecisionFacts, panel: &super::PanelDefinition) -> Vec<AlwaysInclude> {
    let on = &panel.scrutiny.always_include;
    let moved = (i32::from(f.final_score) - i32::from(f.base_score)).unsigned_abs();
    let cr_with_previous = f.previous > 0 && panel.outcome(&f.outcome).is_some_and(|o| o.warn_if_previous_outcomes);
    let met = [
        (AlwaysInclude::Disagreement, f.disagreement),
        (AlwaysInclude::InspectorMove, moved > u32::from(panel.gravity.max_move_without_inspector)),
        (AlwaysInclude::Departure, f.departure),
        (AlwaysInclude::CommunityResolutionWithPrevious, cr_with_previous),
        (AlwaysInclude::LookedAfter, f.looked_after),
        (AlwaysInclude::VictimViewsNotObtained, f.victim_status == "not-obtainable"),
        (AlwaysInclude::Corrected, f.corrected),
    ];
    met.into_iter().filter(|(r, yes)| *yes && on.contains(r)).map(|(r, _)| r).collect()
}

/// The capped sample (algorithm "jdp-sample-2"): `size` is the number of cases to review, full
/// stop. Written down so anyone can recompute it:
///
/// 1. Every candidate gets the key of jdp-sample-1 (SHA-256 of seed ‖ 0x00 ‖ decision id).
/// 2. Carried forward ("no conclusion" last time) come first, lowest key first, up to `size`.
/// 3. The flagged cases (caught by an always-include rule, not carried) get a share of what is
///    left: `quota` = ⌊size × share⌋, raised to the number of rules that caught any case (so each
///    such rule can have one), never above what is left. Rules in `RULE_IDS` order each take
///    their lowest-keyed case, unless a case already taken meets that rule, while the quota
///    lasts; the rest of the quota goes to the lowest-keyed flagged cases not yet taken.
/// 4. The places left (all of them if few cases are flagged) are drawn from the cases no rule
///    caught, shared among strata by jdp-sample-1's largest remainder.
/// 5. Every flagged case not taken is counted against each rule that caught it ("flagged, not
///    sampled"), so nothing is hidden.
pub const ALGORITHM_CAPPED: &str = "jdp-sample-2";

/// What a capped draw gives.
pub type Capped = DrawnCompact;

type Keyed = ([u8; 32], i64, RuleSet);

/// Keeps the `n` lowest entries seen (largest on top of the heap).
fn keep_lowest(heap: &mut std::collections::BinaryHeap<Keyed>, n: usize, entry: Keyed) {
    if heap.len() < n {
        heap.push(entry);
    } else if heap.peek().is_some_and(|top| entry < *top) {
        heap.pop();
        heap.push(entry);
    }
}

/// The capped draw, one candidate at a time. It holds the carried cases, for each rule its
/// `RULE_IDS.len()` lowest keys, the `size + RULE_IDS.len()` lowest flagged keys overall, and the
/// random draw's per-stratum lowest keys: bounded by `size`, whatever the period.
pub struct CappedDrawer<'s> {
    seed: &'s str,
    size: usize,
    share: f64,
    carried: Vec<Keyed>,
    per_rule: Vec<std::collections::BinaryHeap<Keyed>>,
    flagged: std::collections::BinaryHeap<Keyed>,
    flagged_count: [usize; 8],
    random: Drawer<'s>,
}

impl<'s> CappedDrawer<'s> {
    pub fn new(seed: &'s str, size: usize, share: f64) -> Self {
        CappedDrawer {
            seed,
            size,
            share: share.clamp(0.0, 1.0),
            carried: Vec::new(),
            per_rule: (0..RULE_IDS.len()).map(|_| Default::default()).collect(),
            flagged: Default::default(),
            flagged_count: [0; 8],
            random: Drawer::new(seed, size),
        }
    }

    pub fn add(&mut self, id: i64, stratum: &str, rules: RuleSet) {
        if rules.is_empty() {
            return self.random.add(id, stratum, rules);
        }
        let entry = (key(self.seed, id), id, rules);
        if rules.0 & (1 << 7) != 0 {
            self.carried.push(entry);
            return;
        }
        for (i, heap) in self.per_rule.iter_mut().enumerate() {
            if rules.0 & (1 << i) != 0 {
                self.flagged_count[i] += 1;
                keep_lowest(heap, RULE_IDS.len(), entry);
            }
        }
        keep_lowest(&mut self.flagged, self.size + RULE_IDS.len(), entry);
    }

    pub fn finish(self) -> Capped {
        let CappedDrawer { size, share, mut carried, per_rule, flagged, flagged_count, random, .. } = self;
        carried.sort();
        let mut always: Vec<(i64, RuleSet)> = carried.iter().take(size).map(|(_, id, r)| (*id, *r)).collect();
        let left = size - always.len();
        let with_cases = flagged_count.iter().filter(|n| **n > 0).count();
        let quota = ((size as f64 * share).floor() as usize).max(with_cases).min(left);
        let mut taken: Vec<(i64, RuleSet)> = Vec::new();
        for (i, heap) in per_rule.into_iter().enumerate() {
            if taken.len() == quota {
                break;
            }
            if taken.iter().any(|(_, r)| r.0 & (1 << i) != 0) {
                continue;
            }
            let lowest = heap.into_sorted_vec();
            if let Some((_, id, r)) = lowest.into_iter().find(|(_, id, _)| !taken.iter().any(|(t, _)| t == id)) {
                taken.push((id, r));
            }
        }
        for (_, id, r) in flagged.into_sorted_vec() {
            if taken.len() >= quota {
                break;
            }
            if !taken.iter().any(|(t, _)| *t == id) {
                taken.push((id, r));
            }
        }
        let mut not_sampled = flagged_count;
        for (_, r) in &taken {
            for (i, n) in not_sampled.iter_mut().enumerate() {
                if r.0 & (1 << i) != 0 {
                    *n -= 1;
                }
            }
        }
        let flagged_not_sampled =
            RULE_IDS.iter().zip(not_sampled).filter(|(_, n)| *n > 0).map(|(id, n)| (id.to_string(), n)).collect();
        always.extend(taken);
        // The random draw shares what is left among the unflagged cases' strata.
        let random = random.finish_with(size - always.len());
        DrawnCompact { always, flagged_not_sampled, ..random }
    }
}

/// The capped draw over a list of candidates (for tests and golden vectors).
pub fn draw_capped(seed: &str, size: usize, share: f64, candidates: &[Candidate]) -> Capped {
    let mut d = CappedDrawer::new(seed, size, share);
    for c in candidates {
        d.add(c.id, &c.stratum, RuleSet::of(&c.rules, c.carried));
    }
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule a sample can list has words of its own for the screen, never its id.
    #[test]
    fn every_rule_has_words_of_its_own() {
        let words: Vec<_> = RULE_IDS.iter().map(|id| rule_words(id)).collect();
        for (id, w) in RULE_IDS.iter().zip(&words) {
            assert!(*w != *id && *w != "another rule", "{id}: {w}");
        }
        let distinct: std::collections::BTreeSet<_> = words.iter().collect();
        assert_eq!(distinct.len(), RULE_IDS.len(), "{words:?}");
    }

    #[test]
    fn a_rule_given_twice_is_met_once() {
        let set = RuleSet::of(&[AlwaysInclude::Departure, AlwaysInclude::Departure], false);
        assert_eq!(set.iter().collect::<Vec<_>>(), ["departure"]);
        let set = RuleSet::of(&[AlwaysInclude::Corrected, AlwaysInclude::LookedAfter, AlwaysInclude::Corrected], true);
        assert_eq!(set.join(","), "looked-after,corrected,no-conclusion-carried-forward");
    }

    #[test]
    fn a_rule_set_that_is_not_a_list_says_a_list_was_expected() {
        let err = serde_json::from_str::<RuleSet>("\"departure\"").unwrap_err().to_string();
        assert!(err.contains("expected a list of sampling rule ids"), "{err}");
    }
}
