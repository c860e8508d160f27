//! `jdp import`: referrals from a file (TOML, or CSV by its `.csv` name) into the store.

use crate::config::{self};
use chrono::Utc;
use std::io::Write;
use std::path::Path;

use super::*;

pub(super) fn import(cli: &Cli, file: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let parsed = config::referrals::load_referrals(file, &p)?;
    let mut store = open_backend(cli)?;
    let refs: Vec<&str> = parsed.referrals.iter().map(|r| r.reference.as_str()).collect();
    let existing = store.existing_references(&refs).map_err(store_err(cli))?;
    if !existing.is_empty() {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let doc = config::Document::new(&text);
        let csv = config::referrals_csv::is_csv(file);
        let mut lines: Vec<String> = Vec::new();
        let found: std::collections::HashMap<&str, &str> =
            existing.iter().map(|(r, stored)| (r.as_str(), stored.as_str())).collect();
        for (i, r, stored) in refs.iter().enumerate().filter_map(|(i, r)| found.get(r).map(|s| (i, r, s))) {
            let what = if *r == *stored {
                format!("\"{r}\", imported before")
            } else {
                format!("\"{r}\", the same as \"{stored}\" imported before (case and spaces aside)")
            };
            let problem = config::Problem::new(
                format!("referrals[{i}].reference"),
                "a reference not already in the database (case and spaces aside)",
                what,
            );
            let name = file.display().to_string();
            let at = if csv {
                config::referrals_csv::locate_reference(&name, &text, i, problem)
            } else {
                config::locate(&name, &doc, problem)
            };
            lines.push(at.to_string());
        }
        lines.push("Nothing was imported.".into());
        return Err(CliError::Input(lines.join("\n")));
    }
    let ids = store.add_referrals(&parsed.referrals, &actor(), Utc::now()).map_err(store_err(cli))?;
    writeln!(out, "Imported {} referral(s) into {}.", ids.len(), db_label(cli))?;
    Ok(())
}
