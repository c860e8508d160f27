//! `jdp check`: every problem in every file, located.

use crate::config::{self, ConfigErrors};
use crate::domain::PanelDefinition;
use crate::domain::panel::ILLUSTRATIVE_LABEL;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::*;

/// What a file is, from its top-level tables.
pub(super) enum FileKind {
    Panel,
    Referrals,
    Scenario,
    /// Letter templates (`[[letter]]` tables), or a directory of them.
    Letters,
}

pub(super) fn kind_of(path: &Path) -> FileKind {
    // A directory of letter templates; any other directory is reported as not a file.
    if path.is_dir()
        && config::letters::letter_files(path)
            .iter()
            .any(|f| std::fs::read_to_string(f).is_ok_and(|t| config::letters::is_letters(&t)))
    {
        return FileKind::Letters;
    }
    // Never open a FIFO or a device to look: loading it reports the error.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return FileKind::Panel;
    }
    if config::referrals_csv::is_csv(path) {
        return FileKind::Referrals;
    }
    let Ok(text) = std::fs::read_to_string(path) else { return FileKind::Panel };
    if config::letters::is_letters(&text) {
        return FileKind::Letters;
    }
    match text.parse::<toml::Table>() {
        Ok(t) if t.contains_key("scenario") => FileKind::Scenario,
        Ok(t) if t.contains_key("referrals") => FileKind::Referrals,
        Ok(_) => FileKind::Panel,
        // A file that fails to parse is still recognised by its tables' headers.
        Err(_) => kind_from_headers(&text),
    }
}

pub(super) fn kind_from_headers(text: &str) -> FileKind {
    let heads: Vec<&str> = text.lines().map(str::trim).filter(|l| l.starts_with('[')).collect();
    if heads.iter().any(|h| h.starts_with("[scenario]") || h.starts_with("[scenario.")) {
        FileKind::Scenario
    } else if heads
        .iter()
        .any(|h| h.starts_with("[[referrals]]") || h.starts_with("[referrals.") || h.starts_with("[[referrals."))
    {
        FileKind::Referrals
    } else {
        FileKind::Panel
    }
}

pub(super) fn check(cli: &Cli, files: &[PathBuf], out: &mut impl Write, err: &mut impl Write) -> Result<(), CliError> {
    let sources: Vec<PanelSource> =
        if files.is_empty() { vec![panel_source(cli)] } else { files.iter().cloned().map(PanelSource::File).collect() };
    let mut bad = 0;
    let mut panel_in_use: Option<PanelDefinition> = None;
    for source in &sources {
        let kind = match source {
            PanelSource::File(p) => kind_of(p),
            PanelSource::BuiltIn => FileKind::Panel,
        };
        let result: Result<String, ConfigErrors> = match (&kind, source) {
            (FileKind::Panel, _) => load_panel(source).map(|p| {
                // Warnings (the panel still loads): located in the file's text.
                let (name, text) = match source {
                    PanelSource::File(path) => config::read_text(path).unwrap_or_default(),
                    PanelSource::BuiltIn => {
                        ("<built-in panels/default.toml>".to_string(), config::DEFAULT_PANEL.to_string())
                    }
                };
                let warnings: String = config::panel::warnings(&name, &text, &p, today())
                    .iter()
                    .map(|w| format!("\nwarning: {w}"))
                    .collect();
                format!(
                    "panel \"{}\" ({}), {} outcomes, {} offences, matrix \"{}\" (scale {}–{}){}{warnings}",
                    p.panel.name,
                    p.panel.version,
                    p.outcomes.len(),
                    p.gravity.offences.len(),
                    p.gravity.version,
                    p.gravity.scale_min,
                    p.gravity.scale_max,
                    if p.gravity.illustrative { format!(" — {ILLUSTRATIVE_LABEL}") } else { String::new() },
                )
            }),
            (_, PanelSource::File(path)) => {
                // Referral files and scenarios are checked against the panel definition in use.
                if panel_in_use.is_none() {
                    panel_in_use = Some(open_panel(cli)?);
                }
                let panel = panel_in_use.as_ref().expect("loaded above");
                match kind {
                    // Letters checked alone: against the panel definition beside their folder,
                    // unless --panel names one.
                    FileKind::Letters => match config::letters::panel_beside(path).filter(|_| cli.panel.is_none()) {
                        Some(beside) => config::load_panel(&beside)
                            .and_then(|p| super::letter::check_letters(path, &p, Some(&beside))),
                        None => super::letter::check_letters(path, panel, None),
                    },
                    FileKind::Scenario => config::scenario::load_scenario(path, panel).map(|s| {
                        format!(
                            "training scenario \"{}\" ({}, {} minutes)",
                            s.scenario.title,
                            s.scenario.level.label(),
                            s.scenario.minutes
                        )
                    }),
                    _ => config::referrals::load_referrals(path, panel)
                        .map(|f| format!("{} referral(s)", f.referrals.len())),
                }
            }
            _ => unreachable!("the built-in source is a panel definition"),
        };
        match result {
            Ok(summary) => writeln!(out, "ok: {source}: {summary}")?,
            Err(e) => {
                bad += 1;
                writeln!(err, "{e}")?;
            }
        }
    }
    if bad > 0 { Err(CliError::Check { bad, total: sources.len() }) } else { Ok(()) }
}
