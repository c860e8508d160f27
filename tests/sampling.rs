//! Scrutiny sampling: the written algorithm's golden vector, reproducibility, exact allocation,
//! fairness within a stratum, the sample stored in the chain and recomputed, carried-forward cases.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use common::*;
use jdp::domain::sampling::{Candidate, Strata, allocate, draw, key};
use jdp::scrutiny::{self, ReviewRecord};

fn req(
    seed: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    size: usize,
    strata: Strata,
) -> scrutiny::SampleRequest {
    scrutiny::SampleRequest { seed: seed.into(), from, to, size, strata }
}

fn plain(ids: impl Iterator<Item = i64>, stratum: impl Fn(i64) -> String) -> Vec<Candidate> {
    ids.map(|id| Candidate { id, stratum: stratum(id), rules: vec![], carried: false }).collect()
}

#[test]
fn golden_vector() {
    // Computed independently (Python hashlib) from the algorithm in domain/sampling.rs.
    assert_eq!(hex::encode(key("q3-2026", 7)), "5d7e46f036b280d517ce1057e839e677bd4a0644aaa7acc31f39a8ce14e2435b");
    let c = plain(1..=20, |id| if id % 2 == 1 { "A".into() } else { "B".into() });
    let d = draw("q3-2026", 5, &c);
    let ids: Vec<(i64, &str)> = d.chosen.iter().map(|(id, s)| (*id, s.as_str())).collect();
    assert_eq!(ids, [(17, "A"), (5, "A"), (1, "A"), (14, "B"), (2, "B")]);
}

#[test]
fn largest_remainder_allocation_is_exact_and_documented() {
    let strata = vec![("a".to_string(), 50), ("b".to_string(), 30), ("c".to_string(), 20)];
    let k = |n: usize| allocate(n, &strata).iter().map(|a| a.chosen).collect::<Vec<_>>();
    assert_eq!(k(10), [5, 3, 2]);
    assert_eq!(k(7), [4, 2, 1], "3.5, 2.1, 1.4: the largest remainder (a) gets the spare place");
    assert_eq!(k(1), [1, 0, 0]);
    assert_eq!(k(0), [0, 0, 0]);
    assert_eq!(k(500), [50, 30, 20], "never more than a stratum has");
    let tie = vec![("x".to_string(), 1), ("y".to_string(), 1)];
    assert_eq!(allocate(1, &tie).iter().map(|a| a.chosen).collect::<Vec<_>>(), [1, 0], "ties to the first name");
}

#[test]
fn the_same_seed_gives_the_same_sample_and_another_seed_another() {
    let c = plain(1..=500, |id| format!("s{}", id % 4));
    assert_eq!(draw("seed-a", 40, &c), draw("seed-a", 40, &c));
    assert_ne!(draw("seed-a", 40, &c).chosen, draw("seed-b", 40, &c).chosen);
    let d = draw("seed-a", 40, &c);
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, s) in &d.chosen {
        *per.entry(s.as_str()).or_default() += 1;
    }
    for a in &d.allocation {
        assert_eq!(per.get(a.stratum.as_str()).copied().unwrap_or(0), a.chosen, "exact per-stratum count");
    }
    assert_eq!(d.chosen.len(), 40);
}

#[test]
fn every_decision_in_a_stratum_is_equally_likely() {
    // 20 decisions, 5 drawn, 4,000 seeds: each expected 1,000 times. Chi-square with 19 degrees
    // of freedom stays below 43.8 (p = 0.001) for a fair draw.
    let c = plain(1..=20, |_| "all".into());
    let mut hits: BTreeMap<i64, u32> = BTreeMap::new();
    let seeds = 4000;
    for s in 0..seeds {
        for (id, _) in draw(&format!("seed-{s}"), 5, &c).chosen {
            *hits.entry(id).or_default() += 1;
        }
    }
    let expected = seeds as f64 * 5.0 / 20.0;
    let chi2: f64 = (1..=20).map(|id| (f64::from(*hits.get(&id).unwrap_or(&0)) - expected).powi(2) / expected).sum();
    assert!(chi2 < 43.8, "chi-square {chi2:.1}: {hits:?}");
}

#[test]
fn always_included_cases_are_listed_with_their_rules_and_not_drawn() {
    let mut c = plain(1..=10, |_| "all".into());
    c[2].rules = vec![jdp::domain::panel::AlwaysInclude::Disagreement, jdp::domain::panel::AlwaysInclude::LookedAfter];
    c[5].carried = true;
    let d = draw("x", 10, &c);
    assert_eq!(
        d.always,
        vec![
            (3, vec!["disagreement".to_string(), "looked-after".into()]),
            (6, vec!["no-conclusion-carried-forward".into()])
        ]
    );
    assert!(!d.chosen.iter().any(|(id, _)| *id == 3 || *id == 6));
    assert_eq!(d.chosen.len(), 8);
}

#[test]
fn a_sample_is_stored_in_the_chain_recomputed_and_carries_no_conclusion_forward() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(&dir.path().join("jdp.sqlite3"), 2000, 4);
    let panel = default_panel();
    let (from, to) = (date("2026-01-01"), date("2026-06-30"));
    let (rec, s) =
        scrutiny::draw(&mut store, &panel, &req("board-q2", from, to, 25, Strata::Gravity), "chair", Utc::now())
            .unwrap();
    assert_eq!(s.chosen.len(), 25);
    assert!(s.always.iter().all(|a| !a.rules.is_empty()));
    let (stored, again) = scrutiny::recompute(&store, &panel, rec.seq).unwrap();
    assert_eq!(stored, s);
    assert_eq!(again.chosen, s.chosen);
    assert!(store.verify().unwrap().is_ok(), "the sample is a record in a valid chain");
    // Every always-included case meets its rule, checked against the stored row.
    for a in &s.always {
        if a.rules.contains(&"disagreement".to_string()) {
            let d: bool =
                sql(&store).query_row("SELECT disagreement FROM records WHERE seq = ?1", [a.id], |r| r.get(0)).unwrap();
            assert!(d);
        }
    }
    // A random case reviewed as "no conclusion" appears again in the next sample, whatever its period.
    let case = s.chosen[0].id;
    let review = ReviewRecord {
        sample: rec.seq,
        decision: case,
        rating: "no_conclusion".into(),
        observations: "Victim contact not evidenced".into(),
        learning_points: vec!["victim: record every attempt at contact".into()],
        reviewers: vec!["Independent chair".into()],
    };
    scrutiny::record_review(&mut store, &review, "chair", Utc::now()).unwrap();
    let (_, next) = scrutiny::draw(
        &mut store,
        &panel,
        &req("board-q3", date("2026-07-01"), date("2026-09-30"), 10, Strata::Outcome),
        "chair",
        Utc::now(),
    )
    .unwrap();
    let carried: BTreeSet<i64> = next
        .always
        .iter()
        .filter(|a| a.rules.contains(&"no-conclusion-carried-forward".into()))
        .map(|a| a.id)
        .collect();
    assert_eq!(carried, BTreeSet::from([case]));
    assert!(store.verify().unwrap().is_ok());
}
