//! `--db postgres://…` (or `JDP_DB`): what only a PostgreSQL store has (the panel screen's
//! server store, `server init` and `grant`, `copy`, force-wide panels) and the commands whose
//! server side differs from a file's (export); every other command runs the same code on
//! either (`cli::dispatch`). Training is refused on a server.

use std::io::Write;

use super::*;
use crate::store::Backend;
use crate::store::pg::{PgStore, is_server_url};

/// The server named by `--db` or `JDP_DB`, if it names one rather than a file.
pub(super) fn server_url(cli: &Cli) -> Option<String> {
    cli.db.as_ref().and_then(|p| p.to_str()).filter(|s| is_server_url(s)).map(str::to_string)
}

/// The store named by `--db`, for messages: a file's path, or a server's database and host —
/// never the connection string itself, which can hold a password.
pub(super) fn db_label(cli: &Cli) -> String {
    match server_url(cli) {
        Some(url) => server_label(&url),
        None => db_path(cli).display().to_string(),
    }
}

/// Which server, database and login a store is, for naming its journal on this machine (never
/// the password).
fn server_identity(url: &str, login: &str) -> String {
    let port =
        url.parse::<crate::store::pg::Config>().ok().and_then(|c| c.get_ports().first().copied()).unwrap_or(5432);
    format!("{} port {port} as {login}", server_label(url))
}

fn server_label(url: &str) -> String {
    let Ok(config) = url.parse::<crate::store::pg::Config>() else { return "the PostgreSQL server".into() };
    let db = config.get_dbname().unwrap_or("(the login's own)");
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            crate::store::pg::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            crate::store::pg::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    format!("the PostgreSQL database {db} on {host}")
}

/// The store for commands that make or add to one: a server's, or the file's as before.
pub(super) fn open_backend(cli: &Cli) -> Result<Box<dyn Backend>, CliError> {
    match server_url(cli) {
        Some(url) => Ok(Box::new(PgStore::open(&url).map_err(CliError::Store)?)),
        None => Ok(Box::new(open_store(cli)?)),
    }
}

/// The store for commands that read or add to an existing one: a server's, or the file's
/// (which must exist).
pub(super) fn open_existing_backend(cli: &Cli) -> Result<Box<dyn Backend>, CliError> {
    match server_url(cli) {
        Some(url) => Ok(Box::new(PgStore::open(&url).map_err(CliError::Store)?)),
        None => Ok(Box::new(open_existing_store(cli)?)),
    }
}

/// `--force-wide`: every panel on the server `--db` names that its login may read, by name,
/// each opened as that login (`what` says what is done across them, for the refusals).
pub(super) fn force_wide_panels(cli: &Cli, what: &str) -> Result<(Vec<String>, Vec<PgStore>), CliError> {
    let mut first = PgStore::open(&force_wide_url(cli, what)?).map_err(CliError::Store)?;
    let names = first.panels().map_err(CliError::Store)?;
    if names.is_empty() {
        return Err(CliError::Input(format!(
            "this login may read no panel on {}: the server's administrator gives it panels with jdp server grant",
            db_label(cli)
        )));
    }
    let stores = panels_beside(&first, &names)?;
    Ok((names, stores))
}

/// The panels named, on the server `--db` names, as its login.
pub(super) fn named_panels(cli: &Cli, names: &[String], what: &str) -> Result<Vec<PgStore>, CliError> {
    panels_beside(&PgStore::open(&force_wide_url(cli, what)?).map_err(CliError::Store)?, names)
}

/// The panels named, on `first`'s server, as its login.
fn panels_beside(first: &PgStore, names: &[String]) -> Result<Vec<PgStore>, CliError> {
    names.iter().map(|n| first.other_panel(n)).collect::<Result<_, _>>().map_err(CliError::Store)
}

fn force_wide_url(cli: &Cli, what: &str) -> Result<String, CliError> {
    server_url(cli).ok_or_else(|| {
        CliError::Input(format!(
            "{what} across every panel on a PostgreSQL server: name it with --db postgres://USER@HOST/DATABASE \
             (or JDP_DB); a file store is one panel"
        ))
    })
}

