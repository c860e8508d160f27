//! `jdp sample`: draw or recompute a scrutiny sample.

use chrono::Utc;

use crate::store::ChainRead;
use std::io::Write;

use super::*;

/// `jdp sample --recompute RECORD`: draw a stored sample again and say whether it matches (a
/// force-wide sample's part: the whole draw across its panels, every part compared).
pub(super) fn recompute_sample(cli: &Cli, seq: i64, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let mut store = super::server::open_existing_backend(cli)?;
    let part = crate::scrutiny::stored_sample(&*store.as_chain(), Some(seq))
        .map_err(store_err(cli))?
        .ok_or_else(|| CliError::Input(format!("record {seq} is not a sample")))?
        .1;
    let (stored, again) = if part.panels.is_empty() {
        let (stored, again) = crate::scrutiny::recompute(&*store.as_chain(), &p, seq).map_err(store_err(cli))?;
        (vec![stored], vec![again])
    } else {
        drop(store);
        let names = part.panels.clone();
        let mut panels = super::server::named_panels(cli, &names, "a force-wide sample is drawn")?;
        let chains: Vec<_> = panels.iter_mut().map(|s| s.chain()).collect();
        let named: Vec<(&str, &_)> = names.iter().map(String::as_str).zip(chains.iter()).collect();
        crate::scrutiny::recompute_force_wide(&named, &p, &part).map_err(CliError::Store)?
    };
    let across = if part.panels.is_empty() { String::new() } else { format!(" across {} panels", part.panels.len()) };
    if stored.iter().zip(&again).all(|(s, a)| s.chosen == a.chosen && s.always == a.always) {
        let count = |f: fn(&crate::scrutiny::SampleRecord) -> usize| stored.iter().map(f).sum::<usize>();
        let (always, chosen) = (count(|s| s.always.len()), count(|s| s.chosen.len()));
        writeln!(
            out,
            "ok: sample record {seq} recomputes exactly{across} ({} cases: {always} carried forward or caught by a rule, {chosen} drawn at random).",
            always + chosen,
        )?;
        return Ok(());
    }
    let was: std::collections::BTreeSet<(usize, i64)> =
        stored.iter().enumerate().flat_map(|(i, s)| s.cases().into_iter().map(move |c| (i, c))).collect();
    let now: std::collections::BTreeSet<(usize, i64)> =
        again.iter().enumerate().flat_map(|(i, s)| s.cases().into_iter().map(move |c| (i, c))).collect();
    Err(CliError::Failed(format!(
        "DIFFERS: sample record {seq} no longer recomputes{across}: {} case(s) only in the stored sample, {} only in a fresh draw \
         (decisions in the period have changed since it was drawn).",
        was.difference(&now).count(),
        now.difference(&was).count()
    )))
}

/// What `jdp sample` was asked to draw.
pub(super) struct SampleAsk {
    pub size: usize,
    pub seed: Option<String>,
    pub by: StrataArg,
    pub theme: Option<String>,
    /// Across every panel on the server this login may read.
    pub force_wide: bool,
}

pub(super) fn sample(
    cli: &Cli,
    period: &Period,
    ask: SampleAsk,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    use crate::scrutiny;
    let SampleAsk { size, seed, by, theme, force_wide } = ask;
    let p = open_panel(cli)?;
    let (from, to) = period.or_last_quarter(today())?;
    crate::domain::sampling::whole_months(from, to).map_err(CliError::Input)?;
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
    if force_wide {
        return sample_force_wide(cli, &p, (from, to, size, seed, by, theme), out, err);
    }
    // A file or a server: the same draw from the same chain (see `store::reading`).
    let mut backend = super::server::open_existing_backend(cli)?;
    let mut store = backend.as_chain();
    let req = request(&p, (from, to, size, seed, by, theme), &*store).map_err(store_err(cli))?;
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
    let reference = |id: i64| -> String { store.reference_of(id).unwrap_or_default() };
    let always = s.always.iter().map(|a| (format!("record {:>9}  {:<16}", a.id, reference(a.id)), a)).collect();
    let chosen = s.chosen.iter().map(|c| (format!("record {:>9}  {:<16}", c.id, reference(c.id)), c)).collect();
    describe(out, &s, by, (always, chosen), &format!("sample record {seq}"))?;
    writeln!(out, "Recompute at any time: jdp sample --recompute {seq}")?;
    if !fresh {
        return Ok(());
    }
    drop(store);
    sign_and_print(&mut *backend, None, out, err)
}

