//! The commands that open a screen: `panel`, `train`, `scrutiny`.

use crate::config::{self};
use crate::store::Store;
use std::io::Write;
use std::path::Path;

use super::*;

pub(super) fn panel(cli: &Cli, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let identity = std::fs::canonicalize(db_path(cli)).unwrap_or_else(|_| db_path(cli));
    let screen = PanelScreen {
        actor: actor(),
        journal: identity.display().to_string(),
        database: db_path(cli).display().to_string(),
    };
    panel_on(cli, p, Box::new(open_store(cli)?), screen, out)
}

/// How one store is shown on the panel screen: who writes, whose journal, and the database named
/// in the summary.
pub(super) struct PanelScreen {
    pub actor: String,
    /// Names this store's journal of typing not yet saved (a file's path, or server and login).
    pub journal: String,
    pub database: String,
}

/// The panel screen on `store` (a file or a server alike); piped or scripted, a summary.
pub(super) fn panel_on(
    cli: &Cli,
    p: crate::domain::panel::PanelDefinition,
    mut store: Box<dyn crate::store::Backend>,
    screen: PanelScreen,
    out: &mut impl Write,
) -> Result<(), CliError> {
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let today = chrono::Local::now().date_naive();
        let mut app = crate::tui::App::new(store, p, today, false);
        app.letters = Some(super::letter::open_letters(cli)?.1);
        app.actor = screen.actor;
        app.protected.extend(crate::outfile::database_files(&default_db_path()));
        let app = app.with_journal(crate::tui::files::journal_path(&screen.journal));
        return crate::tui::run(app).map_err(CliError::Terminal);
    }
    // Piped or scripted: a summary is the useful output.
    let s = store.summary().map_err(store_err(cli))?;
    writeln!(out, "jdp — {} ({})", p.panel.name, p.panel.area)?;
    writeln!(out, "Panel definition: {} (version {})", panel_source(cli), p.panel.version)?;
    writeln!(out, "Database: {}{}", screen.database, if s.synthetic { " — SYNTHETIC DEMO DATA" } else { "" })?;
    writeln!(
        out,
        "{} referral(s), {} in progress, {} record(s) in the chain",
        count(s.referrals as u64),
        count(s.in_progress as u64),
        count(s.records as u64)
    )?;
    Ok(())
}

pub(super) fn train(cli: &Cli, wanted: Option<&str>) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let scenarios = config::scenario::shipped_or_dir(Path::new("panels/training"), &p);
    let chosen = match wanted {
        None => None,
        Some(w) if Path::new(w).is_file() => Some(config::scenario::load_scenario(Path::new(w), &p)?),
        Some(w) => {
            let w_lower = w.to_lowercase();
            let found = scenarios.iter().find(|(name, s)| {
                name.to_lowercase().starts_with(&w_lower)
                    || s.as_ref().is_ok_and(|s| s.scenario.title.to_lowercase().starts_with(&w_lower))
            });
            match found {
                Some((_, Ok(s))) => Some(s.clone()),
                Some((_, Err(e))) => return Err(e.clone().into()),
                None => {
                    return Err(CliError::Input(format!(
                        "no training scenario matches \"{w}\" (see panels/training/)"
                    )));
                }
            }
        }
    };
    let mut store = if cli.db_on_command_line {
        let path = db_path(cli);
        Store::open(&path).map_err(store_err(cli))?
    } else {
        Store::open_in_memory().map_err(CliError::Store)?
    };
    store.make_training().map_err(store_err(cli))?;
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(CliError::Input("jdp train needs a terminal.".into()));
    }
    let today = chrono::Local::now().date_naive();
    let list = scenarios.into_iter().filter_map(|(name, s)| s.ok().map(|s| (name, s))).collect();
    let mut app = crate::tui::App::training(store, p, today, list, chosen);
    app.actor = actor();
    app.protected.extend(crate::outfile::database_files(&db_path(cli)));
    app.protected.extend(crate::outfile::database_files(&default_db_path()));
    crate::tui::run(app).map_err(CliError::Terminal)
}

pub(super) fn scrutiny_screen(cli: &Cli, sample: Option<i64>) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    // A file, or a server (where a scrutiny login reads only the anonymised cases).
    let mut store = super::server::open_existing_backend(cli)?;
    // Only the sample shown is read: listing samples does not parse their bodies.
    let chosen = crate::scrutiny::stored_sample(&*store.as_chain(), sample).map_err(store_err(cli))?;
    let Some((seq, s)) = chosen else {
        return Err(CliError::Input("No scrutiny sample to review: draw one first with jdp sample.".into()));
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(CliError::Input("jdp scrutiny needs a terminal.".into()));
    }
    let today = chrono::Local::now().date_naive();
    let actor = store.login().map_or_else(actor, str::to_string);
    let mut app = crate::tui::App::scrutiny(store, p, today, seq, s);
    app.actor = actor;
    app.protected.extend(crate::outfile::database_files(&default_db_path()));
    crate::tui::run(app).map_err(CliError::Terminal)
}
