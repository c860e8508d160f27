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
    scrutiny::SampleRequest { seed: seed.into(), from, to, size, strata, capped: None, theme: None }
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
        if a.rules.contains("disagreement") {
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
        actions: vec![],
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
    let carried: BTreeSet<i64> =
        next.always.iter().filter(|a| a.rules.contains("no-conclusion-carried-forward")).map(|a| a.id).collect();
    assert_eq!(carried, BTreeSet::from([case]));
    assert!(store.verify().unwrap().is_ok());
}

/// Samples are drawn one decision at a time now (issue 10, memory at 1,000,000 decisions); the
/// bodies they store must be byte for byte what jdp wrote before, so every stored sample still
/// recomputes. The digests were taken from the sort-everything implementation (commit 6ae59b0)
/// on the same demo store and requests.
#[test]
fn a_sample_body_is_byte_for_byte_what_the_earlier_draw_wrote() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("jdp.sqlite3"), 3000, 11);
    let panel = default_panel();
    for (strata, size, carried, always, digest) in [
        (
            Strata::Outcome,
            40usize,
            BTreeSet::from([5i64, 2999, 99999]),
            561,
            "43062f4c6fc25d35bb06617a29ce1aa13fe2401e4b3c4da471755c2ac83cb87d",
        ),
        (Strata::Gravity, 7, BTreeSet::new(), 558, "9b79458e9bed02a7fe4d2cda12a278cdc1831dfa4b1a7210d0879bc9315dca19"),
        (
            Strata::Group,
            0,
            BTreeSet::from([17i64]),
            559,
            "86b6f6df20fcfcf00537856bdb916fcc5fb1aac33733e6a2c39fb09230d3862a",
        ),
        (Strata::None, 5000, BTreeSet::new(), 558, "507a05565e67a1ddbaacfb1d7cc6279f61616334eba10b8804f64e2b5eb7dca7"),
    ] {
        let s = scrutiny::compute(
            &store,
            &panel,
            &req("golden", date("2025-10-01"), date("2026-09-30"), size, strata),
            &carried,
        )
        .unwrap();
        assert_eq!(s.always.len(), always, "{strata:?}");
        let body = serde_json::to_string(&s).unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(body.as_bytes())), digest, "{strata:?}");
        let back: scrutiny::SampleRecord = serde_json::from_str(&body).unwrap();
        assert_eq!(back, s, "{strata:?}: the body reads back as written");
    }
}

/// The draw as first written: sort every candidate of a stratum by key and take the lowest.
fn draw_by_sorting_everything(seed: &str, k: usize, candidates: &[Candidate]) -> jdp::domain::sampling::Drawn {
    use jdp::domain::sampling::{Drawn, rule_id};
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
    let mut by_stratum: BTreeMap<&str, Vec<([u8; 32], i64)>> = BTreeMap::new();
    for c in candidates.iter().filter(|c| c.rules.is_empty() && !c.carried) {
        by_stratum.entry(c.stratum.as_str()).or_default().push((key(seed, c.id), c.id));
    }
    let sizes: Vec<(String, usize)> = by_stratum.iter().map(|(s, v)| (s.to_string(), v.len())).collect();
    let allocation = allocate(k, &sizes);
    let mut chosen = Vec::new();
    for a in &allocation {
        let v = by_stratum.get_mut(a.stratum.as_str()).unwrap();
        v.sort();
        chosen.extend(v.iter().take(a.chosen).map(|(_, id)| (*id, a.stratum.clone())));
    }
    Drawn { allocation, chosen, always }
}

#[test]
fn drawing_one_candidate_at_a_time_equals_sorting_every_candidate() {
    use jdp::domain::panel::AlwaysInclude::*;
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let rules = [Disagreement, InspectorMove, Departure, CommunityResolutionWithPrevious, LookedAfter, Corrected];
    for round in 0..200 {
        let n = rng.random_range(0..400);
        let strata = rng.random_range(1..6);
        let mut ids: Vec<i64> = (1..=n).collect();
        // Not in id order, as carried-forward cases arrive after the period's decisions.
        if round % 3 == 0 {
            ids.reverse();
        }
        let c: Vec<Candidate> = ids
            .into_iter()
            .map(|id| Candidate {
                id,
                stratum: format!("s{}", rng.random_range(0..strata)),
                rules: if rng.random_bool(0.2) { vec![rules[rng.random_range(0..rules.len())]] } else { vec![] },
                carried: rng.random_bool(0.05),
            })
            .collect();
        let k = [0, 1, 5, 30, 1000][round % 5];
        let seed = format!("seed-{round}");
        assert_eq!(draw(&seed, k, &c), draw_by_sorting_everything(&seed, k, &c), "round {round}, k {k}");
    }
}

