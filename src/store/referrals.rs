//! Referrals and their drafts. A draft is the in-progress case, saved on every step change so a
//! panel that loses power resumes where it stopped; it is replaced, never chained.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::records::timestamp;
use super::{DraftKind, Result, Store, StoreError, json};
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
    /// The case as its draft holds it, while the panel is working on it: what the queue and the
    /// agenda read the referral's readiness from.
    pub draft: Option<Case>,
    /// Who saved the draft last, and when (RFC 3339): the queue shows who is preparing what.
    pub draft_saved: Option<(String, String)>,
    /// The age at the offence, as indexed when the referral arrived: it outlives the date of
    /// birth, which erasure after retention removes.
    pub age_at_offence: Option<u32>,
}

/// Where a referral stands, from its count of decisions and whether a draft is open.
fn status_of(decisions: i64, drafted: bool) -> ReferralStatus {
    match (decisions, drafted) {
        (0, false) => ReferralStatus::New,
        (_, true) => ReferralStatus::InProgress,
        (1, false) => ReferralStatus::Decided,
        (_, false) => ReferralStatus::Corrected,
    }
}

impl ReferralRow {
    /// The case as it stands: the draft, or the referral as it arrived.
    pub fn case(&self) -> Case {
        self.draft.clone().unwrap_or_else(|| Case::new(self.referral.clone()))
    }
}

#[derive(Debug, Clone)]
pub struct Draft {
    pub step: String,
    pub case: Case,
    pub saved_at: String,
    /// Bumped by every save; give it back to `save_draft_if` to save over this draft.
    pub version: i64,
    /// Who saved this version (the database login on a server; the account the screen named
    /// on a file; empty where not known).
    pub saved_by: String,
}

/// A referral's columns beside its body, as both backends store them: its reference as
/// compared (case and spaces aside), and what the queue and agenda sort and show.
pub(crate) struct ReferralColumns<'a> {
    pub key: String,
    pub age_at_offence: i64,
    pub offence: &'a str,
    pub offence_date: String,
    pub referral_date: String,
}

impl<'a> ReferralColumns<'a> {
    pub fn of(r: &'a Referral) -> Self {
        ReferralColumns {
            key: crate::domain::referral::reference_key(&r.reference),
            age_at_offence: i64::from(r.age_at_offence().unwrap_or(0)),
            offence: r.offences.first().map(|o| o.offence.as_str()).unwrap_or_default(),
            offence_date: r.offence_date().map(|d| d.to_string()).unwrap_or_default(),
            referral_date: r.referral_date.to_string(),
        }
    }
}

