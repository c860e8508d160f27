//! The board report's and sampling's reads on a server (`store::reading::ChainRead`), with the
//! same meaning as the SQLite store's (src/store/figures.rs, src/store/scrutiny.rs) so the same
//! chain gives the same report and the same sample on both.
//!
//! Sampling reads a period's decisions by whole months through `scrutiny_decisions_in`
//! (migration 14: the month a decision was made, never its day), and samples, ratings, reviews
//! and action statuses through `scrutiny_records` (migration 6), for every login: a scrutiny
//! login (which may read nothing else) draws exactly the sample a chair would with the same
//! seed. The board report's figures need the dates a scrutiny login may not see
//! (offence, referral and assessment dates, for timeliness), so they are read from the records
//! themselves: the report is for the roles that may read the records (chair, member, admin).

use std::cell::{Cell, RefCell, RefMut};

use chrono::{DateTime, NaiveDate, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::{PgStore, Result, StoreError};
use crate::domain::sampling::DecisionFacts;
use crate::store::reading::{ChainRead, ChainWrite};
use crate::store::{DecisionFigures, Recorded};

/// The kinds `scrutiny_records` shows.
const SCRUTINY_KINDS: [&str; 4] = ["sample", "rating", "review", "action_status"];

/// Whole days from one stored date to another (0 where either is not a YYYY-MM-DD date), as
/// the file store's `CAST(julianday(b) - julianday(a) AS INTEGER)` gives them. Worked out here,
/// not by the server: a pattern test and a cast per row took half the report's query time.
pub(crate) fn days_between(a: Option<&str>, b: Option<&str>) -> i64 {
    let date = |s: Option<&str>| {
        s.filter(|s| {
            s.len() == 10
                && s.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() })
        })
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    match (date(a), date(b)) {
        (Some(a), Some(b)) => (b - a).num_days(),
        _ => 0,
    }
}

/// A server store borrowed for one report or draw: reads through `&self`, all from one snapshot
/// of the store (a read-only repeatable-read transaction, begun at the first read and ended
/// before anything is added to the chain, or when the borrow ends), so a decision recorded at
/// another desk meanwhile is in every figure of a report or in none.
pub struct PgChain<'a> {
    store: RefCell<&'a mut PgStore>,
    snapshot: Cell<bool>,
    /// Which columns of the records this login may read (a scrutiny login may not read a
    /// reference or a body), as asked so far.
    readable: RefCell<Vec<(&'static str, bool)>>,
}

impl PgStore {
    /// This store as the board report and sampling read it.
    pub fn chain(&mut self) -> PgChain<'_> {
        PgChain { store: RefCell::new(self), snapshot: Cell::new(false), readable: RefCell::new(Vec::new()) }
    }
}

fn small<T: TryFrom<i64>>(v: Option<i64>, what: &str) -> Result<T> {
    T::try_from(v.unwrap_or(0)).map_err(|_| StoreError::Refused(format!("a decision's {what} is out of range")))
}

fn date_param(d: NaiveDate) -> String {
    d.to_string()
}

impl<'a> PgChain<'a> {
    /// The store, within the snapshot (begun now if not yet).
    fn read(&self) -> Result<RefMut<'_, &'a mut PgStore>> {
        let mut store = self.store.borrow_mut();
        if !self.snapshot.get() {
            store.client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            self.snapshot.set(true);
        }
        Ok(store)
    }

    fn end_snapshot(&mut self) -> Result<()> {
        if self.snapshot.replace(false) {
            self.store.get_mut().client.batch_execute("COMMIT")?;
        }
        Ok(())
    }
    /// The decisions a correction supersedes (few: one per correction), read first, as the
    /// SQLite store does, so the period's scan is a plain range read and not a join per row.
    fn superseded(&self, from: &str) -> Result<std::collections::HashSet<i64>> {
        let sql = format!("SELECT supersedes FROM {from} WHERE supersedes IS NOT NULL");
        Ok(self.read()?.client.query(sql.as_str(), &[])?.iter().map(|r| r.get(0)).collect())
    }

    fn can_read(&self, column: &'static str) -> Result<bool> {
        if let Some((_, b)) = self.readable.borrow().iter().find(|(c, _)| *c == column) {
            return Ok(*b);
        }
        let b: bool =
            self.read()?.client.query_one("SELECT has_column_privilege('records', $1, 'SELECT')", &[&column])?.get(0);
        self.readable.borrow_mut().push((column, b));
        Ok(b)
    }
}

impl Drop for PgChain<'_> {
    fn drop(&mut self) {
        // Read only: nothing to keep. A lost connection has ended it already.
        if self.snapshot.get() {
            let _ = self.store.get_mut().client.batch_execute("ROLLBACK");
        }
    }
}

