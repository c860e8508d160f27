//! Corrections in progress: a correction is walked like a decision, so it is kept like a draft
//! (every change, at once) until it is recorded, when the recording transaction removes it.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::records::timestamp;
use super::{DraftKind, Result, Store, StoreError, json};
use crate::domain::referral::Case;

#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionDraft {
    pub supersedes: i64,
    pub reason: String,
    pub step: String,
    pub case: Case,
    pub saved_at: String,
    /// Who saved this version (the store sets it; ignored when saving).
    pub saved_by: String,
}

impl Store {
    /// Saves a correction in progress over the version this screen last read (`correction_draft`)
    /// or saved, naming who saves it; `DraftChanged` if another screen saved (or recorded) a
    /// correction of this referral meanwhile, leaving theirs as it is.
    pub fn save_correction_draft(
        &mut self,
        referral_id: i64,
        d: &CorrectionDraft,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let body = json(&d.case)?;
        let stamp = timestamp(at);
        let expected = self.seen.borrow().version(DraftKind::Correction, referral_id);
        let version = self.write(|tx| {
            let version = super::referrals::next_version(tx, DraftKind::Correction, referral_id, expected)?;
            tx.execute(
                "INSERT INTO correction_drafts (referral_id, supersedes, reason, step, body, saved_at, version, saved_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(referral_id) DO UPDATE SET supersedes = excluded.supersedes, reason = excluded.reason,
                   step = excluded.step, body = excluded.body, saved_at = excluded.saved_at,
                   version = excluded.version, saved_by = excluded.saved_by",
                params![referral_id, d.supersedes, d.reason, d.step, body, stamp, version, by],
            )?;
            Ok(version)
        })?;
        self.seen.borrow_mut().saw(DraftKind::Correction, referral_id, Some(version));
        Ok(())
    }

    /// The correction in progress for a referral, if any; its version is the one this screen
    /// saves over next.
    pub fn correction_draft(&self, referral_id: i64) -> Result<Option<CorrectionDraft>> {
        let row: Option<(i64, String, String, String, String, i64, String)> = self
            .conn
            .query_row(
                "SELECT supersedes, reason, step, body, saved_at, version, saved_by
                 FROM correction_drafts WHERE referral_id = ?1",
                [referral_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )
            .optional()?;
        let Some((supersedes, reason, step, body, saved_at, version, saved_by)) = row else {
            self.seen.borrow_mut().saw(DraftKind::Correction, referral_id, None);
            return Ok(None);
        };
        let case = serde_json::from_str(&body)
            .map_err(|e| StoreError::Refused(format!("the correction in progress cannot be read: {e}")))?;
        self.seen.borrow_mut().saw(DraftKind::Correction, referral_id, Some(version));
        Ok(Some(CorrectionDraft { supersedes, reason, step, case, saved_at, saved_by }))
    }

    pub fn discard_correction_draft(&mut self, referral_id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM correction_drafts WHERE referral_id = ?1", [referral_id])?;
            Ok(())
        })?;
        self.seen.borrow_mut().saw(DraftKind::Correction, referral_id, None);
        Ok(())
    }
}
