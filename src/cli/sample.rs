//! `jdp sample`: draw or recompute a scrutiny sample.

use chrono::Utc;
use std::io::Write;

use super::*;

/// `jdp sample --recompute RECORD`: draw a stored sample again and say whether it matches.
pub(super) fn recompute_sample(cli: &Cli, seq: i64, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let store = open_store(cli)?;
    let (stored, again) = crate::scrutiny::recompute(&store, &p, seq).map_err(store_err(cli))?;
    if stored.chosen == again.chosen && stored.always == again.always {
        writeln!(
            out,
            "ok: sample record {seq} recomputes exactly ({} chosen, {} always included).",
            stored.chosen.len(),
            stored.always.len()
        )?;
        return Ok(());
    }
    let was: std::collections::BTreeSet<i64> = stored.cases().into_iter().collect();
    let now: std::collections::BTreeSet<i64> = again.cases().into_iter().collect();
    Err(CliError::Failed(format!(
        "DIFFERS: sample record {seq} no longer recomputes: {} case(s) only in the stored sample, {} only in a fresh draw \
         (decisions in the period have changed since it was drawn).",
        was.difference(&now).count(),
        now.difference(&was).count()
    )))
}

pub(super) fn sample(
    cli: &Cli,
    period: &Period,
    size: usize,
    seed: Option<String>,
    by: StrataArg,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    use crate::scrutiny;
    let p = open_panel(cli)?;
    let (from, to) = period.or_last_quarter(today())?;
    let mut store = open_store(cli)?;
    let seed = match seed {
        Some(s) => s,
        None => store.random_seed().map_err(store_err(cli))?,
    };
    let req = scrutiny::SampleRequest { seed, from, to, size, strata: by.into() };
    let (rec, s) = scrutiny::draw(&mut store, &p, &req, &actor(), Utc::now()).map_err(store_err(cli))?;
    let synthetic = if store.is_synthetic().unwrap_or(false) { " — SYNTHETIC DEMO DATA" } else { "" };
    writeln!(out, "Sample record {} ({}, seed \"{}\"){synthetic}", rec.seq, s.algorithm, s.seed)?;
    writeln!(out, "Period {} to {}: {} current decision(s).", s.from, s.to, count(s.population as u64))?;
    writeln!(out, "Random sample of {} by {:?}, shared by largest remainder:", s.chosen.len(), by)?;
    for a in &s.allocation {
        writeln!(out, "  {:<34} {:>8} in the period  {:>4} chosen", a.stratum, count(a.population as u64), a.chosen)?;
    }
    let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in &s.always {
        for r in a.rules.iter() {
            *by_rule.entry(r).or_default() += 1;
        }
    }
    writeln!(out, "Always included: {} decision(s), by rule:", s.always.len())?;
    for (rule, n) in &by_rule {
        writeln!(out, "  {rule:<40} {n:>6}")?;
    }
    let reference = |id: i64| -> String { store.reference_of(id).unwrap_or_default() };
    writeln!(out, "Cases to review:")?;
    const SHOW: usize = 60;
    for a in s.always.iter().take(SHOW) {
        writeln!(out, "  record {:>9}  {:<16} always: {}", a.id, reference(a.id), a.rules.join(", "))?;
    }
    if s.always.len() > SHOW {
        writeln!(out, "  … and {} more always-included (all are in sample record {})", s.always.len() - SHOW, rec.seq)?;
    }
    for c in &s.chosen {
        writeln!(out, "  record {:>9}  {:<16} random: {}", c.id, reference(c.id), c.stratum)?;
    }
    writeln!(out, "Recompute at any time: jdp sample --recompute {}", rec.seq)?;
    sign_and_print(&mut store, out, err)
}
