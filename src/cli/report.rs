//! `jdp report`: the board report.

use chrono::{NaiveDate, Utc};
use std::io::Write;
use std::path::Path;

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn report(
    cli: &Cli,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: ReportFormat,
    path: Option<&Path>,
    refs: &crate::report::board::References,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ()> {
    let p = open_panel(cli, err)?;
    let mut store = open_store(cli, err)?;
    let (q_from, q_to) = last_quarter(chrono::Local::now().date_naive());
    let (from, to) = (from.unwrap_or(q_from), to.unwrap_or(q_to));
    let r = crate::report::board::build_with(&store, &p, from, to, refs).map_err(store_err(cli, err))?;
    let mut bytes: Vec<u8> = Vec::new();
    match format {
        ReportFormat::Md => bytes.extend(crate::report::write::markdown(&r).into_bytes()),
        ReportFormat::Html => bytes.extend(crate::report::write::html(&r).into_bytes()),
        ReportFormat::Csv => crate::report::write::csv(&r, &mut bytes).map_err(|e| say(err, e))?,
    }
    let target = format!("board report {from} to {to} ({format:?})");
    let mut file = open_output(&store, path, err)?;
    store
        .disclose(&actor(), "report", &target, "scrutiny and board report", Utc::now(), |_| match file.as_mut() {
            Some(f) => f.write_all(&bytes).and_then(|()| f.flush()).map_err(|source| output_error(f.path(), source)),
            None => out.write_all(&bytes).map_err(|source| output_error(Path::new("standard output"), source)),
        })
        .map_err(store_err(cli, err))?;
    finish_output(file, err)?;
    if let Some(pth) = path {
        say(err, format!("Wrote the {format:?} report for {from} to {to} to {}.", pth.display()));
    }
    Ok(())
}