pub(crate) fn insert_referral(
    tx: &rusqlite::Transaction,
    r: &Referral,
    synthetic: bool,
    added_at: &str,
) -> Result<i64> {
    let c = ReferralColumns::of(r);
    if tx.prepare_cached("SELECT 1 FROM referrals WHERE reference_key = ?1")?.exists([&c.key])? {
        return Err(StoreError::Refused(format!(
            "referral {} is already in the store (as a reference differing only by case or spaces)",
            r.reference
        )));
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO referrals (reference, age_at_offence, offence, offence_date, referral_date, synthetic, body, added_at, reference_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![
        r.reference,
        c.age_at_offence,
        c.offence,
        c.offence_date,
        c.referral_date,
        synthetic,
        json(r)?,
        added_at,
        c.key
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Inside a writing transaction, before adding referrals: a store is demonstration data or live
/// data for life, decided by its first content. An empty store takes the kind asked for; a store
/// with content refuses the other kind.
pub(crate) fn claim_kind(tx: &rusqlite::Transaction, synthetic: bool, by: &str, stamp: &str) -> Result<()> {
    // Cheap at any size: two EXISTS probes and a flag (the flag is covered by verify's settings
    // digest, so changing it by hand shows).
    let content: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM referrals) OR EXISTS (SELECT 1 FROM records WHERE kind = 'decision')",
        [],
        |r| r.get(0),
    )?;
    let flagged = tx
        .query_row("SELECT value FROM meta WHERE key = 'synthetic'", [], |r| r.get::<_, String>(0))
        .optional()?
        .as_deref()
        == Some("1");
    if let Some(flag) = kind_claim(content, flagged, synthetic)? {
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'synthetic'", [flag_value(flag)])?;
        super::access::log_in(tx, stamp, by, "settings", "the kind of store", kind_name(flag))?;
    }
    Ok(())
}

/// Whether a store that does (`content`) or does not hold referrals or decisions, flagged
/// synthetic or not, may take demonstration (`synthetic`) or live content: refused where the
/// two would mix; `Some(flag)` where an empty store's flag is to be set first. Both backends'
/// rule.
pub(crate) fn kind_claim(content: bool, flagged: bool, synthetic: bool) -> Result<Option<bool>> {
    match (content.then_some(flagged), synthetic) {
        (Some(true), false) => Err(StoreError::Refused(
            "this is a demonstration database (SYNTHETIC DEMO DATA): real referrals go in a database of their own \
             (use --db); nothing was imported"
                .into(),
        )),
        (Some(false), true) => Err(StoreError::Refused(
            "this database holds real referrals; demo data goes in a database of its own (use --db)".into(),
        )),
        (Some(_), _) => Ok(None),
        (None, _) if synthetic == flagged => Ok(None),
        (None, _) => Ok(Some(synthetic)),
    }
}

/// Whether panels read together (force-wide: `what`, e.g. "report") hold demonstration data
/// (`true`) or recorded decisions: never a mixture, refused naming one panel of each. Both
/// backends' rule, as `kind_claim` is for one store.
pub fn one_kind(panels: &[(&str, bool)], what: &str) -> Result<bool> {
    match (panels.iter().find(|p| p.1), panels.iter().find(|p| !p.1)) {
        (Some(demo), Some(live)) => Err(StoreError::Refused(format!(
            "panel {} holds synthetic demonstration data and panel {} recorded decisions: a force-wide {what} is of \
             one or the other",
            demo.0, live.0
        ))),
        (demo, _) => Ok(demo.is_some()),
    }
}

/// The `synthetic` flag as meta stores it.
pub(crate) fn flag_value(synthetic: bool) -> &'static str {
    if synthetic { "1" } else { "0" }
}

/// The kind of store, as the access log names it when the flag is set.
pub(crate) fn kind_name(synthetic: bool) -> &'static str {
    if synthetic { "demonstration data" } else { "live data" }
}

/// A referral as both backends read it for the queue and the agenda: the columns
/// `RawReferral` holds, in its order, with its draft and how many decisions it has. Followed by
/// each query's WHERE and ORDER BY.
pub(crate) const REFERRAL_SELECT: &str = "SELECT r.id, r.body, r.synthetic, d.body,
        (SELECT count(*) FROM records x WHERE x.referral_id = r.id AND x.kind = 'decision'),
        d.saved_by, d.saved_at, r.age_at_offence
     FROM referrals r LEFT JOIN drafts d ON d.referral_id = r.id";

/// One row of `REFERRAL_SELECT`, as either backend reads it.
pub(crate) struct RawReferral {
    pub id: i64,
    pub body: String,
    pub synthetic: bool,
    pub draft: Option<String>,
    pub decisions: i64,
    pub saved_by: Option<String>,
    pub saved_at: Option<String>,
    pub age_at_offence: i64,
}

impl RawReferral {
    /// The queue's row: the referral and its draft read, its status derived.
    pub(crate) fn read(self) -> Result<ReferralRow> {
        let id = self.id;
        let drafted = self.draft.is_some();
        let draft: Option<Case> = self
            .draft
            .map(|d| serde_json::from_str(&d))
            .transpose()
            .map_err(|e| StoreError::Refused(format!("the draft of referral {id} cannot be read: {e}")))?;
        let referral = serde_json::from_str(&self.body)
            .map_err(|e| StoreError::Refused(format!("referral {id} cannot be read: {e}")))?;
        Ok(ReferralRow {
            id,
            referral,
            status: status_of(self.decisions, drafted),
            synthetic: self.synthetic,
            draft,
            age_at_offence: u32::try_from(self.age_at_offence).ok().filter(|a| *a > 0),
            draft_saved: match (self.saved_by, self.saved_at) {
                (Some(by), Some(at)) => Some((by, at)),
                _ => None,
            },
        })
    }
}

