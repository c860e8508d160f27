//! `jdp export`: recorded decisions out, logged before they are disclosed.

use crate::report::export::{ExportOptions, export};
use chrono::Utc;
use std::io::Write;
use std::path::Path;

use super::*;

pub(super) fn run_export(
    cli: &Cli,
    opts: &ExportOptions,
    path: Option<&Path>,
    reason: &str,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let mut store = open_existing_store(cli)?;
    let synthetic = store.is_synthetic().map_err(store_err(cli))?;
    let target = format!(
        "decisions {} to {}, {}{} to {}",
        opts.from.map_or("from the first".into(), |d| format!("from {d}")),
        opts.to.map_or("the last".into(), |d| d.to_string()),
        match opts.format {
            crate::report::export::Format::Csv => "CSV",
            crate::report::export::Format::Jsonl => "JSON lines",
        },
        if opts.pseudonymise { ", pseudonymised" } else { "" },
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    let mut file = open_output(&[&store], path)?;
    // The access-log entry and the disclosure are one transaction: no log, no export.
    let n = store
        .disclose(&actor(), "export", &target, reason, Utc::now(), |s| match file.as_mut() {
            Some(f) => {
                let n = export(s, opts, f)?;
                f.flush().map_err(|source| output_error(f.path(), source))?;
                Ok(n)
            }
            None => export(s, opts, &mut crate::safe_out::TerminalSafe::new(std::io::stdout().lock())),
        })
        .map_err(store_err(cli))?;
    finish_output(file)?;
    writeln!(err, "Exported {n} {target}.{}", if synthetic { " SYNTHETIC DEMO DATA." } else { "" })?;
    Ok(())
}

/// Writes `bytes` to the file named with `--out` (or standard output), logged in the same
/// transaction as the disclosure (no log, no disclosure); a failed file is removed.
pub(super) fn write_disclosed(
    cli: &Cli,
    store: &mut dyn crate::store::Backend,
    what: (&str, &str, &str),
    path: Option<&Path>,
    bytes: &[u8],
    out: &mut impl Write,
) -> Result<(), CliError> {
    write_disclosed_in(cli, &mut [store], what, path, bytes, out)
}

/// `write_disclosed` from several stores (a force-wide report): the disclosure is in each one's
/// access log, each logged in a transaction that commits only once the output is written.
pub(super) fn write_disclosed_in(
    cli: &Cli,
    stores: &mut [&mut dyn crate::store::Backend],
    what: (&str, &str, &str),
    path: Option<&Path>,
    bytes: &[u8],
    out: &mut impl Write,
) -> Result<(), CliError> {
    let mut file = open_output(&stores.iter().map(|s| &**s as &dyn crate::store::Backend).collect::<Vec<_>>(), path)?;
    let at = Utc::now();
    let mut write = || match file.as_mut() {
        Some(f) => f.write_all(bytes).and_then(|()| f.flush()).map_err(|source| output_error(f.path(), source)),
        None => out.write_all(bytes).map_err(|source| output_error(Path::new("standard output"), source)),
    };
    disclose_in_all(stores, what, at, &mut write).map_err(store_err(cli))?;
    finish_output(file)
}

fn disclose_in_all(
    stores: &mut [&mut dyn crate::store::Backend],
    what: (&str, &str, &str),
    at: chrono::DateTime<Utc>,
    write: &mut dyn FnMut() -> crate::store::Result<()>,
) -> crate::store::Result<()> {
    match stores.split_first_mut() {
        None => write(),
        Some((first, rest)) => first.disclose_with(&actor(), what, at, &mut || disclose_in_all(rest, what, at, write)),
    }
}

/// Opens the file a person named with `--out` (see `outfile`): never one of the databases
/// written from (a server's store has no file here to protect).
pub(super) fn open_output(
    stores: &[&dyn crate::store::Backend],
    path: Option<&Path>,
) -> Result<Option<crate::outfile::OutFile>, CliError> {
    let protected: Vec<_> =
        stores.iter().flat_map(|s| s.path().map(crate::outfile::database_files).unwrap_or_default()).collect();
    Ok(path.map(|p| crate::outfile::OutFile::create(p, &protected)).transpose()?)
}

pub(super) fn output_error(path: &Path, source: std::io::Error) -> crate::store::StoreError {
    crate::store::StoreError::Io { path: path.display().to_string(), source }
}

/// Syncs a finished output; on failure it is removed and the failure said.
pub(super) fn finish_output(file: Option<crate::outfile::OutFile>) -> Result<(), CliError> {
    match file {
        Some(f) => {
            let path = f.path().to_path_buf();
            f.finish().map_err(|source| CliError::Write { path, source, removed: true })
        }
        None => Ok(()),
    }
}
