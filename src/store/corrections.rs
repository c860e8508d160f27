//! Corrections in progress: a correction is walked like a decision, so it is kept like a draft
//! (every change, at once) until it is recorded, when the recording transaction removes it.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::records::timestamp;
use super::{Result, Store, StoreError, json};
use crate::domain::referral::Case;

#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionDraft {
    pub supersedes: i64,
    pub reason: String,
    pub step: String,
    pub case: Case,
    pub saved_at: String,
}

impl Store {
    pub fn save_correction_draft(&mut self, referral_id: i64, d: &CorrectionDraft, at: DateTime<Utc>) -> Result<()> {
        let body = json(&d.case)?;
        let stamp = timestamp(at);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO correction_drafts (referral_id, supersedes, reason, step, body, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(referral_id) DO UPDATE SET supersedes = excluded.supersedes, reason = excluded.reason,
                   step = excluded.step, body = excluded.body, saved_at = excluded.saved_at",
                params![referral_id, d.supersedes, d.reason, d.step, body, stamp],
            )?;
            Ok(())
        })
    }

    pub fn correction_draft(&self, referral_id: i64) -> Result<Option<CorrectionDraft>> {
        let row: Option<(i64, String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT supersedes, reason, step, body, saved_at FROM correction_drafts WHERE referral_id = ?1",
                [referral_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        row.map(|(supersedes, reason, step, body, saved_at)| {
            let case = serde_json::from_str(&body)
                .map_err(|e| StoreError::Refused(format!("the correction in progress cannot be read: {e}")))?;
            Ok(CorrectionDraft { supersedes, reason, step, case, saved_at })
        })
        .transpose()
    }

    pub fn discard_correction_draft(&mut self, referral_id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM correction_drafts WHERE referral_id = ?1", [referral_id])?;
            Ok(())
        })
    }
}
