//! Decision export for scrutiny and analysis, as CSV or JSON lines. Pseudonymised exports swap
//! names and references for keyed pseudonyms (HMAC-SHA-256 under a key that stays in the
//! database), drop dates of birth, and scrub those identifiers from free text.

use std::io::Write;

use chrono::NaiveDate;
use hmac::{KeyInit, Mac};
use serde::Serialize;

use crate::domain::record::DecisionSnapshot;
use crate::redact;
use crate::store::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    pub pseudonymise: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One exported decision. Field order is the CSV column order (documented in the README).
#[derive(Debug, Serialize)]
pub struct ExportRow {
    pub record: i64,
    pub status: &'static str,
    pub supersedes: Option<i64>,
    pub correction_reason: String,
    pub reference: String,
    pub child_name: String,
    pub date_of_birth: String,
    pub age_at_offence: Option<u32>,
    pub sex: String,
    pub ethnicity: String,
    pub looked_after: bool,
    pub offence: String,
    pub offence_group: String,
    pub offence_date: String,
    pub referral_date: String,
    pub decided_on: String,
    pub days_offence_to_referral: Option<i64>,
    pub days_referral_to_decision: i64,
    pub response: String,
    pub previous_outcomes: usize,
    pub base_score: u8,
    pub final_score: u8,
    pub indicated_outcome: String,
    pub outcome: String,
    pub departure: bool,
    pub police_view: String,
    pub yjs_view: String,
    pub disagreement: bool,
    pub inspector_authority: bool,
    pub inspector_rank: String,
    /// Empty in a pseudonymised export (a named adult).
    pub inspector_name: String,
    /// Each condition, separated by "; ".
    pub conditions: String,
    pub interventions: String,
    pub victim_status: &'static str,
    pub rationale: String,
    pub synthetic: bool,
    pub recorded_at: String,
    pub hash: String,
}

impl ExportRow {
    /// Every text cell made safe to open in a spreadsheet (see `domain::text::csv_cell`).
    fn for_spreadsheet(mut self) -> Self {
        use crate::domain::text::csv_cell;
        for cell in [
            &mut self.correction_reason,
            &mut self.reference,
            &mut self.child_name,
            &mut self.date_of_birth,
            &mut self.sex,
            &mut self.ethnicity,
            &mut self.offence,
            &mut self.offence_group,
            &mut self.offence_date,
            &mut self.referral_date,
            &mut self.decided_on,
            &mut self.response,
            &mut self.indicated_outcome,
            &mut self.outcome,
            &mut self.police_view,
            &mut self.yjs_view,
            &mut self.inspector_rank,
            &mut self.inspector_name,
            &mut self.conditions,
            &mut self.interventions,
            &mut self.rationale,
            &mut self.recorded_at,
            &mut self.hash,
        ] {
            if let std::borrow::Cow::Owned(safe) = csv_cell(cell) {
                *cell = safe;
            }
        }
        self
    }
}

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

struct Pseudonymiser {
    key: Vec<u8>,
}

impl Pseudonymiser {
    fn make(&self, kind: &str, value: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        let tag = hex::encode(mac.finalize().into_bytes());
        format!("{}-{}", kind.to_uppercase(), &tag[..12])
    }
}

/// One decision as the pseudonymised export shows it: the child's name and reference replaced
/// by their keyed pseudonyms and the free text scrubbed (for papers circulated beyond the panel).
pub fn pseudonymised_row(store: &Store, rec: &crate::store::RecordRow) -> Result<ExportRow> {
    let key = store.meta("pseudonym_key")?.ok_or_else(|| StoreError::Refused("no pseudonym key".into()))?;
    pseudonymised_row_with(&key, rec)
}

/// `pseudonymised_row` with the store's pseudonym key already read.
pub fn pseudonymised_row_with(key: &str, rec: &crate::store::RecordRow) -> Result<ExportRow> {
    let p = Pseudonymiser { key: hex::decode(key).map_err(|e| StoreError::Refused(e.to_string()))? };
    Ok(row_from(
        rec.seq,
        rec.supersedes,
        rec.superseded_by.is_some(),
        rec.correction_reason.clone(),
        &rec.snapshot,
        rec.synthetic,
        rec.recorded_at.clone(),
        rec.hash.clone(),
        Some(&p),
    ))
}

