//! `jdp sample`: draw or recompute a scrutiny sample.

use chrono::Utc;
use std::io::Write;

use super::*;

/// `jdp sample --recompute RECORD`: draw a stored sample again and say whether it matches.
pub(super) fn recompute_sample(cli: &Cli, seq: i64, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let mut store = super::server::open_existing_backend(cli)?;
    let (stored, again) = crate::scrutiny::recompute(&*store.as_chain(), &p, seq).map_err(store_err(cli))?;
    if stored.chosen == again.chosen && stored.always == again.always {
        writeln!(
            out,
            "ok: sample record {seq} recomputes exactly ({} cases: {} carried forward or caught by a rule, {} drawn at random).",
            stored.chosen.len() + stored.always.len(),
            stored.always.len(),
            stored.chosen.len()
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

#[allow(clippy::too_many_arguments)]
pub(super) fn sample(
    cli: &Cli,
    period: &Period,
    size: usize,
    seed: Option<String>,
    by: StrataArg,
    theme: Option<String>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    use crate::scrutiny;
    let p = open_panel(cli)?;
    let (from, to) = period.or_last_quarter(today())?;
    if let Some(t) = &theme
        && !crate::domain::sampling::theme_exists(t, &p)
    {
        let mut groups: Vec<&str> = p.gravity.offences.iter().map(|o| o.group.as_str()).collect();
        groups.sort();
        groups.dedup();
        return Err(CliError::Input(format!(
            "--theme \"{t}\": expected an offence group ({}), an outcome ({}) or a rule ({})",
            groups.join(", "),
            p.outcomes.iter().map(|o| o.code.as_str()).collect::<Vec<_>>().join(", "),
            p.scrutiny
                .always_include
                .iter()
                .map(|r| crate::domain::sampling::rule_id(*r))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    // A file or a server: the same draw from the same chain (see `store::reading`).
    let mut backend = super::server::open_existing_backend(cli)?;
    let mut store = backend.as_chain();
    let seed = match seed {
        Some(s) => s,
        None => store.random_seed().map_err(store_err(cli))?,
    };
    let req = scrutiny::SampleRequest {
        seed,
        from,
        to,
        size,
        strata: by.into(),
        capped: Some(p.scrutiny.always_include_percent),
        theme: theme.map(|t| t.trim().to_string()),
    };
    let (seq, s, fresh) = scrutiny::draw_once(&mut *store, &p, &req, &actor(), Utc::now()).map_err(store_err(cli))?;
    let synthetic = if store.is_synthetic().unwrap_or(false) { " — SYNTHETIC DEMO DATA" } else { "" };
    if fresh {
        writeln!(out, "Sample record {seq} ({}, seed \"{}\"){synthetic}", s.algorithm, s.seed)?;
    } else {
        writeln!(
            out,
            "This draw (seed \"{}\", {} to {}, {} cases) is already sample record {seq}; nothing new was recorded.{synthetic}",
            s.seed, s.from, s.to, s.size
        )?;
    }
    let themed = s.theme.as_deref().map_or(String::new(), |t| format!(" on the theme \"{t}\""));
    writeln!(out, "Period {} to {}: {} current decision(s){themed}.", s.from, s.to, count(s.population as u64))?;
    let cases = s.always.len() + s.chosen.len();
    writeln!(
        out,
        "{cases} case(s) to review (asked for {}): {} carried forward or caught by a rule, {} drawn at random by {:?}.",
        s.size,
        s.always.len(),
        s.chosen.len(),
        by
    )?;
    // The random draw is from the decisions no rule caught: each stratum's count is of those.
    for a in &s.allocation {
        writeln!(
            out,
            "  {:<34} {:>8} not flagged in the period  {:>4} drawn",
            a.stratum,
            count(a.population as u64),
            a.chosen
        )?;
    }
    let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in &s.always {
        for r in a.rules.iter() {
            *by_rule.entry(r).or_default() += 1;
        }
    }
    if !by_rule.is_empty() {
        writeln!(out, "Caught by a rule and sampled, by rule (a case can meet several):")?;
        for (rule, n) in &by_rule {
            writeln!(out, "  {rule:<40} {n:>6}")?;
        }
    }
    if !s.flagged_not_sampled.is_empty() {
        writeln!(out, "Flagged, not sampled (caught by a rule but not drawn this time):")?;
        for (rule, n) in &s.flagged_not_sampled {
            writeln!(out, "  {rule:<40} {n:>6}")?;
        }
    }
    let reference = |id: i64| -> String { store.reference_of(id).unwrap_or_default() };
    writeln!(out, "Cases to review:")?;
    const SHOW: usize = 60;
    for a in s.always.iter().take(SHOW) {
        writeln!(out, "  record {:>9}  {:<16} always: {}", a.id, reference(a.id), a.rules.join(", "))?;
    }
    if s.always.len() > SHOW {
        writeln!(out, "  … and {} more always-included (all are in sample record {seq})", s.always.len() - SHOW)?;
    }
    for c in &s.chosen {
        writeln!(out, "  record {:>9}  {:<16} random: {}", c.id, reference(c.id), c.stratum)?;
    }
    writeln!(out, "Recompute at any time: jdp sample --recompute {seq}")?;
    if !fresh {
        return Ok(());
    }
    // Signing heads is not yet available on a server: the head to minute, unsigned.
    let head = store.head_minute().map_err(store_err(cli))?;
    drop(store);
    match backend.as_file() {
        Some(file) => sign_and_print(file, out, err),
        None => {
            let not = crate::store::pg::NOT_ON_A_SERVER;
            writeln!(out, "For the minutes: {head} (not signed: jdp sign is {not})")?;
            Ok(())
        }
    }
}
