//! Figures for the board report, through the covering index: each current decision's index
//! columns and day intervals, one at a time, never a record body or a name. The report (`crate::report::board`) decides
//! what the figures mean; this module only asks SQLite for them.

use chrono::NaiveDate;

use super::scrutiny::CURRENT_DECISIONS as CURRENT;
use super::{Result, Store};

/// One current decision as the board report reads it: the covering index's columns only, never
/// a record body or a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionFigures<'a> {
    /// YYYY-MM-DD
    pub decided_on: &'a str,
    pub final_score: u8,
    pub base_score: u8,
    pub outcome: &'a str,
    pub indicated: &'a str,
    pub departure: bool,
    pub disagreement: bool,
    pub corrected: bool,
    pub ethnicity: &'a str,
    /// As stored (the serialised id).
    pub sex: &'a str,
    pub age: i64,
    pub offence_to_referral: i64,
    pub referral_to_decision: i64,
    pub panel_version: &'a str,
    /// Where restorative justice stood for a victim who agreed to be contacted (KPI 10), as
    /// stored; "" where none did.
    pub victim_rj: &'a str,
    /// YYYY-MM-DD; "" where not recorded.
    pub referral_date: &'a str,
    /// YYYY-MM-DD; "" where the YJS assessment date is not recorded.
    pub assessed_on: &'a str,
}

fn text<'a>(r: &'a rusqlite::Row, i: usize) -> rusqlite::Result<&'a str> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => Ok(""),
        v => v
            .as_str()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))),
    }
}

fn period(from: NaiveDate, to: NaiveDate) -> [String; 2] {
    [from.to_string(), to.to_string()]
}

impl Store {
    /// Every current decision in the period, in date order, one at a time to `each`: one pass
    /// through the covering index gives every figure of the board report, and a period of a
    /// million decisions is never held whole.
    pub fn each_decision_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(&DecisionFigures),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT decided_on, final_score, base_score, outcome, indicated, coalesce(departure, 0),
                    coalesce(disagreement, 0), supersedes IS NOT NULL, ethnicity, sex, age_at_offence,
                    CAST(julianday(referral_date) - julianday(offence_date) AS INTEGER),
                    CAST(julianday(decided_on) - julianday(referral_date) AS INTEGER),
                    panel_version, victim_rj, referral_date, assessed_on
             {CURRENT} ORDER BY decided_on"
        ))?;
        let mut rows = stmt.query(period(from, to))?;
        while let Some(r) = rows.next()? {
            each(&DecisionFigures {
                decided_on: text(r, 0)?,
                final_score: r.get(1)?,
                base_score: r.get(2)?,
                outcome: text(r, 3)?,
                indicated: text(r, 4)?,
                departure: r.get(5)?,
                disagreement: r.get(6)?,
                corrected: r.get(7)?,
                ethnicity: text(r, 8)?,
                sex: text(r, 9)?,
                age: r.get::<_, Option<i64>>(10)?.unwrap_or(0),
                offence_to_referral: r.get::<_, Option<i64>>(11)?.unwrap_or(0),
                referral_to_decision: r.get::<_, Option<i64>>(12)?.unwrap_or(0),
                panel_version: text(r, 13)?,
                victim_rj: text(r, 14)?,
                referral_date: text(r, 15)?,
                assessed_on: text(r, 16)?,
            });
        }
        Ok(())
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