fn row_from(
    seq: i64,
    supersedes: Option<i64>,
    superseded: bool,
    correction_reason: Option<String>,
    snap: &DecisionSnapshot,
    synthetic: bool,
    recorded_at: String,
    hash: String,
    pseudo: Option<&Pseudonymiser>,
) -> ExportRow {
    let r = &snap.case.referral;
    let d = &snap.case.decision;
    let offence_date = r.offence_date();
    let mut row = ExportRow {
        record: seq,
        status: if superseded { "superseded" } else { "current" },
        supersedes,
        correction_reason: correction_reason.unwrap_or_default(),
        reference: r.reference.clone(),
        child_name: r.child.name.clone(),
        date_of_birth: r.child.date_of_birth.to_string(),
        age_at_offence: r.age_at_offence(),
        sex: r.child.sex.label().to_string(),
        ethnicity: r.child.ethnicity.clone(),
        looked_after: r.child.looked_after.is_some(),
        offence: snap.score.offence.clone(),
        offence_group: snap.score.group.clone(),
        offence_date: offence_date.map(|d| d.to_string()).unwrap_or_default(),
        referral_date: r.referral_date.to_string(),
        decided_on: snap.decided_on.to_string(),
        days_offence_to_referral: offence_date.map(|o| (r.referral_date - o).num_days()),
        days_referral_to_decision: (snap.decided_on - r.referral_date).num_days(),
        response: r.response.label().to_string(),
        previous_outcomes: r.previous_outcomes.len(),
        base_score: snap.score.base,
        final_score: snap.score.final_score,
        indicated_outcome: snap.score.indicated.clone().unwrap_or_default(),
        outcome: snap.outcome().to_string(),
        departure: snap.score.departure,
        police_view: d.view_of("police").map(|v| v.outcome.clone()).unwrap_or_default(),
        yjs_view: d.view_of("yjs").map(|v| v.outcome.clone()).unwrap_or_default(),
        disagreement: snap.disagreement(),
        inspector_authority: snap.inspector_authority(),
        inspector_rank: snap.case.gravity.inspector.as_ref().map(|i| i.rank.clone()).unwrap_or_default(),
        inspector_name: snap.case.gravity.inspector.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
        conditions: d.conditions.join("; "),
        interventions: d.interventions.join("; "),
        victim_status: snap.victim_status(),
        rationale: d.rationale.clone(),
        synthetic,
        recorded_at,
        hash,
    };
    if r.child.name == crate::domain::erasure::ERASED {
        // Erased after retention: nothing left to pseudonymise, and no date of birth to show.
        row.date_of_birth = crate::domain::erasure::ERASED.to_string();
        if pseudo.is_some() {
            row.reference = pseudo.map(|p| p.make("r", &r.reference)).unwrap_or_default();
        }
        return row;
    }
    if let Some(p) = pseudo {
        // Keyed on identity (name and date of birth), not the name alone.
        let child = p.make("c", &crate::domain::scrub::identity_key(&r.child));
        let reference = p.make("r", &r.reference);
        let pairs = redact::identifiers(&snap.case, &redact::Replace { name: &child, reference: Some(&reference) });
        let clean = |s: &str| redact::apply(s, &pairs);
        row.rationale = clean(&row.rationale);
        row.correction_reason = clean(&row.correction_reason);
        row.conditions = clean(&row.conditions);
        row.interventions = clean(&row.interventions);
        row.inspector_name = String::new();
        row.child_name = child;
        row.reference = reference;
        row.date_of_birth = String::new();
    }
    row
}

/// Writes every decision in the period; returns how many. Logged by the caller.
pub fn export(store: &Store, opts: &ExportOptions, out: &mut dyn Write) -> Result<u64> {
    export_from(&mut &*store, opts, out)
}

/// `export` from either backend (`store::DecisionSource`).
pub fn export_from(
    store: &mut dyn crate::store::DecisionSource,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> Result<u64> {
    let pseudo = if opts.pseudonymise {
        let key = store.pseudonym_key()?.ok_or_else(|| StoreError::Refused("no pseudonym key".into()))?;
        Some(Pseudonymiser { key: hex::decode(key).map_err(|e| StoreError::Refused(e.to_string()))? })
    } else {
        None
    };
    let io = |e: std::io::Error| StoreError::Refused(format!("could not write the export: {e}"));
    enum Sink<'w> {
        Csv(csv::Writer<&'w mut dyn Write>),
        Jsonl(&'w mut dyn Write),
    }
    let mut sink = match opts.format {
        Format::Csv => Sink::Csv(csv::Writer::from_writer(out)),
        Format::Jsonl => Sink::Jsonl(out),
    };
    let mut line: Vec<u8> = Vec::new();
    let n = store.each_decision(opts.from, opts.to, &mut |rec| {
        let row = row_from(
            rec.seq,
            rec.supersedes,
            rec.superseded_by.is_some(),
            rec.correction_reason,
            &rec.snapshot,
            rec.synthetic,
            rec.recorded_at,
            rec.hash,
            pseudo.as_ref(),
        );
        // The age as recorded (it outlives the date of birth's erasure after retention).
        let row = ExportRow {
            age_at_offence: rec.age_at_offence.and_then(|a| u32::try_from(a).ok()).or(row.age_at_offence),
            ..row
        };
        match &mut sink {
            Sink::Csv(w) => w
                .serialize(row.for_spreadsheet())
                .map_err(|e| StoreError::Refused(format!("could not write the export: {e}")))?,
            Sink::Jsonl(w) => {
                line.clear();
                serde_json::to_writer(&mut line, &row).map_err(|e| StoreError::Refused(e.to_string()))?;
                line.push(b'\n');
                w.write_all(&line).map_err(io)?;
            }
        }
        Ok(())
    })?;
    match &mut sink {
        Sink::Csv(w) => w.flush().map_err(io)?,
        Sink::Jsonl(w) => w.flush().map_err(io)?,
    }
    Ok(n)
}