impl ChainRead for PgChain<'_> {
    fn each_decision_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        each: &mut dyn FnMut(&DecisionFigures),
    ) -> Result<()> {
        // One index-only range scan of `records_figures` (migration 9): the collation is its.
        let sql = "SELECT decided_on, final_score, base_score, outcome, indicated, coalesce(departure, 0),
                    coalesce(disagreement, 0), supersedes IS NOT NULL, ethnicity, sex, age_at_offence,
                    offence_date, referral_date, panel_version, victim_rj, assessed_on, seq
             FROM records r
             WHERE kind = 'decision' AND decided_on COLLATE \"C\" BETWEEN $1 AND $2
             ORDER BY decided_on COLLATE \"C\"";
        let (from, to) = (date_param(from), date_param(to));
        let superseded = self.superseded("records")?;
        let mut store = self.read()?;
        // Row by row from the server: a period of a million decisions is never held whole.
        let mut rows = store.client.query_raw(sql, [&from as &(dyn ToSql + Sync), &to])?;
        while let Some(r) = rows.next()? {
            if superseded.contains(&r.get::<_, i64>(16)) {
                continue;
            }
            let text = |i: usize| -> &str { r.get::<_, Option<&str>>(i).unwrap_or("") };
            let (offence_date, referral_date, decided_on) = (r.get(11), r.get(12), r.get(0));
            each(&DecisionFigures {
                decided_on: text(0),
                final_score: small(r.get(1), "final score")?,
                base_score: small(r.get(2), "base score")?,
                outcome: text(3),
                indicated: text(4),
                departure: r.get::<_, i64>(5) != 0,
                disagreement: r.get::<_, i64>(6) != 0,
                corrected: r.get(7),
                ethnicity: text(8),
                sex: text(9),
                age: r.get::<_, Option<i64>>(10).unwrap_or(0),
                offence_to_referral: days_between(offence_date, referral_date),
                referral_to_decision: days_between(referral_date, decided_on),
                panel_version: text(13),
                victim_rj: text(14),
                referral_date: text(12),
                assessed_on: text(15),
            });
        }
        Ok(())
    }

    fn each_decision_fact(&self, from: NaiveDate, to: NaiveDate, each: &mut dyn FnMut(DecisionFacts)) -> Result<()> {
        const COLUMNS: &str = "seq, outcome, base_score, final_score, offence_group, disagreement, departure,
                               looked_after, victim_status, previous_count, supersedes IS NOT NULL";
        // Whole months (every sample drawn now) through the anonymised reading every login
        // has; the part-month period of a sample an older jdp drew, from the records, which
        // only a login that reads them (not scrutiny) may recompute.
        let (sql, from, to, superseded) = if crate::domain::sampling::whole_months(from, to).is_ok() {
            let month = |d: NaiveDate| d.format("%Y-%m").to_string();
            let sql = format!("SELECT {COLUMNS} FROM scrutiny_decisions_in($1, $2)");
            (sql, month(from), month(to), self.superseded("scrutiny_decisions")?)
        } else if !self.can_read("decided_on")? {
            return Err(StoreError::Refused(format!(
                "this sample covers {from} to {to}, part of a month, as an older jdp drew samples: this login \
                 reads decisions by whole months only, so a chair or an admin recomputes it"
            )));
        } else {
            let sql = format!(
                "SELECT {COLUMNS} FROM records WHERE kind = 'decision' AND decided_on COLLATE \"C\" BETWEEN $1 AND $2"
            );
            (sql, date_param(from), date_param(to), self.superseded("records")?)
        };
        let mut store = self.read()?;
        let mut rows = store.client.query_raw(sql.as_str(), [&from as &(dyn ToSql + Sync), &to])?;
        while let Some(r) = rows.next()? {
            if superseded.contains(&r.get::<_, i64>(0)) {
                continue;
            }
            let flag = |i: usize| r.get::<_, Option<i64>>(i).unwrap_or(0) != 0;
            let text = |i: usize| r.get::<_, Option<String>>(i).unwrap_or_default();
            each(DecisionFacts {
                id: r.get(0),
                outcome: text(1),
                base_score: small(r.get(2), "base score")?,
                final_score: small(r.get(3), "final score")?,
                group: text(4),
                disagreement: flag(5),
                departure: flag(6),
                looked_after: flag(7),
                victim_status: text(8),
                previous: small(r.get(9), "count of previous outcomes")?,
                corrected: r.get(10),
            });
        }
        Ok(())
    }

    /// For the board report, from the records: the day is not scrutiny's to read.
    fn decided_on(&self, seq: i64) -> Result<Option<NaiveDate>> {
        let d: Option<Option<String>> = self
            .read()?
            .client
            .query_opt("SELECT decided_on FROM records WHERE seq = $1 AND kind = 'decision'", &[&seq])?
            .map(|r| r.get(0));
        Ok(d.flatten().and_then(|d| d.parse().ok()))
    }

    fn reference_of(&self, seq: i64) -> Result<String> {
        if !self.can_read("reference")? {
            return Ok(String::new());
        }
        let r: Option<String> = self
            .read()?
            .client
            .query_opt("SELECT coalesce(reference, '') FROM records WHERE seq = $1", &[&seq])?
            .map(|r| r.get(0));
        Ok(r.unwrap_or_default())
    }

    fn seqs_of(&self, kind: &str) -> Result<Vec<i64>> {
        let sql = if SCRUTINY_KINDS.contains(&kind) {
            "SELECT seq FROM scrutiny_records WHERE kind = $1 ORDER BY seq"
        } else {
            "SELECT seq FROM records WHERE kind = $1 ORDER BY seq"
        };
        Ok(self.read()?.client.query(sql, &[&kind])?.iter().map(|r| r.get(0)).collect())
    }

    fn bodies_of(&self, kind: &str) -> Result<Vec<(i64, String)>> {
        let sql = if SCRUTINY_KINDS.contains(&kind) {
            "SELECT seq, body FROM scrutiny_records WHERE kind = $1 ORDER BY seq"
        } else {
            "SELECT seq, body FROM records WHERE kind = $1 ORDER BY seq"
        };
        Ok(self.read()?.client.query(sql, &[&kind])?.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// A record of a scrutiny kind is read through `scrutiny_records`; another kind's body only
    /// where this login may read the records' bodies (else `f` sees its kind and no body).
    fn record_body(&self, seq: i64, f: &mut dyn FnMut(&str, &str)) -> Result<bool> {
        let kind: Option<String> =
            self.read()?.client.query_opt("SELECT kind FROM records WHERE seq = $1", &[&seq])?.map(|r| r.get(0));
        let Some(kind) = kind else { return Ok(false) };
        let sql = if SCRUTINY_KINDS.contains(&kind.as_str()) {
            "SELECT body FROM scrutiny_records WHERE seq = $1"
        } else if self.can_read("body")? {
            "SELECT body FROM records WHERE seq = $1"
        } else {
            f(&kind, "");
            return Ok(true);
        };
        let row = self.read()?.client.query_one(sql, &[&seq])?;
        f(&kind, row.get(0));
        Ok(true)
    }

    fn is_synthetic(&self) -> Result<bool> {
        self.read()?.is_synthetic()
    }

    fn random_seed(&self) -> Result<String> {
        // gen_random_uuid() is the server's strong generator (PostgreSQL 13 and later).
        Ok(self.read()?.client.query_one("SELECT substr(md5(gen_random_uuid()::text), 1, 16)", &[])?.get(0))
    }

    fn head_minute(&self) -> Result<String> {
        let mut store = self.read()?;
        let seq = store.meta("head_seq")?.unwrap_or_else(|| "0".into());
        Ok(format!("{seq}:{}", store.meta("head_hash")?.unwrap_or_default()))
    }
}

impl ChainWrite for PgChain<'_> {
    /// Written as the login (`by` is the server's `session_user`, whatever the caller names).
    fn append_records(
        &mut self,
        kind: &str,
        bodies: Vec<String>,
        _by: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<Recorded>> {
        self.end_snapshot()?;
        self.store.get_mut().append_records(kind, bodies, at)
    }
}

#[cfg(test)]
mod tests {
    use super::days_between;

    /// The file store's rule, run by SQLite itself, beside the server's, for the same pairs.
    #[test]
    fn whole_days_between_two_stored_dates_are_the_file_stores() {
        let sqlite = rusqlite::Connection::open_in_memory().unwrap();
        let file = |a: &str, b: &str| -> i64 {
            sqlite
                .query_row("SELECT CAST(julianday(?2) - julianday(?1) AS INTEGER)", [a, b], |r| {
                    r.get::<_, Option<i64>>(0)
                })
                .unwrap()
                .unwrap_or(0)
        };
        for (a, b, days) in [
            ("2026-01-01", "2026-03-01", 59),
            ("2026-03-01", "2026-01-01", -59),
            ("2024-02-28", "2024-03-01", 2),
            ("2023-02-28", "2023-03-01", 1),
            ("2025-12-31", "2026-01-01", 1),
            ("2026-07-01", "2026-07-01", 0),
            ("", "2026-07-01", 0),
            ("2026-07-01", "", 0),
            ("2026-7-01", "2026-07-02", 0),
            ("not a date", "2026-07-02", 0),
            ("2026-07-01T10:00", "2026-07-02", 0),
        ] {
            assert_eq!(days_between(Some(a), Some(b)), days, "{a} to {b}");
            assert_eq!(file(a, b), days, "SQLite: {a} to {b}");
        }
        assert_eq!(days_between(None, Some("2026-07-01")), 0);
        assert_eq!(days_between(Some("2026-07-01"), None), 0);
    }
}