pub(super) fn dispatch(cli: &Cli, url: &str, out: &mut impl Write, err: &mut impl Write) -> Result<(), CliError> {
    match cli.command.as_ref().unwrap_or(&Command::Panel) {
        Command::Panel => panel(cli, url, out),
        Command::Export { format, pseudonymise, period, out: path, reason } => {
            let (from, to) = period.given()?;
            let opts = ExportOptions { format: *format, pseudonymise: *pseudonymise, from, to };
            export_from_server(url, &opts, path.as_deref(), reason, err)
        }
        Command::Server { command: ServerCommand::Init } => {
            let mut store = PgStore::open(url).map_err(CliError::Store)?;
            store.use_panel(&open_panel(cli)?);
            let db = store.init_server().map_err(CliError::Store)?;
            // Decisions that came without their anonymised case (an older jdp's) get it now.
            let prepared = store.prepare_scrutiny_cases().map_err(CliError::Store)?;
            writeln!(
                out,
                "Panel {db} is ready: roles jdp_chair, jdp_member, jdp_scrutiny, jdp_trainer and jdp_admin, with their \
                 privileges. Give people roles with jdp server grant USER ROLE."
            )?;
            if prepared > 0 {
                writeln!(out, "{} decision(s) anonymised for the scrutiny panel.", count(prepared as u64))?;
            }
            Ok(())
        }
        Command::Server { command: ServerCommand::Grant { user, role, panel_db } } => {
            let mut store = PgStore::open(url).map_err(CliError::Store)?;
            let panels = store.grant(user, *role, panel_db.as_deref()).map_err(CliError::Store)?;
            let on = match (panels.is_empty(), panel_db.is_none()) {
                (true, true) => "every panel made ready on this server (none is yet)".into(),
                (true, false) => "no panel yet (none is ready on this server)".into(),
                (false, true) => format!("{}, and every panel made ready later", panels.join(", ")),
                (false, false) => panels.join(", "),
            };
            writeln!(out, "{user} is now {} on: {on}.", role.group())?;
            Ok(())
        }
        Command::Train { .. } => Err(CliError::Input(
            "jdp train keeps mock panels apart from real records: it runs in memory on this machine (omit --db), \
             or on a training database FILE named with --db, never on a server"
                .into(),
        )),
        // Every other command runs the same code on a file or a server (`cli::dispatch`).
        other => Err(CliError::Failed(format!("{other:?} reached the server's commands: please report this"))),
    }
}

/// `jdp copy --from PATH --to postgres://…`: the file store, as it is, into an empty server
/// database; both say so in their access logs.
pub(super) fn copy(cli: &Cli, from: &std::path::Path, to: &str, out: &mut impl Write) -> Result<(), CliError> {
    if let Some(url) = from.to_str().filter(|f| is_server_url(f)) {
        if is_server_url(to) {
            return Err(CliError::Input(
                "jdp copy moves a store between a file and a server: one of --from and --to names a file".into(),
            ));
        }
        return copy_to_file(url, std::path::Path::new(to), out);
    }
    if !is_server_url(to) {
        return Err(CliError::Input(
            "jdp copy moves a file store to a server (--to postgres://USER@HOST/DATABASE), or a server's store to a \
             new file (--from postgres://…)"
                .into(),
        ));
    }
    let label = server_label(to);
    let mut file = crate::store::Store::open_existing(from).map_err(|e| CliError::store(from, e))?;
    let mut server = PgStore::open(to).map_err(CliError::Store)?;
    server.use_panel(&open_panel(cli)?);
    let now = chrono::Utc::now();
    file.log_access(&actor(), "copy", &format!("the whole store, to {label}"), "moved to a shared server", now)
        .map_err(|e| CliError::store(from, e))?;
    let copied = server.copy_from(&file).map_err(CliError::Store)?;
    let source = format!("the file store {}, verified at {}", from.display(), copied.head.minute());
    server.log_access("copy", &source, "moved to a shared server", now).map_err(CliError::Store)?;
    writeln!(
        out,
        "Copied {} referral(s), {} record(s) and {} access-log entries to {label}; both verify to {}.",
        copied.referrals,
        copied.records,
        copied.access_entries,
        copied.head.minute()
    )?;
    Ok(())
}

