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
    let mut always: Vec<(i64, Vec<String>)> = candidates
        .iter()
        .filter(|c| !c.rules.is_empty() || c.carried)
        .map(|c| {
            let mut rules: Vec<String> = c.rules.iter().map(|r| rule_id(*r).to_string()).collect();
            if c.carried {
                rules.push("no-conclusion-carried-forward".into());
            }
            (c.id, rules)
        })
        .collect();
    always.sort_by_key(|(id, _)| *id);
    let mut by_stratum: std::collections::BTreeMap<&str, Vec<([u8; 32], i64)>> = Default::default();
    for c in candidates.iter().filter(|c| c.rules.is_empty() && !c.carried) {
        by_stratum.entry(c.stratum.as_str()).or_default().push((key(seed, c.id), c.id));
    }
    let sizes: Vec<(String, usize)> = by_stratum.iter().map(|(s, v)| (s.to_string(), v.len())).collect();
    let allocation = allocate(k, &sizes);
    let mut chosen = Vec::new();
    for a in &allocation {
        let v = by_stratum.get_mut(a.stratum.as_str()).expect("every allocated stratum exists");
        v.sort();
        chosen.extend(v.iter().take(a.chosen).map(|(_, id)| (*id, a.stratum.clone())));
    }
    Drawn { allocation, chosen, always }
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
