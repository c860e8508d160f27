//! `jdp report`: the board report.

use std::io::Write;
use std::path::Path;

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn report(
    cli: &Cli,
    period: &Period,
    annual: Option<i32>,
    format: ReportFormat,
    path: Option<&Path>,
    (refs, quarters): (&crate::report::board::References, usize),
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let (from, to) = period.or_last_quarter(today())?;
    // A file or a server (one server database is one panel): the same report from the same chain.
    let mut store = super::server::open_existing_backend(cli)?;
    let mut r =
        crate::report::board::build_with(&*store.as_chain(), &p, from, to, refs, quarters).map_err(store_err(cli))?;
    r.annual = annual;
    let mut bytes: Vec<u8> = Vec::new();
    match format {
        ReportFormat::Md => bytes.extend(crate::report::write::markdown(&r).into_bytes()),
        ReportFormat::Html => bytes.extend(crate::report::write::html(&r).into_bytes()),
        ReportFormat::Csv => crate::report::write::csv(&r, &mut bytes)
            .map_err(|e| CliError::Input(format!("the CSV report could not be written: {e}")))?,
    }
    let name = match format {
        ReportFormat::Md => "Markdown",
        ReportFormat::Csv => "CSV",
        ReportFormat::Html => "HTML",
    };
    let target = format!("board report {from} to {to} ({name})");
    write_disclosed(cli, &mut *store, ("report", &target, "scrutiny and board report"), path, &bytes, out)?;
    if let Some(pth) = path {
        writeln!(err, "Wrote the {name} report for {from} to {to} to {}.", pth.display())?;
    }
    Ok(())
}
