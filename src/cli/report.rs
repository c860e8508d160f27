//! `jdp report`: the board report.

use std::io::Write;
use std::path::Path;

use super::*;

/// What a report covers beyond its period.
pub(super) struct ReportShape<'a> {
    pub refs: &'a crate::report::board::References,
    pub quarters: usize,
    /// Every panel on the server this login may read (`--force-wide`).
    pub force_wide: bool,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn report(
    cli: &Cli,
    period: &Period,
    annual: Option<i32>,
    format: ReportFormat,
    path: Option<&Path>,
    shape: &ReportShape,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let (from, to) = period.or_last_quarter(today())?;
    let (refs, quarters) = (shape.refs, shape.quarters);
    // A file or a server (one server database is one panel): the same report from the same
    // chain; force-wide, every panel's database on the server this login may read.
    let mut stores: Vec<Box<dyn crate::store::Backend>> = Vec::new();
    let mut r = if shape.force_wide {
        let (names, mut panels) = super::server::force_wide_panels(cli, "--force-wide reports")?;
        let r = {
            let chains: Vec<_> = panels.iter_mut().map(|s| s.chain()).collect();
            let named: Vec<(&str, &_)> = names.iter().map(String::as_str).zip(chains.iter()).collect();
            crate::report::board::build_force_wide(&named, &p, from, to, refs, quarters).map_err(CliError::Store)?
        };
        stores.extend(panels.into_iter().map(Into::into));
        r
    } else {
        stores.push(super::server::open_existing_backend(cli)?);
        crate::report::board::build_with(&*stores[0].as_chain(), &p, from, to, refs, quarters)
            .map_err(store_err(cli))?
    };
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
    let mut each: Vec<&mut dyn crate::store::Backend> =
        stores.iter_mut().map(|s| s.as_mut() as &mut dyn crate::store::Backend).collect();
    write_disclosed_in(cli, &mut each, ("report", &target, "scrutiny and board report"), path, &bytes, out)?;
    if let Some(pth) = path {
        writeln!(err, "Wrote the {name} report for {from} to {to} to {}.", pth.display())?;
    }
    Ok(())
}