impl Store {
    /// References from `refs` already in the store, as people read them (case and spaces
    /// aside): each with the reference as stored. One indexed lookup per reference.
    pub fn existing_references(&self, refs: &[&str]) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT reference FROM referrals WHERE reference_key = ?1 LIMIT 1")?;
        let mut out = Vec::new();
        for r in refs {
            let key = crate::domain::referral::reference_key(r);
            if let Some(stored) = stmt.query_row([&key], |row| row.get::<_, String>(0)).optional()? {
                out.push((r.to_string(), stored));
            }
        }
        Ok(out)
    }

    /// Adds referrals all or nothing; returns their ids in order.
    pub fn add_referrals(&mut self, referrals: &[Referral], by: &str, at: DateTime<Utc>) -> Result<Vec<i64>> {
        let stamp = timestamp(at);
        self.write(|tx| {
            if !referrals.is_empty() {
                claim_kind(tx, false, by, &stamp)?;
            }
            let training = tx
                .query_row("SELECT value FROM meta WHERE key = 'training'", [], |r| r.get::<_, String>(0))
                .optional()?
                .as_deref()
                == Some("1");
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
            // A training store's referrals are fictional, and logged so: `jdp train` refuses any
            // store whose log shows a real import, whatever its flags say.
            let action = if training { "training import" } else { "import" };
            super::access::log_in(tx, &stamp, by, action, &format!("{} referral(s)", ids.len()), action)?;
            Ok(ids)
        })
    }

    /// Adds synthetic referrals, still to be decided, to a demonstration store (benchmarks walk
    /// one); refused on a live store as demo data is.
    pub fn add_demo_referrals(&mut self, referrals: &[Referral], by: &str, at: DateTime<Utc>) -> Result<Vec<i64>> {
        let stamp = timestamp(at);
        self.write(|tx| {
            claim_kind(tx, true, by, &stamp)?;
            let ids = referrals.iter().map(|r| insert_referral(tx, r, true, &stamp)).collect::<Result<Vec<_>>>()?;
            super::access::log_in(
                tx,
                &stamp,
                by,
                "demo-data",
                &format!("{} synthetic referral(s)", ids.len()),
                "demonstration data",
            )?;
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
    /// How many referrals come before `id` in the queue's order (newest first), so the queue
    /// can open at the page holding it.
    pub fn referral_position(&self, id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM referrals r, (SELECT referral_date AS d, id AS i FROM referrals WHERE id = ?1) x
             WHERE r.referral_date > x.d OR (r.referral_date = x.d AND r.id > x.i)",
            [id],
            |row| row.get(0),
        )?)
    }

    pub fn referral_page(&self, offset: i64, limit: i64) -> Result<Vec<ReferralRow>> {
        self.referral_rows("ORDER BY r.referral_date DESC, r.id DESC LIMIT ?1 OFFSET ?2", params![limit, offset])
    }

    fn referral_rows(&self, tail: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<ReferralRow>> {
        let mut stmt = self.conn.prepare_cached(&format!("{REFERRAL_SELECT} {tail}"))?;
        let rows = stmt.query_map(p, |row| {
            Ok(RawReferral {
                id: row.get(0)?,
                body: row.get(1)?,
                synthetic: row.get(2)?,
                draft: row.get(3)?,
                decisions: row.get(4)?,
                saved_by: row.get(5)?,
                saved_at: row.get(6)?,
                age_at_offence: row.get(7)?,
            })
        })?;
        rows.map(|r| r?.read()).collect()
    }

    /// Every referral not yet decided (no decision recorded), longest waiting first, each with
    /// its draft where the panel has started it: what the next panel's agenda reads.
    pub fn pending_referrals(&self) -> Result<Vec<ReferralRow>> {
        self.referral_rows(
            "WHERE NOT EXISTS (SELECT 1 FROM records x WHERE x.referral_id = r.id AND x.kind = 'decision')
             ORDER BY r.referral_date, r.id",
            params![],
        )
    }

    /// Saves a draft over the version this store last read (`draft`) or saved, and refuses with
    /// `DraftChanged` if another screen saved or recorded the case meanwhile. A screen that
    /// keeps its own versions can use `save_draft_if`.
    pub fn save_draft(&mut self, referral_id: i64, step: &str, case: &Case, at: DateTime<Utc>) -> Result<()> {
        self.save_draft_as(referral_id, step, case, "", at)
    }

    /// `save_draft`, naming who saves this version (shown to a screen refused because of it).
    pub fn save_draft_as(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &Case,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let expected = self.seen.borrow().version(DraftKind::Case, referral_id);
        self.save_draft_versioned(referral_id, step, case, expected, by, at).map(|_| ())
    }

    /// Saves a draft only if the stored one is still the version this screen last read or saved
    /// (`None`: there was no draft). Returns the new version; `DraftChanged` if another screen
    /// saved (or recorded) the case meanwhile, leaving the other screen's draft as it is.
    pub fn save_draft_if(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &Case,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.save_draft_versioned(referral_id, step, case, expected, "", at)
    }

    /// `save_draft_if`, naming who saves this version.
    pub fn save_draft_versioned(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &Case,
        expected: Option<i64>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let body = json(case)?;
        let stamp = timestamp(at);
        self.write(|tx| {
            // Decided meanwhile (by another screen): a decided referral takes no draft.
            let decided: Option<(i64, String)> = tx
                .query_row(
                    "SELECT r.seq, f.reference FROM records r JOIN referrals f ON f.id = r.referral_id
                     WHERE r.referral_id = ?1 AND r.kind = 'decision' ORDER BY r.seq LIMIT 1",
                    [referral_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((seq, reference)) = decided {
                return Err(StoreError::DecidedMeanwhile { referral_id, reference, seq });
            }
            let version = next_version(tx, DraftKind::Case, referral_id, expected)?;
            tx.execute(
                "INSERT INTO drafts (referral_id, step, body, saved_at, version, saved_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(referral_id) DO UPDATE SET step = excluded.step, body = excluded.body,
                   saved_at = excluded.saved_at, version = excluded.version, saved_by = excluded.saved_by",
                params![referral_id, step, body, stamp, version, by],
            )?;
            Ok(version)
        })
        .inspect(|v| self.seen.borrow_mut().saw(DraftKind::Case, referral_id, Some(*v)))
    }

    pub fn draft(&self, referral_id: i64) -> Result<Option<Draft>> {
        let row: Option<(String, String, String, i64, String)> = self
            .conn
            .query_row(
                "SELECT step, body, saved_at, version, saved_by FROM drafts WHERE referral_id = ?1",
                [referral_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        if row.is_none() {
            self.seen.borrow_mut().saw(DraftKind::Case, referral_id, None);
        }
        row.map(|(step, body, saved_at, version, saved_by)| {
            let case = serde_json::from_str(&body)
                .map_err(|e| StoreError::Refused(format!("the draft cannot be read: {e}")))?;
            self.seen.borrow_mut().saw(DraftKind::Case, referral_id, Some(version));
            Ok(Draft { step, case, saved_at, version, saved_by })
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
        })?;
        self.seen.borrow_mut().saw(DraftKind::Case, referral_id, None);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn panels_read_together_are_all_demonstration_or_all_recorded() {
        assert!(!super::one_kind(&[], "report").unwrap());
        assert!(super::one_kind(&[("a", true), ("b", true)], "report").unwrap());
        assert!(!super::one_kind(&[("a", false), ("b", false)], "report").unwrap());
        let e = super::one_kind(&[("north", false), ("south", true)], "sample").unwrap_err().to_string();
        assert!(e.contains("panel south holds synthetic") && e.contains("panel north recorded"), "{e}");
        assert!(e.contains("a force-wide sample is of one or the other"), "{e}");
    }
}

/// The version of a referral's draft or correction in progress stored, when and by whom.
pub(crate) fn stored_version(
    tx: &Transaction,
    kind: DraftKind,
    referral_id: i64,
) -> Result<Option<(i64, (String, String))>> {
    Ok(tx
        .query_row(
            &format!("SELECT version, saved_at, saved_by FROM {} WHERE referral_id = ?1", kind.table()),
            [referral_id],
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )
        .optional()?)
}

/// The next version of what `kind` keeps for a referral, if the stored one is still `expected`
/// (None: nothing stored); otherwise `DraftChanged`, naming who saved the stored one.
pub(crate) fn next_version(tx: &Transaction, kind: DraftKind, referral_id: i64, expected: Option<i64>) -> Result<i64> {
    let stored = stored_version(tx, kind, referral_id)?;
    if stored.as_ref().map(|c| c.0) != expected {
        return Err(super::draft_changed(referral_id, stored.map(|c| c.1)));
    }
    Ok(expected.unwrap_or(0) + 1)
}
