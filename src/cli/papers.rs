//! `jdp scrutiny pack` and `jdp scrutiny minutes`: the scrutiny panel's papers, anonymised, each
//! written to the access log before it is disclosed.

use chrono::Utc;
use std::io::Write;
use std::path::Path;

use crate::report::papers::{PackCase, minutes_markdown, pack_cases, pack_html, simple_html};
use crate::scrutiny::SampleRecord;
use crate::store::Backend;

use super::*;

/// The sample asked for (or the latest) and its cases, anonymised. On a server each case is read
/// as a scrutiny login may read it (`scrutiny_cases`), never from the decision's body.
fn sample_cases(
    cli: &Cli,
    store: &mut dyn Backend,
    p: &PanelDefinition,
    sample: Option<i64>,
) -> Result<(i64, SampleRecord, Vec<PackCase>), CliError> {
    let stored = crate::scrutiny::stored_sample(&*store.as_chain(), sample).map_err(store_err(cli))?;
    let Some((seq, s)) = stored else {
        return Err(CliError::Input(match sample {
            Some(n) => format!("Record {n} is not a scrutiny sample (jdp sample lists and draws them)."),
            None => "No scrutiny sample yet: draw one first with jdp sample.".into(),
        }));
    };
    let cases = pack_cases(&s, |id| {
        store
            .anonymised_case(id, p)?
            .ok_or_else(|| crate::store::StoreError::Refused(format!("record {id} is not a decision")))
    })
    .map_err(store_err(cli))?;
    Ok((seq, s, cases))
}

pub(super) fn scrutiny_pack(cli: &Cli, sample: Option<i64>, path: &Path, err: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let mut store = super::server::open_existing_backend(cli)?;
    let (seq, s, cases) = sample_cases(cli, &mut *store, &p, sample)?;
    let html = pack_html(seq, &s, &cases, &p);
    let target = format!("review pack of sample {seq} to {}", path.display());
    let what = ("scrutiny paper", target.as_str(), "scrutiny panel papers");
    write_disclosed(cli, &mut *store, what, Some(path), html.as_bytes(), &mut std::io::sink())?;
    let n = crate::words::counted(cases.len() as u64, "case", "cases");
    writeln!(err, "Wrote the review pack of sample {seq} ({n}, anonymised) to {}.", path.display())?;
    Ok(())
}

pub(super) fn scrutiny_minutes(
    cli: &Cli,
    sample: Option<i64>,
    format: PaperFormat,
    path: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let mut store = super::server::open_existing_backend(cli)?;
    let (seq, s, cases) = sample_cases(cli, &mut *store, &p, sample)?;
    let chain = store.as_chain();
    let reviews = crate::scrutiny::reviews(&*chain).map_err(store_err(cli))?;
    let actions = crate::scrutiny::actions(&*chain, today()).map_err(store_err(cli))?;
    let blind = crate::scrutiny::blind_ratings(&*chain).map_err(store_err(cli))?;
    drop(chain);
    let md = minutes_markdown(seq, &s, &cases, &reviews, &actions, &blind, &p);
    let bytes = match format {
        PaperFormat::Md => md.into_bytes(),
        PaperFormat::Html => simple_html(&format!("Scrutiny minutes: sample {seq}"), &md).into_bytes(),
    };
    let target =
        format!("minutes of sample {seq} to {}", path.map_or("standard output".into(), |p| p.display().to_string()));
    write_disclosed(cli, &mut *store, ("scrutiny paper", &target, "scrutiny panel papers"), path, &bytes, out)?;
    if let Some(pth) = path {
        writeln!(err, "Wrote the minutes of sample {seq} to {}.", pth.display())?;
    }
    Ok(())
}

fn standing_text(st: &crate::domain::actions::Standing) -> String {
    use crate::domain::actions::{Closed, Standing};
    match st {
        Standing::Open { overdue: true } => "OVERDUE".into(),
        Standing::Open { overdue: false } => "open".into(),
        Standing::Closed(Closed::Done, note) => format!("done: {note}"),
        Standing::Closed(Closed::Dropped, note) => format!("dropped: {note}"),
    }
}

pub(super) fn scrutiny_actions(cli: &Cli, open_only: bool, out: &mut impl Write) -> Result<(), CliError> {
    let mut store = super::server::open_existing_backend(cli)?;
    let all = crate::scrutiny::actions(&*store.as_chain(), today()).map_err(store_err(cli))?;
    let shown: Vec<_> = all
        .iter()
        .filter(|(.., st)| !open_only || matches!(st, crate::domain::actions::Standing::Open { .. }))
        .collect();
    if shown.is_empty() {
        writeln!(out, "No {}actions.", if open_only { "open " } else { "" })?;
        return Ok(());
    }
    let head = ["Action", "Due", "Owner", "Status", "What"].map(String::from).to_vec();
    let rows = shown.into_iter().map(|(id, review, item, st)| {
        vec![
            id.clone(),
            item.due.format("%a %-d %b %Y").to_string(),
            item.owner.clone(),
            standing_text(st),
            format!("{} (sample {}, record {})", item.text, review.sample, review.decision),
        ]
    });
    out.write_all(aligned(std::iter::once(head).chain(rows).collect()).as_bytes())?;
    Ok(())
}