/// A drawn sample as the scrutiny panel reads it: the period's figures (`s`), then every case,
/// each named as given (its record number and reference; force-wide, its panel too).
fn describe(
    out: &mut impl Write,
    s: &crate::scrutiny::SampleRecord,
    by: StrataArg,
    (always, chosen): (Vec<(String, &crate::scrutiny::Included)>, Vec<(String, &crate::scrutiny::Chosen)>),
    kept_in: &str,
) -> Result<(), CliError> {
    let themed = s.theme.as_deref().map_or(String::new(), |t| format!(" on the theme \"{t}\""));
    writeln!(out, "Period {} to {}: {} current decision(s){themed}.", s.from, s.to, count(s.population as u64))?;
    writeln!(
        out,
        "{} case(s) to review (asked for {}): {} carried forward or caught by a rule, {} drawn at random by {:?}.",
        always.len() + chosen.len(),
        s.size,
        always.len(),
        chosen.len(),
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
    for (_, a) in &always {
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
    writeln!(out, "Cases to review:")?;
    const SHOW: usize = 60;
    for (at, a) in always.iter().take(SHOW) {
        writeln!(out, "  {at} always: {}", a.rules.join(", "))?;
    }
    if always.len() > SHOW {
        writeln!(out, "  … and {} more always-included (all are in {kept_in})", always.len() - SHOW)?;
    }
    for (at, c) in &chosen {
        writeln!(out, "  {at} random: {}", c.stratum)?;
    }
    Ok(())
}

/// What `jdp sample` asked for, as the draw takes it: from, to, size, seed, strata, theme.
type Asked = (NaiveDate, NaiveDate, usize, Option<String>, StrataArg, Option<String>);

/// The draw asked for; without a seed, a fresh one from the server's (or the file's) generator.
fn request(
    p: &PanelDefinition,
    (from, to, size, seed, by, theme): Asked,
    store: &(impl ChainRead + ?Sized),
) -> crate::store::Result<crate::scrutiny::SampleRequest> {
    let seed = match seed {
        Some(s) => s,
        None => store.random_seed()?,
    };
    Ok(crate::scrutiny::SampleRequest {
        seed,
        from,
        to,
        size,
        strata: by.into(),
        capped: Some(p.scrutiny.always_include_percent),
        theme: theme.map(|t| t.trim().to_string()),
    })
}

/// `jdp sample --force-wide`: one draw across every panel on the server this login may read,
/// each panel's part recorded in its own chain.
fn sample_force_wide(
    cli: &Cli,
    p: &PanelDefinition,
    asked: Asked,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    use crate::scrutiny;
    let (names, mut stores) = super::server::force_wide_panels(cli, "--force-wide draws")?;
    let mut chains: Vec<(&str, crate::store::pg::PgChain)> =
        names.iter().map(String::as_str).zip(stores.iter_mut().map(|s| s.chain())).collect();
    let kinds = chains.iter().map(|(name, chain)| Ok((*name, chain.is_synthetic()?))).collect::<Result<Vec<_>, _>>();
    let synthetic = crate::store::one_kind(&kinds.map_err(CliError::Store)?, "sample").map_err(CliError::Store)?;
    let by = asked.4;
    let req = request(p, asked, &chains[0].1).map_err(CliError::Store)?;
    let (parts, fresh) =
        scrutiny::draw_force_wide(&mut chains, p, &req, &actor(), Utc::now()).map_err(CliError::Store)?;
    let synthetic = if synthetic { " — SYNTHETIC DEMO DATA" } else { "" };
    let s = &parts[0].1;
    let records: Vec<String> = names.iter().zip(&parts).map(|(n, (seq, _))| format!("{n} record {seq}")).collect();
    if fresh {
        writeln!(
            out,
            "Force-wide sample across {} panels ({}, seed \"{}\"){synthetic}: {}",
            names.len(),
            s.algorithm,
            s.seed,
            records.join(", ")
        )?;
    } else {
        writeln!(
            out,
            "This force-wide draw (seed \"{}\", {} to {}, {} cases) is already recorded: {}; nothing new was recorded.{synthetic}",
            s.seed,
            s.from,
            s.to,
            s.size,
            records.join(", ")
        )?;
    }
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut always = Vec::new();
    let mut chosen = Vec::new();
    for ((name, (_, part)), (_, chain)) in names.iter().zip(&parts).zip(&chains) {
        let at = |id: i64| format!("{name:<width$} record {id:>9}  {:<16}", chain.reference_of(id).unwrap_or_default());
        always.extend(part.always.iter().map(|a| (at(a.id), a)));
        chosen.extend(part.chosen.iter().map(|c| (at(c.id), c)));
    }
    describe(out, s, by, (always, chosen), "each panel's part")?;
    writeln!(out, "Recompute at any time: jdp sample --recompute {} (on {})", parts[0].0, names[0])?;
    if !fresh {
        return Ok(());
    }
    // Each panel's head, its part now in it, signed for that panel's minutes.
    drop(chains);
    for (name, store) in names.iter().zip(&mut stores) {
        sign_and_print(store, Some(name), out, err)?;
    }
    Ok(())
}