/// `jdp export` from a server: as from a file (`cli::export::run_export`), the access-log entry
/// and the disclosure in one transaction.
fn export_from_server(
    url: &str,
    opts: &ExportOptions,
    path: Option<&std::path::Path>,
    reason: &str,
    err: &mut impl Write,
) -> Result<(), CliError> {
    use crate::report::export::{Format, export_from};
    let mut store = PgStore::open(url).map_err(CliError::Store)?;
    let synthetic = store.is_synthetic().map_err(CliError::Store)?;
    let target = format!(
        "decisions {} to {}, {}{} to {}",
        opts.from.map_or("from the first".into(), |d| format!("from {d}")),
        opts.to.map_or("the last".into(), |d| d.to_string()),
        match opts.format {
            Format::Csv => "CSV",
            Format::Jsonl => "JSON lines",
        },
        if opts.pseudonymise { ", pseudonymised" } else { "" },
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    // A server store has no files beside it to protect.
    let mut file = path.map(|p| crate::outfile::OutFile::create(p, &[])).transpose()?;
    let n = store
        .disclose("export", &target, reason, chrono::Utc::now(), |s| match file.as_mut() {
            Some(f) => {
                let n = export_from(s, opts, f)?;
                f.flush().map_err(|source| output_error(f.path(), source))?;
                Ok(n)
            }
            None => export_from(s, opts, &mut crate::safe_out::TerminalSafe::new(std::io::stdout().lock())),
        })
        .map_err(CliError::Store)?;
    finish_output(file)?;
    writeln!(err, "Exported {n} {target}.{}", if synthetic { " SYNTHETIC DEMO DATA." } else { "" })?;
    Ok(())
}

/// `jdp copy --from postgres://… --to PATH`: the server's store into a new file (a training or
/// offline copy), marked there as a copy; both access logs say so. A file that cannot be made a
/// sound copy is removed again: it was made by this command.
fn copy_to_file(url: &str, path: &std::path::Path, out: &mut impl Write) -> Result<(), CliError> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(CliError::Input(format!(
            "{}: there is a file here already; jdp copies a server's store into a new file only",
            path.display()
        )));
    }
    let label = server_label(url);
    let mut server = PgStore::open(url).map_err(CliError::Store)?;
    let now = chrono::Utc::now();
    server
        .log_access("copy", &format!("the whole store, to the file {}", path.display()), "an embedded copy", now)
        .map_err(CliError::Store)?;
    let mut file = crate::store::Store::open(path).map_err(|e| CliError::store(path, e))?;
    let copied = server.copy_into(&mut file, &label).and_then(|c| {
        file.log_access(&actor(), "copy", &format!("the whole store, from {label}"), "an embedded copy", now)?;
        Ok(c)
    });
    let copied = match copied {
        Ok(c) => c,
        Err(e) => {
            drop(file);
            for f in crate::outfile::database_files(path) {
                let _ = std::fs::remove_file(f);
            }
            let mut marker = path.as_os_str().to_owned();
            marker.push(crate::store::MARKER_SUFFIX);
            let _ = std::fs::remove_file(marker);
            return Err(CliError::Store(e));
        }
    };
    writeln!(
        out,
        "Copied {} referral(s), {} record(s) and {} access-log entries from {label} to {}, marked as a copy; both \
         verify to {}.",
        copied.referrals,
        copied.records,
        copied.access_entries,
        path.display(),
        copied.head.minute()
    )?;
    Ok(())
}

/// The panel screen on a server: the same screen as on a file, its store the server's, writing
/// as the database login. Piped or scripted, a summary as on a file.
fn panel(cli: &Cli, url: &str, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let store = PgStore::open(url).map_err(CliError::Store)?;
    let login = store.user().to_string();
    let screen = super::screens::PanelScreen {
        journal: server_identity(url, &login),
        database: format!("{}, as {login}", server_label(url)),
        actor: login,
    };
    super::screens::panel_on(cli, p, Box::new(store), screen, out)
}
