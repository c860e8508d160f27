//! `jdp tasks`: the follow-up task board (every task of every recorded decision, its owner, due
//! date and where it stands) as a table, Markdown, CSV or an iCalendar file of the open tasks;
//! `jdp tasks done` and `jdp tasks not-needed` close a task with a record in the chain. The board
//! names referrals by reference, like the agenda, and is written to the access log.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::*;
use crate::domain::task_board::{BoardTask, Closed, Status, TaskEvent, day};
use crate::domain::text::{csv_cell, markdown_cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TasksFormat {
    /// A plain table for the terminal
    Table,
    Md,
    Csv,
    /// An iCalendar file: one all-day event per open task on its due date
    Ics,
}

/// Which tasks to show.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub overdue: bool,
    pub owner: Option<String>,
}

impl TaskFilter {
    fn keeps(&self, t: &BoardTask, panel: &PanelDefinition) -> bool {
        let owner_ok = self.owner.as_deref().is_none_or(|o| {
            let o = o.trim();
            t.owner.eq_ignore_ascii_case(o) || owner_name(t, panel).eq_ignore_ascii_case(o)
        });
        owner_ok && (!self.overdue || t.status == Status::Overdue)
    }
}

/// The owning agency's name from the panel definition (its id where the definition lacks it).
pub(crate) fn owner_name<'a>(t: &BoardTask, panel: &'a PanelDefinition) -> &'a str {
    panel.agency(t.owner).map_or(t.owner, |a| a.name.as_str())
}

pub(super) fn tasks(
    cli: &Cli,
    filter: &TaskFilter,
    format: TasksFormat,
    path: Option<&Path>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let panel = open_panel(cli)?;
    // A calendar file's lines end in CR LF, which the terminal-safe writer shows as text: an
    // .ics is written to a file, never to the screen or a pipe.
    if format == TasksFormat::Ics && path.is_none() {
        return Err(CliError::Input(
            "--format ics writes a calendar file: name it with --out FILE (for example --out tasks.ics)".into(),
        ));
    }
    if let Some(o) = filter.owner.as_deref() {
        // The owners tasks have (`task_board::owner`), by id or by the panel's name for them.
        let owners: Vec<(&str, &str)> = crate::domain::task_board::OWNERS
            .into_iter()
            .map(|id| (id, panel.agency(id).map_or(id, |a| a.name.as_str())))
            .collect();
        let o = o.trim();
        if !owners.iter().any(|(id, name)| id.eq_ignore_ascii_case(o) || name.eq_ignore_ascii_case(o)) {
            let known: Vec<String> = owners.iter().map(|(id, name)| format!("{id} ({name})")).collect();
            return Err(CliError::Input(format!(
                "--owner: expected an owner of tasks, one of {}; found \"{o}\"",
                known.join(", ")
            )));
        }
    }
    let mut store = super::server::open_existing_backend(cli)?;
    let on = today();
    let board = store.task_board(on).map_err(store_err(cli))?;
    let shown: Vec<&BoardTask> = board.iter().filter(|t| filter.keeps(t, &panel)).collect();
    let text = match format {
        TasksFormat::Table => table(&shown, &panel, on),
        TasksFormat::Md => markdown(&shown, &panel, on),
        TasksFormat::Csv => csv_text(&shown, &panel)?,
        TasksFormat::Ics => {
            let store_id = store.store_id().map_err(store_err(cli))?;
            ics(&shown, &panel, &store_id, Utc::now())
        }
    };
    let target = format!(
        "task board on {on}: {} task(s), {}",
        shown.len(),
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    write_disclosed(
        cli,
        &mut *store,
        ("tasks", &target, "following up the panel's decisions"),
        path,
        text.as_bytes(),
        out,
    )
}

pub(super) fn close_task(
    cli: &Cli,
    id: &str,
    closed: Closed,
    by: Option<&str>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let by = by.map_or_else(actor, str::to_string);
    crate::domain::text::check_input(&by, false).map_err(|e| CliError::Input(format!("--by: {e}")))?;
    if let Closed::NotNeeded { reason } = &closed {
        crate::domain::text::check_input(reason, true).map_err(|e| CliError::Input(format!("--reason: {e}")))?;
    }
    let mut store = super::server::open_existing_backend(cli)?;
    let on = today();
    let event = TaskEvent { referral_id: 0, decision: 0, task: String::new(), closed, by, on };
    let rec = store.close_task(id, event, &actor(), Utc::now()).map_err(store_err(cli))?;
    // Where the task stands now, as the board derives it.
    let board = store.task_board(on).map_err(store_err(cli))?;
    let status = board.iter().find(|t| t.id == id).map_or_else(|| "closed".to_string(), BoardTask::status_label);
    writeln!(out, "Task {id}: {status} (record {}).", rec.seq).map_err(CliError::stdout)?;
    Ok(())
}

fn status_text(t: &BoardTask) -> String {
    t.status_label()
}

/// The board as a plain table: reference, task, owner, due (with weekday), status.
pub(crate) fn table(tasks: &[&BoardTask], panel: &PanelDefinition, on: chrono::NaiveDate) -> String {
    let mut s = String::new();
    let overdue = tasks.iter().filter(|t| t.status == Status::Overdue).count();
    let open = tasks.iter().filter(|t| t.status.is_open()).count();
    let _ = writeln!(s, "Tasks on {}: {open} open, {overdue} overdue.", day(on));
    if tasks.is_empty() {
        s.push_str("No tasks.\n");
        return s;
    }
    let w = |f: &dyn Fn(&BoardTask) -> usize, head: &str| tasks.iter().map(|t| f(t)).max().unwrap_or(0).max(head.len());
    let (wi, wr, wo) = (
        w(&|t| t.id.chars().count(), "Id"),
        w(&|t| t.reference.chars().count(), "Reference"),
        w(&|t| owner_name(t, panel).chars().count(), "Owner"),
    );
    let _ = writeln!(s, "{:<wi$}  {:<wr$}  {:<wo$}  {:<16} {:<10} Task", "Id", "Reference", "Owner", "Due", "Status");
    for t in tasks {
        let _ = writeln!(
            s,
            "{:<wi$}  {:<wr$}  {:<wo$}  {:<16} {:<10} {}",
            t.id,
            t.reference,
            owner_name(t, panel),
            day(t.due),
            t.status.short(),
            t.description
        );
        if !t.status.is_open() || !t.letters.is_empty() {
            let _ = writeln!(s, "{:<wi$}  {}", "", status_text(t));
        }
    }
    s
}

pub(crate) fn markdown(tasks: &[&BoardTask], panel: &PanelDefinition, on: chrono::NaiveDate) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Follow-up tasks on {}\n", day(on));
    s.push_str("| Id | Reference | Task | Owner | Due | Status |\n|---|---|---|---|---|---|\n");
    for t in tasks {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            markdown_cell(&t.id),
            markdown_cell(&t.reference),
            markdown_cell(&t.description),
            markdown_cell(owner_name(t, panel)),
            day(t.due),
            markdown_cell(&status_text(t))
        );
    }
    s
}

