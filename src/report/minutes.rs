//! The minutes of a panel meeting (a sitting on one date): who chaired, who was present by
//! agency, apologies and observers, the confidentiality statement, each referral decided (the
//! decision, the rationale, its follow-up tasks) and the chain's head after the meeting, as
//! `SEQ:HASH`, the value `jdp verify --expect` checks. Pseudonymised, the children's names,
//! references and identifiers in free text are replaced through the export's keyed pseudonyms.
//! (Distinct from the scrutiny panel's minutes, `jdp scrutiny minutes`.)

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::PanelDefinition;
use crate::domain::referral::PanelSession;
use crate::domain::task_board::{OwnTask, day};
use crate::domain::text::markdown_line;
use crate::store::{Backend, RecordRow, Result, StoreError};

/// Read out at the start of every panel and minuted.
pub const CONFIDENTIALITY: &str = "The panel's papers and discussion are confidential. They are shared \
     only among the agencies present, for the purpose of deciding the outcome for each child, under \
     the local information-sharing agreement. They must not be passed on without the chair's agreement.";

/// The minutes in Markdown for the sitting on `on`.
pub fn markdown(store: &mut dyn Backend, panel: &PanelDefinition, on: NaiveDate, pseudonymise: bool) -> Result<String> {
    let session = store.session_on(on)?.unwrap_or(PanelSession { held_on: Some(on), ..Default::default() });
    let decided = store.decisions_on(on)?;
    let key = if pseudonymise {
        Some(store.pseudonym_key()?.ok_or_else(|| StoreError::Refused("no pseudonym key".into()))?)
    } else {
        None
    };
    // As at the meeting: its last decision or correction is the head, and every task's state
    // is the one at that head (a later record changes neither).
    let head = store.sitting_head(on)?;
    let (decisions, events) = match &head {
        Some((seq, _)) => store.task_inputs_at(*seq)?,
        None => (Vec::new(), Vec::new()),
    };
    let head_seq = head.as_ref().map_or(0, |(seq, _)| *seq);
    let mut s = String::new();
    let _ = writeln!(s, "# Minutes of the joint decision panel, {}\n", day(on));
    let _ = writeln!(s, "{} · {}\n", markdown_line(&panel.panel.name), markdown_line(&panel.panel.area));
    if store.is_synthetic()? {
        s.push_str("**SYNTHETIC DEMO DATA**\n\n");
    }
    let chair = if session.chair.trim().is_empty() { "not recorded" } else { session.chair.trim() };
    let _ = writeln!(s, "**Chair:** {}\n", markdown_line(chair));
    s.push_str("## Present\n\n");
    if session.members.iter().all(|m| !m.is_someone()) {
        s.push_str("- No members recorded for this sitting.\n");
    }
    for a in &panel.agencies {
        for m in session.members.iter().filter(|m| m.is_someone() && m.agency == a.id) {
            let role = if m.role.trim().is_empty() { String::new() } else { format!(", {}", m.role.trim()) };
            let _ =
                writeln!(s, "- {}: {}{}", markdown_line(&a.name), markdown_line(m.name.trim()), markdown_line(&role));
        }
    }
    for m in session.members.iter().filter(|m| m.is_someone() && panel.agency(&m.agency).is_none()) {
        let _ = writeln!(s, "- {}: {}", markdown_line(&m.agency), markdown_line(m.name.trim()));
    }
    s.push('\n');
    let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { markdown_line(&v.join(", ")) };
    let _ = writeln!(s, "**Apologies:** {}\n", list(&session.apologies));
    let _ = writeln!(s, "**Observers:** {}\n", list(&session.observers));
    s.push_str("## Confidentiality\n\n");
    let _ = writeln!(s, "{CONFIDENTIALITY}\n");
    let _ = writeln!(s, "## Referrals decided ({})\n", decided.len());
    if decided.is_empty() {
        s.push_str("No decisions were recorded at this sitting.\n\n");
    }
    let own_tasks = crate::domain::task_board::OwnTasks::new(&decisions, &events, on);
    for r in &decided {
        let own = own_tasks.of(r.seq);
        let superseded = r.superseded_by.filter(|by| *by <= head_seq);
        write_referral(&mut s, key.as_deref(), panel, r, superseded, &own)?;
    }
    s.push_str("## The record after the meeting\n\n");
    match head {
        Some((seq, hash)) => {
            let _ = writeln!(
                s,
                "Chain head after the meeting: **{seq}:{hash}**\n\nAnyone can check the record still passes through it with `jdp verify --expect {seq}:{hash}`.\n"
            );
        }
        None => s.push_str("Nothing was recorded on this date.\n\n"),
    }
    Ok(s)
}

/// One referral decided at the sitting; pseudonymised by the export's keyed pseudonyms where
/// `key` is given.
fn write_referral(
    s: &mut String,
    key: Option<&str>,
    panel: &PanelDefinition,
    r: &RecordRow,
    superseded: Option<i64>,
    own: &[OwnTask],
) -> Result<()> {
    let snap = &r.snapshot;
    let outcome = panel.outcome(snap.outcome()).map_or(snap.outcome().to_string(), |o| o.label.clone());
    let (who, reference, rationale, correction, scrub): (String, String, String, String, Box<dyn Fn(&str) -> String>) =
        if let Some(key) = key {
            let row = crate::report::export::pseudonymised_row_with(key, r)?;
            let pairs = crate::redact::identifiers(
                &snap.case,
                &crate::redact::Replace { name: &row.child_name, reference: Some(&row.reference) },
            );
            (
                row.child_name.clone(),
                row.reference.clone(),
                row.rationale.clone(),
                row.correction_reason.clone(),
                Box::new(move |t: &str| crate::redact::apply(t, &pairs)),
            )
        } else {
            (
                snap.case.referral.child.name.clone(),
                snap.case.referral.reference.clone(),
                snap.case.decision.rationale.clone(),
                r.correction_reason.clone().unwrap_or_default(),
                Box::new(|t: &str| t.to_string()),
            )
        };
    let _ = writeln!(s, "### {} — {} (record {})\n", markdown_line(&reference), markdown_line(&who), r.seq);
    let _ = writeln!(s, "- Decision: {} ({})", markdown_line(&outcome), markdown_line(snap.outcome()));
    if let Some(of) = r.supersedes {
        let _ = writeln!(s, "- Corrects record {of}: {}", markdown_line(&correction));
    }
    if let Some(by) = superseded {
        let _ = writeln!(s, "- Corrected at the meeting by record {by}");
    }
    if snap.score.departure {
        s.push_str("- Departs from the gravity matrix\n");
    }
    let _ = writeln!(s, "- Rationale: {}", markdown_line(&rationale));
    // The tasks this decision created, as they stood at the meeting's head.
    if own.is_empty() {
        s.push_str("- Tasks: none\n");
    } else {
        for o in own {
            let t = &o.task;
            let owner = panel.agency(t.owner).map_or(t.owner, |a| a.name.as_str());
            let status = match o.carried_to {
                Some(n) => format!("carried forward to record {n}: {}", t.status_label()),
                None => t.status_label(),
            };
            let _ = writeln!(
                s,
                "- Task: {} — {}, due {} ({})",
                markdown_line(&scrub(&t.description)),
                markdown_line(owner),
                day(t.due),
                markdown_line(&scrub(&status))
            );
        }
    }
    s.push('\n');
    Ok(())
}