/// Rows as a plain-text table: every column but the last padded to its widest cell (in
/// characters), two spaces apart, so no long owner or status pushes the rest out of line.
fn aligned(rows: Vec<Vec<String>>) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|v| v.chars().count()).max().unwrap_or(0)).collect();
    let mut text = String::new();
    for row in rows {
        let last = row.len().saturating_sub(1);
        for (c, cell) in row.iter().enumerate() {
            text.push_str(cell);
            if c < last {
                text.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        text.push('\n');
    }
    text
}

pub(super) fn scrutiny_close(
    cli: &Cli,
    action: &str,
    close_as: CloseAs,
    note: &str,
    out: &mut impl Write,
) -> Result<(), CliError> {
    use crate::domain::actions::{ActionStatus, Closed};
    if note.trim().is_empty() {
        return Err(CliError::Input("--note: say what was done, or why the action is dropped".into()));
    }
    crate::domain::text::check_input(note, false).map_err(|e| CliError::Input(format!("--note: {e}")))?;
    let mut store = super::server::open_existing_backend(cli)?;
    let mut store = store.as_chain();
    let status = ActionStatus {
        action: action.trim().to_string(),
        status: match close_as {
            CloseAs::Done => Closed::Done,
            CloseAs::Dropped => Closed::Dropped,
        },
        note: note.trim().to_string(),
    };
    let rec = crate::scrutiny::close_action(&mut *store, &status, &actor(), Utc::now()).map_err(store_err(cli))?;
    writeln!(out, "Action {} closed as {:?} (record {}).", status.action, status.status, rec.seq)?;
    Ok(())
}

/// Reads a returned ratings file: every row checked (the record is in the sample, the rating is
/// on the panel's scale, a reviewer is named, no control characters), each problem located by
/// line and column; nothing is recorded unless every row is good.
pub(super) fn scrutiny_ratings(
    cli: &Cli,
    sample: Option<i64>,
    file: &Path,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let mut backend = super::server::open_existing_backend(cli)?;
    let mut store = backend.as_chain();
    let Some((seq, s)) = crate::scrutiny::stored_sample(&*store, sample).map_err(store_err(cli))? else {
        return Err(CliError::Input("No scrutiny sample yet: draw one first with jdp sample.".into()));
    };
    let (_, text) = crate::config::read_text(file)?;
    let name = file.display().to_string();
    use crate::domain::ratings::{self, COLUMNS};
    // Ratings already given, and cases already agreed: own ratings come before the agreed review.
    let mut own = crate::scrutiny::own_ratings(&*store, seq, &s).map_err(store_err(cli))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CliError::Input(format!("{name}:1: {e}")))?
        .iter()
        .map(str::to_lowercase)
        .collect();
    if headers.iter().map(String::as_str).ne(COLUMNS) {
        return Err(CliError::Input(format!(
            "{name}:1: expected the header {}, found {}",
            COLUMNS.join(","),
            headers.join(",")
        )));
    }
    let mut problems = Vec::new();
    let mut taken = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{name}:{line}: {e}"));
                continue;
            }
        };
        let col = |c: usize| row.get(c).unwrap_or("");
        let cols = [col(0), col(1), col(2), col(3), col(4)];
        match ratings::check(&cols, &own.against(&p, seq)) {
            Ok(t) => {
                own.given.push((t.decision, t.reviewer_key.clone(), Some(line)));
                taken.push(crate::scrutiny::BlindRating {
                    sample: seq,
                    decision: t.decision,
                    reviewer: cols[1].to_string(),
                    agency: t.agency,
                    rating: t.rating,
                    observations: cols[4].to_string(),
                });
            }
            Err(found) => {
                // A row with problems still counts for "once per reviewer", as typed.
                if let Ok(d) = cols[0].trim().parse::<i64>() {
                    own.given.push((d, ratings::reviewer_key(cols[1]), Some(line)));
                }
                for f in found {
                    problems.push(format!(
                        "{name}:{line}: column {} ({}): expected {}, found \"{}\"",
                        f.column + 1,
                        COLUMNS[f.column],
                        f.expected,
                        f.found
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        problems.push("Nothing was imported.".into());
        return Err(CliError::Input(problems.join("\n")));
    }
    crate::scrutiny::record_blind_ratings(&mut *store, &taken, &actor(), Utc::now()).map_err(store_err(cli))?;
    writeln!(out, "Recorded {} blind rating(s) for sample {seq} from {name}.", taken.len())?;
    Ok(())
}