fn csv_text(tasks: &[&BoardTask], panel: &PanelDefinition) -> Result<String, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| CliError::Input(format!("cannot write the CSV: {e}"));
    w.write_record(["id", "reference", "task", "description", "owner", "due", "status", "by", "on", "reason"])
        .map_err(bad)?;
    for t in tasks {
        let due = t.due.to_string();
        let (by, on, reason) = match &t.status {
            Status::Done { by, on } => (by.as_str(), on.to_string(), ""),
            Status::NotNeeded { reason } => ("", String::new(), reason.as_str()),
            Status::Due | Status::Overdue => ("", String::new(), ""),
        };
        let row = [
            t.id.as_str(),
            t.reference.as_str(),
            t.kind.as_str(),
            t.description.as_str(),
            owner_name(t, panel),
            due.as_str(),
            t.status.short(),
            by,
            on.as_str(),
            reason,
        ];
        w.write_record(row.iter().map(|c| csv_cell(c).into_owned())).map_err(bad)?;
    }
    let bytes = w.into_inner().map_err(|e| CliError::Input(format!("cannot write the CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Text for an iCalendar value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, a line
/// break as `\n`, other control characters dropped.
pub(crate) fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || crate::domain::text::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (RFC 5545 §3.1), never inside a character, ended CRLF.
pub(crate) fn ics_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The tasks as an iCalendar file: an all-day event on each due date. An event is one
/// referral's task of a kind: its UID carries the store's id (unique across stores: RFC 5545
/// §3.8.4.7), the referral and the kind, so a correction that carries the task forward or asks
/// it again updates the same event. SEQUENCE rises with each change (twice the decision's
/// record number, plus one once closed: a task closes once per decision, and a later decision
/// has a later number), and a closed task is STATUS:CANCELLED, so a calendar that imported an
/// earlier file drops it.
pub(crate) fn ics(tasks: &[&BoardTask], panel: &PanelDefinition, store_id: &str, now: DateTime<Utc>) -> String {
    let mut s = String::new();
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//jdp//follow-up tasks//EN", "CALSCALE:GREGORIAN"] {
        s.push_str(&ics_line(l));
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for t in tasks {
        let end = t.due.succ_opt().unwrap_or(t.due);
        let summary = format!("{} ({})", t.description, t.reference);
        let open = t.status.is_open();
        let description = if open {
            format!("Owner: {}. Task {} (jdp tasks done {}).", owner_name(t, panel), t.id, t.id)
        } else {
            format!("Owner: {}. Task {}: {}.", owner_name(t, panel), t.id, t.status.short())
        };
        for l in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:jdp-{}-referral-{}-{}@jdp", ics_text(store_id), t.referral_id, ics_text(&t.kind)),
            format!("SEQUENCE:{}", 2 * t.decision + i64::from(!open)),
            format!("STATUS:{}", if open { "CONFIRMED" } else { "CANCELLED" }),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", t.due.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
            format!("SUMMARY:{}", ics_text(&summary)),
            format!("DESCRIPTION:{}", ics_text(&description)),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ] {
            s.push_str(&ics_line(&l));
        }
    }
    s.push_str(&ics_line("END:VCALENDAR"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_text_escapes_what_rfc_5545_says() {
        assert_eq!(ics_text("a;b,c\\d\ne\u{7}f"), "a\\;b\\,c\\\\d\\ne\u{0}f".replace('\u{0}', ""));
    }

    #[test]
    fn ics_lines_fold_at_75_octets_between_characters() {
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = ics_line(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }
}