#[test]
fn a_rule_set_reads_and_writes_the_rule_ids_and_refuses_an_unknown_one() {
    use jdp::domain::sampling::RuleSet;
    let json = r#"["departure","looked-after","no-conclusion-carried-forward"]"#;
    let set: RuleSet = serde_json::from_str(json).unwrap();
    assert_eq!(set.len(), 3);
    assert!(set.contains("looked-after") && !set.contains("disagreement"));
    assert_eq!(serde_json::to_string(&set).unwrap(), json);
    assert_eq!(set.join(", "), "departure, looked-after, no-conclusion-carried-forward");
    let err = serde_json::from_str::<RuleSet>(r#"["departure","made-up"]"#).unwrap_err().to_string();
    assert!(err.contains("made-up"), "{err}");
}

// ----- jdp-sample-2: the capped sample (issue 12) -----

use jdp::domain::panel::AlwaysInclude as R;
use jdp::domain::sampling::draw_capped;

fn flagged(n: std::ops::RangeInclusive<i64>, rules: &[(i64, Vec<R>)], carried: &[i64]) -> Vec<Candidate> {
    n.map(|id| Candidate {
        id,
        stratum: if id % 2 == 1 { "A".into() } else { "B".into() },
        rules: rules.iter().find(|(i, _)| *i == id).map(|(_, r)| r.clone()).unwrap_or_default(),
        carried: carried.contains(&id),
    })
    .collect()
}

#[test]
fn capped_golden_vector() {
    // Computed independently (Python hashlib) from the algorithm written in domain/sampling.rs.
    let c = flagged(
        1..=20,
        &[
            (3, vec![R::Disagreement]),
            (4, vec![R::Disagreement]),
            (7, vec![R::LookedAfter]),
            (11, vec![R::Departure]),
            (12, vec![R::Departure, R::Disagreement]),
            (13, vec![R::Departure]),
        ],
        &[20],
    );
    let d = draw_capped("q4-2026", 6, 0.5, &c);
    let always: Vec<i64> = d.always.iter().map(|(id, _)| *id).collect();
    assert_eq!(always, [20, 3, 11, 7], "carried first, then one per rule in rule order");
    assert_eq!(d.chosen, [(19, "A".to_string()), (18, "B".to_string())]);
    assert_eq!(d.flagged_not_sampled, [("disagreement".to_string(), 2), ("departure".to_string(), 2)]);
}

#[test]
fn size_is_the_number_of_cases_whatever_is_flagged() {
    // 400 decisions, 300 of them caught by a rule: the sample is still exactly the size asked.
    let rules: Vec<(i64, Vec<R>)> = (1..=300).map(|id| (id, vec![R::LookedAfter])).collect();
    let c = flagged(1..=400, &rules, &[]);
    for size in [1, 10, 30, 50] {
        let d = draw_capped("s", size, 0.5, &c);
        assert_eq!(d.always.len() + d.chosen.len(), size, "size {size}");
        assert_eq!(d.always.len(), (size / 2).max(1), "half the places, and at least one for the rule");
        assert_eq!(d.flagged_not_sampled, [("looked-after".to_string(), 300 - (size / 2).max(1))]);
    }
    // Fewer decisions than places: all of them.
    let few = flagged(1..=7, &[(2, vec![R::Departure])], &[]);
    let d = draw_capped("s", 30, 0.5, &few);
    assert_eq!(d.always.len() + d.chosen.len(), 7);
    assert!(d.flagged_not_sampled.is_empty());
}

#[test]
fn every_rule_with_a_case_gets_one_even_when_the_share_is_small() {
    let c = flagged(
        1..=100,
        &[(5, vec![R::Disagreement]), (6, vec![R::Departure]), (7, vec![R::Corrected]), (8, vec![R::Corrected])],
        &[],
    );
    let d = draw_capped("s", 10, 0.0, &c);
    let rules: BTreeSet<&str> = d.always.iter().flat_map(|(_, r)| r.iter()).collect();
    assert_eq!(rules, BTreeSet::from(["disagreement", "departure", "corrected"]));
    assert_eq!(d.always.len(), 3);
    assert_eq!(d.chosen.len(), 7, "the rest is the random draw");
    assert!(d.chosen.iter().all(|(id, _)| !(5..=8).contains(id)), "flagged cases take no random place");
}

#[test]
fn carried_forward_cases_come_first_and_can_fill_the_sample() {
    let c = flagged(1..=50, &[(9, vec![R::Departure])], &[1, 2, 3, 4]);
    let d = draw_capped("s", 3, 0.5, &c);
    assert_eq!(d.always.len(), 3);
    assert!(d.always.iter().all(|(id, r)| *id <= 4 && r.contains(jdp::domain::sampling::CARRIED_FORWARD)));
    assert!(d.chosen.is_empty());
    assert_eq!(d.flagged_not_sampled, [("departure".to_string(), 1)], "the flagged case is still counted");
}

#[test]
fn drawing_again_with_the_same_seed_and_period_shows_the_stored_sample() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(&dir.path().join("d.sqlite3"), 300, 5);
    let panel = default_panel();
    let mut r = req("same", date("2024-10-01"), date("2026-09-30"), 30, Strata::Outcome);
    r.capped = Some(50);
    let (first, s1, fresh1) = scrutiny::draw_once(&mut store, &panel, &r, "chair", Utc::now()).unwrap();
    let (again, s2, fresh2) = scrutiny::draw_once(&mut store, &panel, &r, "chair", Utc::now()).unwrap();
    assert!(fresh1 && !fresh2);
    assert_eq!((first, &s1), (again, &s2));
    assert_eq!(store.seqs_of("sample").unwrap(), [first], "no duplicate recorded");
    assert_eq!(s1.cases().len(), 30, "size 30 means 30 cases");
    let (_, again) = scrutiny::recompute(&store, &panel, first).unwrap();
    assert_eq!(again, s1, "a capped sample recomputes exactly");
    // Another seed is another draw.
    r.seed = "other".into();
    let (other, _, fresh) = scrutiny::draw_once(&mut store, &panel, &r, "chair", Utc::now()).unwrap();
    assert!(fresh && other != first);
}

