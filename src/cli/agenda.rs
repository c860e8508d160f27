//! `jdp agenda`: the next panel's referrals (every one not yet decided), each with how long it
//! has waited, the YJS assessment's timescale and what the panel still lacks, so the YJS can
//! prepare before the meeting. Names no one: a referral is its reference, the child's age at the
//! offence and the offence. Written to the access log like every disclosure.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::domain::readiness::{self, G_ASSESSMENT_TIMESCALE, Readiness};
use crate::domain::referral::Referral;
use crate::store::ReferralStatus;

pub(super) fn agenda(
    cli: &Cli,
    on: Option<NaiveDate>,
    path: Option<&Path>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let panel = open_panel(cli)?;
    let on = on.unwrap_or_else(today);
    let mut store = super::server::open_existing_backend(cli)?;
    let synthetic = store.is_synthetic().map_err(store_err(cli))?;
    let pending = store.pending_referrals().map_err(store_err(cli))?;
    let items: Vec<Item> = pending
        .iter()
        .map(|row| {
            let case = row.case();
            let mut readiness = readiness::readiness(&case, &panel, on);
            // What the checks say is missing is read through privacy mode's scrubber, so no one
            // named in the case is named on the agenda whatever a finding comes to say.
            let scrub = crate::domain::scrub::Scrubber::for_privacy(&case);
            for m in &mut readiness.missing {
                for d in &mut m.details {
                    *d = scrub.apply(d);
                }
            }
            Item { referral: &row.referral, status: row.status, readiness }
        })
        .collect();
    let text = render(&items, &panel, on, synthetic);
    let target = format!(
        "agenda for the panel on {on}: {} referral(s), {}",
        items.len(),
        path.map_or("standard output".into(), |p| p.display().to_string())
    );
    write_disclosed(cli, &mut *store, ("agenda", &target, "preparing the panel's agenda"), path, text.as_bytes(), out)
}

pub(crate) struct Item<'a> {
    pub referral: &'a Referral,
    pub status: ReferralStatus,
    pub readiness: Readiness,
}

/// The agenda as plain text, in the order given (the store gives the longest waiting first).
pub(crate) fn render(items: &[Item], panel: &PanelDefinition, on: NaiveDate, synthetic: bool) -> String {
    let mut s = String::new();
    if synthetic {
        s.push_str("SYNTHETIC DEMO DATA\n");
    }
    let _ = writeln!(
        s,
        "Agenda for the panel on {on}: {} referral(s) awaiting a decision, longest waiting first.",
        items.len()
    );
    let _ = writeln!(
        s,
        "The YJS assessment is due within {} working days of the referral ({}).",
        panel.timescales.assessment_working_days,
        G_ASSESSMENT_TIMESCALE.split(':').next().unwrap_or(G_ASSESSMENT_TIMESCALE)
    );
    if items.is_empty() {
        s.push_str("\nNo referrals await a decision.\n");
    }
    for item in items {
        let r = item.referral;
        let age = r.age_at_offence().map_or("age not known".to_string(), |a| format!("aged {a}"));
        let offence = match r.offences.as_slice() {
            [] => "no offence recorded".to_string(),
            [one] => one.offence.clone(),
            [first, rest @ ..] => format!("{} and {} more", first.offence, rest.len()),
        };
        let ready = &item.readiness;
        let _ = writeln!(s, "\n{} · {age} · {offence} · {}", r.reference, item.status.label());
        let a = ready.assessment;
        let assessment = match a.completed {
            Some(done) if done <= on && a.completed_late() => format!("due {}, completed {done} (late)", a.due),
            Some(done) if done <= on => format!("due {}, completed {done}", a.due),
            _ if ready.assessment_overdue => format!("due {}: OVERDUE", a.due),
            _ => format!("due {}", a.due),
        };
        let _ = writeln!(
            s,
            "  referred {}, waiting {} · YJS assessment {assessment}",
            r.referral_date,
            match ready.days_waiting {
                1 => "1 day".to_string(),
                n => format!("{} days", crate::words::count(n as u64)),
            }
        );
        if ready.is_ready() {
            s.push_str("  Ready: everything the panel needs before it decides is recorded.\n");
            continue;
        }
        s.push_str("  Still needed before the panel can decide:\n");
        for m in &ready.missing {
            let label = m.what.label();
            let details: Vec<&str> = m
                .details
                .iter()
                .map(|d| d.strip_prefix(label).and_then(|d| d.strip_prefix(": ")).unwrap_or(d))
                .collect();
            let _ = writeln!(s, "  - {label}: {}", details.join("; "));
        }
    }
    s
}
