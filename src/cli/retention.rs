//! `jdp retention`: the referrals and decisions past the panel's retention period
//! (`records.retention_months`), and `--erase` to erase the child's personal details from them.
//! Nothing personal is printed: references, record numbers and dates only.

use std::io::{BufRead, Write};

use chrono::Utc;

use super::*;
use crate::store::Due;

fn decided(d: &Due) -> String {
    match d.decided_on {
        Some(on) => on.to_string(),
        None => format!("none (referred {})", d.referral_date),
    }
}

fn records(d: &Due) -> String {
    if d.records.is_empty() { "-".into() } else { list(&d.records) }
}

fn state(d: &Due) -> String {
    let old = if d.needs_link.is_empty() {
        String::new()
    } else {
        format!(
            "; record(s) {} hold details in their hashed content (erased through a linked erasure record)",
            list(&d.needs_link)
        )
    };
    let s = if d.erased { "erased after retention" } else { "due for erasure" };
    format!("{s}{old}")
}

/// Record numbers, the first few of a long list.
fn list(v: &[i64]) -> String {
    const SHOW: usize = 12;
    let shown = v.iter().take(SHOW).map(i64::to_string).collect::<Vec<_>>().join(", ");
    if v.len() > SHOW { format!("{shown}, … ({} in all)", count(v.len() as u64)) } else { shown }
}

fn print_list(due: &[Due], out: &mut impl Write) -> Result<(), CliError> {
    writeln!(out, "  {:<20} {:<14} {:<30} {:<16} State", "Reference", "Records", "Decided", "Retention ended")?;
    for d in due {
        writeln!(
            out,
            "  {:<20} {:<14} {:<30} {:<16} {}",
            d.reference,
            records(d),
            decided(d),
            d.ended_on.to_string(),
            state(d)
        )?;
    }
    Ok(())
}

pub(super) fn retention(cli: &Cli, erase: bool, reason: &str, yes: bool, out: &mut impl Write) -> Result<(), CliError> {
    let p = open_panel(cli)?;
    let months = p.records.retention_months;
    let mut store = super::server::open_backend(cli)?;
    let today = today();
    let due = store.retention_due(months, today).map_err(store_err(cli))?;
    let pending: Vec<&Due> = due.iter().filter(|d| !d.erased).collect();
    writeln!(
        out,
        "Retention: {months} months from the decision (or the referral, if undecided), as {} sets (records.retention_months).",
        panel_source(cli)
    )?;
    if due.is_empty() {
        writeln!(out, "Nothing is past retention on {today}.")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} referral(s) past retention on {today}; {} due for erasure, {} erased already:",
        count(due.len() as u64),
        count(pending.len() as u64),
        count((due.len() - pending.len()) as u64)
    )?;
    print_list(&due, out)?;
    if !erase {
        if !pending.is_empty() {
            writeln!(out, "To erase the children's personal details from these: jdp retention --erase --reason \"…\"")?;
        }
        return Ok(());
    }
    if pending.is_empty() {
        writeln!(out, "Nothing left to erase.")?;
        return Ok(());
    }
    // Erasing over a chain that no longer verifies would hide what was done to it.
    if let Err(f) = store.verify().map_err(store_err(cli))? {
        return Err(CliError::Failed(format!("FAILED: {f}. Nothing was erased: find out why the chain fails first.")));
    }
    if !yes {
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Err(CliError::Input(
                "--erase asks for confirmation on a terminal; in a script, add --yes. Nothing was erased.".into(),
            ));
        }
        write!(
            out,
            "Erase the children's personal details from {} referral(s), their drafts and decisions? This cannot be undone. Type yes to erase: ",
            count(pending.len() as u64)
        )?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(CliError::Terminal)?;
        if answer.trim() != "yes" {
            writeln!(out, "Nothing was erased.")?;
            return Ok(());
        }
    }
    let done = match store.erase_after_retention(months, today, &actor(), reason, Utc::now()) {
        Ok(done) => done,
        // On a server no role may change a record: the panel's owner erases.
        Err(crate::store::StoreError::NotPermitted(m)) if store.login().is_some() => {
            return Err(CliError::Input(format!(
                "{m}: on a server, erasure after retention is done by the panel's owner (who ran jdp server init). \
                 Nothing was erased."
            )));
        }
        Err(e) => return Err(store_err(cli)(e)),
    };
    writeln!(
        out,
        "Erased the personal details of {} referral(s) and {} record(s) ({}); logged in the access log.",
        count(done.referrals.len() as u64),
        count(done.records.len() as u64),
        if done.records.is_empty() { "no records".to_string() } else { format!("records {}", list(&done.records)) }
    )?;
    if !done.linked.is_empty() {
        let (erased, links): (Vec<i64>, Vec<i64>) = done.linked.iter().copied().unzip();
        writeln!(
            out,
            "Record(s) {} held details in their hashed content (recorded before format 2, a correction's reason, \
             or scrutiny's observations): erased through linked erasure record(s) {}, which vouch for them.",
            list(&erased),
            list(&links)
        )?;
    }
    match store.verify().map_err(store_err(cli))? {
        Ok(r) => writeln!(out, "ok: verify still passes ({} record(s); head {})", count(r.checked as u64), r.minute())?,
        Err(f) => return Err(CliError::Failed(format!("FAILED after erasure: {f}"))),
    }
    Ok(())
}
