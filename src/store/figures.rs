//! Aggregate figures for the board report, through the covering index: counts and per-decision
//! day intervals, never a record body or a name. The report (`crate::report::board`) decides
//! what the figures mean; this module only asks SQLite for them.

use chrono::NaiveDate;
use rusqlite::params;

use super::scrutiny::CURRENT_DECISIONS as CURRENT;
use super::{Result, Store};

/// Current decisions in a period with one gravity score and one outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCount {
    pub score: u8,
    pub outcome: String,
    pub n: u64,
}

/// Current decisions in a period that departed from the matrix, by indicated and decided outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartureCount {
    pub indicated: String,
    pub outcome: String,
    pub n: u64,
}

/// Current decisions in a period sharing a gravity score, ethnicity, sex (as stored), age at
/// offence and outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub score: u8,
    pub ethnicity: String,
    pub sex: String,
    pub age: i64,
    pub outcome: String,
    pub n: u64,
}

/// One current decision's intervals in days, with the month (`YYYY-MM`) it was decided in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intervals<'a> {
    pub month: &'a str,
    pub offence_to_referral: i64,
    pub referral_to_decision: i64,
}

/// Counts of current decisions in a period that the agreement section reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgreementCounts {
    pub disagreements: u64,
    /// Moves of the gravity score larger than `max_move` (the inspector's authority).
    pub inspector_moves: u64,
    pub corrections: u64,
}

/// Current decisions decided in one month (`YYYY-MM`) with one outcome, and whether they
/// departed from the matrix or police and YJS disagreed: what the quarterly trends add up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    pub month: String,
    pub outcome: String,
    pub departure: bool,
    pub disagreement: bool,
    pub n: u64,
}

/// Counts come back from SQLite as i64.
fn n(r: &rusqlite::Row, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

fn period(from: NaiveDate, to: NaiveDate) -> [String; 2] {
    [from.to_string(), to.to_string()]
}

impl Store {
    /// Current decisions in the period by gravity score and outcome.
    pub fn outcome_counts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<OutcomeCount>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT final_score, outcome, count(*) {CURRENT} GROUP BY 1, 2"))?;
        let rows = stmt
            .query_map(period(from, to), |r| Ok(OutcomeCount { score: r.get(0)?, outcome: r.get(1)?, n: n(r, 2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Departures from the matrix in the period, most frequent first.
    pub fn departure_counts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DepartureCount>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT indicated, outcome, count(*) {CURRENT} AND departure = 1 GROUP BY 1, 2 ORDER BY 3 DESC"
        ))?;
        let rows = stmt.query_map(period(from, to), |r| {
            Ok(DepartureCount {
                indicated: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                outcome: r.get(1)?,
                n: n(r, 2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Current decisions in the period grouped by score, ethnicity, sex, age and outcome, one
    /// group at a time to `each`.
    pub fn group_counts(&self, from: NaiveDate, to: NaiveDate, mut each: impl FnMut(GroupCount)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT final_score, ethnicity, sex, age_at_offence, outcome, count(*) {CURRENT} GROUP BY 1, 2, 3, 4, 5"
        ))?;
        let mut rows = stmt.query(period(from, to))?;
        while let Some(r) = rows.next()? {
            each(GroupCount {
                score: r.get(0)?,
                ethnicity: r.get(1)?,
                sex: r.get(2)?,
                age: r.get(3)?,
                outcome: r.get(4)?,
                n: n(r, 5)?,
            });
        }
        Ok(())
    }

    /// Each current decision's intervals in the period, in month order, one at a time to `each`.
    pub fn intervals(&self, from: NaiveDate, to: NaiveDate, mut each: impl FnMut(Intervals)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT substr(decided_on, 1, 7),
                    CAST(julianday(referral_date) - julianday(offence_date) AS INTEGER),
                    CAST(julianday(decided_on) - julianday(referral_date) AS INTEGER)
             {CURRENT} ORDER BY 1"
        ))?;
        let mut rows = stmt.query(period(from, to))?;
        while let Some(r) = rows.next()? {
            let month = r
                .get_ref(0)?
                .as_str()
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))?;
            each(Intervals { month, offence_to_referral: r.get(1)?, referral_to_decision: r.get(2)? });
        }
        Ok(())
    }

    /// Disagreements, moves beyond `max_move` and corrections among the period's current decisions.
    pub fn agreement_counts(&self, from: NaiveDate, to: NaiveDate, max_move: u8) -> Result<AgreementCounts> {
        Ok(self.conn.query_row(
            &format!(
                "SELECT coalesce(sum(disagreement), 0), coalesce(sum(abs(final_score - base_score) > ?3), 0),
                        coalesce(sum(supersedes IS NOT NULL), 0) {CURRENT}"
            ),
            params![from.to_string(), to.to_string(), max_move],
            |r| Ok(AgreementCounts { disagreements: n(r, 0)?, inspector_moves: n(r, 1)?, corrections: n(r, 2)? }),
        )?)
    }

    /// Current decisions in the period by month, outcome, departure and disagreement.
    pub fn month_counts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<MonthCount>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT substr(decided_on, 1, 7), outcome, coalesce(departure, 0), coalesce(disagreement, 0), count(*)
             {CURRENT} GROUP BY 1, 2, 3, 4"
        ))?;
        let rows = stmt.query_map(period(from, to), |r| {
            Ok(MonthCount {
                month: r.get(0)?,
                outcome: r.get(1)?,
                departure: r.get(2)?,
                disagreement: r.get(3)?,
                n: n(r, 4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Current decisions in the period by the panel definition version each was made under (as
    /// its hashed record says), most first.
    pub fn panel_version_counts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT coalesce(json_extract(body, '$.panel_version'), ''), count(*) {CURRENT} GROUP BY 1 ORDER BY 2 DESC, 1"
        ))?;
        let rows = stmt.query_map(period(from, to), |r| Ok((r.get(0)?, n(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The date a decision record was decided on (None for another kind of record or none).
    pub fn decided_on(&self, seq: i64) -> Result<Option<NaiveDate>> {
        use rusqlite::OptionalExtension;
        let d: Option<Option<String>> =
            self.conn.query_row("SELECT decided_on FROM records WHERE seq = ?1", [seq], |r| r.get(0)).optional()?;
        Ok(d.flatten().and_then(|d| d.parse().ok()))
    }

    /// The referral reference a decision record carries ("" if none).
    pub fn reference_of(&self, seq: i64) -> Result<String> {
        use rusqlite::OptionalExtension;
        let r: Option<String> = self
            .conn
            .query_row("SELECT coalesce(reference, '') FROM records WHERE seq = ?1", [seq], |r| r.get(0))
            .optional()?;
        Ok(r.unwrap_or_default())
    }

    /// Sixteen random hexadecimal digits from SQLite's generator (a sample's seed when none is given).
    pub fn random_seed(&self) -> Result<String> {
        Ok(self.conn.query_row("SELECT lower(hex(randomblob(8)))", [], |r| r.get(0))?)
    }
}
