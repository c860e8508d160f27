//! Referrals and their drafts. A draft is the in-progress case, saved on every step change so a
//! panel that loses power resumes where it stopped; it is replaced, never chained.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::records::timestamp;
use super::{Result, Store, StoreError, json};
use crate::domain::referral::{Case, Referral};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralStatus {
    New,
    InProgress,
    Decided,
    Corrected,
}

impl ReferralStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in progress",
            Self::Decided => "decided",
            Self::Corrected => "corrected",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReferralRow {
    pub id: i64,
    pub referral: Referral,
    pub status: ReferralStatus,
    pub synthetic: bool,
}

#[derive(Debug, Clone)]
pub struct Draft {
    pub step: String,
    pub case: Case,
    pub saved_at: String,
}

pub(crate) fn insert_referral(
    tx: &rusqlite::Transaction,
    r: &Referral,
    synthetic: bool,
    added_at: &str,
) -> Result<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO referrals (reference, age_at_offence, offence, offence_date, referral_date, synthetic, body, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let offence = r.offences.first().map(|o| o.offence.as_str()).unwrap_or_default();
    let offence_date = r.offence_date().map(|d| d.to_string()).unwrap_or_default();
    stmt.execute(params![
        r.reference,
        r.age_at_offence().unwrap_or(0),
        offence,
        offence_date,
        r.referral_date.to_string(),
        synthetic,
        json(r)?,
        added_at
    ])?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// References from `refs` that are already in the store.
    pub fn existing_references(&self, refs: &[&str]) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM referrals WHERE reference = ?1")?;
        let mut out = Vec::new();
        for r in refs {
            if stmt.exists([r])? {
                out.push(r.to_string());
            }
        }
        Ok(out)
    }

    /// Adds referrals all or nothing; returns their ids in order.
    pub fn add_referrals(&mut self, referrals: &[Referral], by: &str, at: DateTime<Utc>) -> Result<Vec<i64>> {
        let stamp = timestamp(at);
        self.write(|tx| {
            let mut ids = Vec::with_capacity(referrals.len());
            for r in referrals {
                let id = insert_referral(tx, r, false, &stamp).map_err(|e| match e {
                    StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                        if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        StoreError::Refused(format!("referral {} is already in the store", r.reference))
                    }
                    other => other,
                })?;
                ids.push(id);
            }
            super::access::log_in(tx, &stamp, by, "import", &format!("{} referral(s)", ids.len()), "import")?;
            Ok(ids)
        })
    }

    pub fn referral(&self, id: i64) -> Result<Option<ReferralRow>> {
        let mut rows = self.referral_rows("WHERE r.id = ?1", params![id])?;
        Ok(rows.pop())
    }

    pub fn referral_id(&self, reference: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM referrals WHERE reference = ?1", [reference], |r| r.get(0))
            .optional()?)
    }

    /// One page of the referral queue, newest referral first; never loads the whole table.
    pub fn referral_page(&self, offset: i64, limit: i64) -> Result<Vec<ReferralRow>> {
        self.referral_rows("ORDER BY r.referral_date DESC, r.id DESC LIMIT ?1 OFFSET ?2", params![limit, offset])
    }

    fn referral_rows(&self, tail: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<ReferralRow>> {
        let sql = format!(
            "SELECT r.id, r.body, r.synthetic,
                    EXISTS (SELECT 1 FROM drafts d WHERE d.referral_id = r.id),
                    (SELECT count(*) FROM records x WHERE x.referral_id = r.id AND x.kind = 'decision')
             FROM referrals r {tail}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(p, |row| {
            let body: String = row.get(1)?;
            let drafted: bool = row.get(3)?;
            let decisions: i64 = row.get(4)?;
            Ok((row.get::<_, i64>(0)?, body, row.get::<_, bool>(2)?, drafted, decisions))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, body, synthetic, drafted, decisions) = row?;
            let referral = serde_json::from_str(&body)
                .map_err(|e| StoreError::Refused(format!("referral {id} cannot be read: {e}")))?;
            let status = match (decisions, drafted) {
                (0, false) => ReferralStatus::New,
                (_, true) => ReferralStatus::InProgress,
                (1, false) => ReferralStatus::Decided,
                (_, false) => ReferralStatus::Corrected,
            };
            out.push(ReferralRow { id, referral, status, synthetic });
        }
        Ok(out)
    }

    pub fn save_draft(&mut self, referral_id: i64, step: &str, case: &Case, at: DateTime<Utc>) -> Result<()> {
        let body = json(case)?;
        let stamp = timestamp(at);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (referral_id, step, body, saved_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(referral_id) DO UPDATE SET step = excluded.step, body = excluded.body, saved_at = excluded.saved_at",
                params![referral_id, step, body, stamp],
            )?;
            Ok(())
        })
    }

    pub fn draft(&self, referral_id: i64) -> Result<Option<Draft>> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row("SELECT step, body, saved_at FROM drafts WHERE referral_id = ?1", [referral_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        row.map(|(step, body, saved_at)| {
            let case = serde_json::from_str(&body)
                .map_err(|e| StoreError::Refused(format!("the draft cannot be read: {e}")))?;
            Ok(Draft { step, case, saved_at })
        })
        .transpose()
    }

    /// The most recently saved draft, for the "resume where you stopped" offer.
    pub fn latest_draft(&self) -> Result<Option<(i64, Draft)>> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT referral_id FROM drafts ORDER BY saved_at DESC LIMIT 1", [], |r| r.get(0))
            .optional()?;
        match id {
            None => Ok(None),
            Some(id) => Ok(self.draft(id)?.map(|d| (id, d))),
        }
    }

    pub fn discard_draft(&mut self, referral_id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE referral_id = ?1", [referral_id])?;
            Ok(())
        })
    }
}