#[test]
fn a_themed_sample_draws_only_that_theme_and_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(&dir.path().join("t.sqlite3"), 1500, 9);
    let panel = default_panel();
    let mut r = req("themed", date("2024-10-01"), date("2026-09-30"), 12, Strata::Outcome);
    r.capped = Some(50);
    r.theme = Some("weapons".into());
    let (seq, s, _) = scrutiny::draw_once(&mut store, &panel, &r, "chair", Utc::now()).unwrap();
    assert_eq!(s.cases().len(), 12);
    for id in s.cases() {
        let rec = store.decision(id).unwrap().unwrap();
        assert_eq!(rec.snapshot.score.group, "Weapons", "record {id}");
    }
    let (_, again) = scrutiny::recompute(&store, &panel, seq).unwrap();
    assert_eq!(again, s, "a themed sample recomputes exactly");
    // By rule: every case meets it.
    r.theme = Some("looked-after".into());
    r.seed = "la".into();
    let (_, s, _) = scrutiny::draw_once(&mut store, &panel, &r, "chair", Utc::now()).unwrap();
    assert!(!s.cases().is_empty());
    for id in s.cases() {
        assert!(store.decision(id).unwrap().unwrap().snapshot.case.referral.child.looked_after.is_some());
    }
}

/// jdp-sample-2 as its comment writes it, by sorting every candidate: the independent check of
/// `draw_capped`, which keeps only a bounded number of keys per rule and overall.
/// Gives (always-included ids in order, random places, flagged not sampled).
fn draw_capped_by_sorting_everything(
    seed: &str,
    size: usize,
    share: f64,
    candidates: &[Candidate],
) -> (Vec<i64>, Vec<(i64, String)>, Vec<(String, usize)>) {
    use jdp::domain::sampling::rule_id;
    let rule_ids = [
        "disagreement",
        "inspector-move",
        "departure",
        "community-resolution-with-previous",
        "looked-after",
        "victim-views-not-obtained",
        "corrected",
    ];
    // 2. Carried forward first, lowest key first, up to `size`.
    let mut carried: Vec<([u8; 32], i64)> =
        candidates.iter().filter(|c| c.carried).map(|c| (key(seed, c.id), c.id)).collect();
    carried.sort();
    let mut always: Vec<i64> = carried.iter().take(size).map(|(_, id)| *id).collect();
    let left = size - always.len();
    // 3. The flagged cases, by key.
    let mut flagged: Vec<([u8; 32], i64, Vec<&str>)> = candidates
        .iter()
        .filter(|c| !c.carried && !c.rules.is_empty())
        .map(|c| (key(seed, c.id), c.id, c.rules.iter().map(|r| rule_id(*r)).collect()))
        .collect();
    flagged.sort();
    let meets = |i: usize, rule: &str| flagged[i].2.contains(&rule);
    let with_cases = rule_ids.iter().filter(|r| (0..flagged.len()).any(|i| meets(i, r))).count();
    let quota = ((size as f64 * share).floor() as usize).max(with_cases).min(left);
    let mut taken: Vec<usize> = Vec::new();
    for rule in rule_ids {
        if taken.len() == quota {
            break;
        }
        if taken.iter().any(|&i| meets(i, rule)) {
            continue;
        }
        if let Some(i) = (0..flagged.len()).find(|&i| meets(i, rule) && !taken.contains(&i)) {
            taken.push(i);
        }
    }
    for i in 0..flagged.len() {
        if taken.len() >= quota {
            break;
        }
        if !taken.contains(&i) {
            taken.push(i);
        }
    }
    // 5. Flagged, not sampled.
    let not_sampled = rule_ids
        .iter()
        .map(|r| (r.to_string(), (0..flagged.len()).filter(|&i| meets(i, r) && !taken.contains(&i)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    always.extend(taken.iter().map(|&i| flagged[i].1));
    // 4. The places left, from the cases no rule caught, by jdp-sample-1.
    let unflagged: Vec<Candidate> = candidates.iter().filter(|c| !c.carried && c.rules.is_empty()).cloned().collect();
    let random = draw_by_sorting_everything(seed, size - always.len(), &unflagged).chosen;
    (always, random, not_sampled)
}

#[test]
fn the_capped_draw_equals_sorting_every_candidate() {
    // Many flagged cases per rule (more than the keys kept per rule) and cases meeting several
    // rules (a case taken for one rule also answers for the others it meets).
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let all = [
        R::Disagreement,
        R::InspectorMove,
        R::Departure,
        R::CommunityResolutionWithPrevious,
        R::LookedAfter,
        R::VictimViewsNotObtained,
        R::Corrected,
    ];
    for round in 0..60 {
        let n = rng.random_range(0..400);
        let flagged_share = [0.05, 0.3, 0.7][round % 3];
        let c: Vec<Candidate> = (1..=n)
            .map(|id| Candidate {
                id,
                stratum: format!("s{}", rng.random_range(0..3)),
                rules: if rng.random_bool(flagged_share) {
                    let mut r: Vec<R> =
                        (0..rng.random_range(1..4)).map(|_| all[rng.random_range(0..all.len())]).collect();
                    r.dedup();
                    r
                } else {
                    vec![]
                },
                carried: rng.random_bool(0.03),
            })
            .collect();
        let size = [0, 1, 3, 10, 25, 60][round % 6];
        let share = [0.0, 0.3, 0.5, 1.0][round % 4];
        let seed = format!("capped-{round}");
        let d = draw_capped(&seed, size, share, &c);
        let always: Vec<i64> = d.always.iter().map(|(id, _)| *id).collect();
        let (want_always, want_chosen, want_not_sampled) = draw_capped_by_sorting_everything(&seed, size, share, &c);
        let at = format!("round {round}, size {size}, share {share}");
        assert_eq!(always, want_always, "{at}");
        assert_eq!(d.chosen, want_chosen, "{at}");
        assert_eq!(d.flagged_not_sampled, want_not_sampled, "{at}");
    }
}

/// The store hands decisions over in its index's order, not by id: the draw must not depend on
/// the order candidates arrive in (each is keyed by its id), for either algorithm.
#[test]
fn the_draw_does_not_depend_on_the_order_candidates_arrive_in() {
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let all = [R::Disagreement, R::Departure, R::LookedAfter, R::Corrected];
    for round in 0..30 {
        let n = rng.random_range(1..300);
        let c: Vec<Candidate> = (1..=n)
            .map(|id| Candidate {
                id,
                stratum: format!("s{}", rng.random_range(0..4)),
                rules: if rng.random_bool(0.2) { vec![all[rng.random_range(0..all.len())]] } else { vec![] },
                carried: rng.random_bool(0.02),
            })
            .collect();
        let mut shuffled = c.clone();
        shuffled.shuffle(&mut rng);
        let seed = format!("order-{round}");
        let (a, b) = (draw_capped(&seed, 30, 0.5, &c), draw_capped(&seed, 30, 0.5, &shuffled));
        assert_eq!((a.always, a.chosen, a.flagged_not_sampled), (b.always, b.chosen, b.flagged_not_sampled), "{round}");
        let (a, b) = (draw(&seed, 20, &c), draw(&seed, 20, &shuffled));
        assert_eq!((a.always, a.chosen, a.allocation), (b.always, b.chosen, b.allocation), "round {round}");
    }
}

/// A scrutiny login sees the month a decision was made, never its day (the anonymised case and
/// `scrutiny_decisions` alike; DOMAIN.md, scrutiny sees pseudonymised data only): so a sample
/// covers whole months, and the same seed then draws the same sample whoever draws it.
#[test]
fn a_sample_period_is_whole_months() {
    use jdp::domain::sampling::whole_months;
    for (from, to, ok) in [
        ("2026-07-01", "2026-09-30", true),
        ("2026-07-01", "2026-07-31", true),
        ("2024-02-01", "2024-02-29", true),
        ("2025-02-01", "2025-02-28", true),
        ("2025-10-01", "2026-09-30", true),
        ("2026-07-02", "2026-09-30", false),
        ("2026-07-01", "2026-09-29", false),
        ("2025-02-01", "2025-02-27", false),
        ("2026-07-15", "2026-07-15", false),
    ] {
        let got = whole_months(date(from), date(to));
        assert_eq!(got.is_ok(), ok, "{from} to {to}: {got:?}");
    }
    let said = whole_months(date("2026-07-15"), date("2026-09-29")).unwrap_err();
    assert!(said.contains("whole months"), "{said}");
    assert!(said.contains("2026-07-01") && said.contains("2026-09-30"), "names the months' ends: {said}");
    let said = whole_months(date("2026-07-01"), date("2026-09-29")).unwrap_err();
    assert!(said.starts_with("--to 2026-09-29"), "names the date that is wrong: {said}");
}

#[test]
fn a_draw_over_part_of_a_month_is_refused_and_an_older_one_still_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(&dir.path().join("jdp.sqlite3"), 600, 4);
    let panel = default_panel();
    let before = store.verify().unwrap().unwrap().checked;
    let r = req("mid", date("2026-01-15"), date("2026-06-30"), 10, Strata::Outcome);
    let err = scrutiny::draw(&mut store, &panel, &r, "chair", Utc::now()).unwrap_err();
    assert!(err.to_string().contains("whole months"), "{err}");
    assert_eq!(store.verify().unwrap().unwrap().checked, before, "nothing was recorded");
    // A sample an older jdp drew over part of a month is recomputed over its own period.
    let old = scrutiny::compute(&store, &panel, &r, &Default::default()).unwrap();
    let rec = store.append_record("sample", serde_json::to_string(&old).unwrap(), "chair", Utc::now()).unwrap();
    let (stored, again) = scrutiny::recompute(&store, &panel, rec.seq).unwrap();
    assert_eq!((stored.from, again.chosen.len()), (date("2026-01-15"), 10));
    assert_eq!(again.chosen, stored.chosen);
}
