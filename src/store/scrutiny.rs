//! Reading decisions for scrutiny: the current decisions of a period, through the covering
//! index, never the record bodies.

use chrono::NaiveDate;

use super::{Result, Store};

/// The current (not superseded) decisions made within `?1..=?2`, through the covering index.
/// Shared by sampling and reports so both count the same decisions.
pub(super) const CURRENT_DECISIONS: &str = "FROM records r INDEXED BY records_period
     WHERE kind = 'decision' AND decided_on BETWEEN ?1 AND ?2
       AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.seq)";
/// The period's decisions, current or not, in the covering index's order.
const PERIOD_DECISIONS: &str = "FROM records r INDEXED BY records_period
     WHERE kind = 'decision' AND decided_on BETWEEN ?1 AND ?2";
use crate::domain::sampling::DecisionFacts;

impl Store {
    /// Current (not superseded) decisions decided within `from..=to`, one at a time to `each`, in
    /// no particular order (sampling keys each decision by its id, not by when it is read): a
    /// period of a million decisions is never held whole. The superseded are few (one per
    /// correction) and read first, so the scan is the covering index alone, neither sorted nor
    /// probed once a row.
    pub fn each_decision_fact(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(DecisionFacts),
    ) -> Result<()> {
        let superseded: std::collections::HashSet<i64> = self
            .conn
            .prepare_cached(
                "SELECT supersedes FROM records INDEXED BY records_supersedes WHERE supersedes IS NOT NULL",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT seq, outcome, base_score, final_score, offence_group, disagreement, departure, looked_after,
                    victim_status, previous_count, supersedes IS NOT NULL
             {PERIOD_DECISIONS}"
        ))?;
        let mut rows = stmt.query([from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            if superseded.contains(&seq) {
                continue;
            }
            each(DecisionFacts {
                id: seq,
                outcome: r.get(1)?,
                base_score: r.get(2)?,
                final_score: r.get(3)?,
                group: r.get(4)?,
                disagreement: r.get(5)?,
                departure: r.get(6)?,
                looked_after: r.get(7)?,
                victim_status: r.get(8)?,
                previous: r.get(9)?,
                corrected: r.get(10)?,
            });
        }
        Ok(())
    }
}

/// What a scrutiny queue row shows of a decision, from the record's indexed columns (never its
/// body, and nothing identifying).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionSummary {
    pub seq: i64,
    pub offence: String,
    pub outcome: String,
    pub final_score: i64,
    pub age_at_offence: i64,
    /// YYYY-MM
    pub month: String,
    pub corrects: bool,
}

impl Store {
    /// The summaries of the given decision records, in the order asked.
    pub fn decision_summaries(&self, seqs: &[i64]) -> Result<Vec<DecisionSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, coalesce(offence, ''), coalesce(outcome, ''), coalesce(final_score, 0),
                    coalesce(age_at_offence, 0), substr(coalesce(decided_on, ''), 1, 7), supersedes IS NOT NULL
             FROM records WHERE seq = ?1 AND kind = 'decision'",
        )?;
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let mut rows = stmt.query([seq])?;
            if let Some(r) = rows.next()? {
                out.push(DecisionSummary {
                    seq: r.get(0)?,
                    offence: r.get(1)?,
                    outcome: r.get(2)?,
                    final_score: r.get(3)?,
                    age_at_offence: r.get(4)?,
                    month: r.get(5)?,
                    corrects: r.get(6)?,
                });
            }
        }
        Ok(out)
    }
}

/// The decision `seq` as a scrutiny reviewer reads it, with `decision` reading a record (and,
/// for a correction, the record it corrects): one rule for the screen and the papers on a file,
/// and for what a server keeps for its scrutiny logins. None where `seq` is not a decision.
pub fn anonymised_from<E>(
    seq: i64,
    panel: &crate::domain::PanelDefinition,
    mut decision: impl FnMut(i64) -> std::result::Result<Option<super::RecordRow>, E>,
) -> std::result::Result<Option<crate::domain::case_view::Anonymised>, E> {
    let Some(row) = decision(seq)? else { return Ok(None) };
    let original = match (row.supersedes, &row.correction_reason) {
        (Some(of), Some(why)) => decision(of)?.map(|o| (why.as_str(), o.snapshot)),
        _ => None,
    };
    Ok(Some(crate::domain::case_view::anonymised(&row.snapshot, original.as_ref().map(|(why, o)| (*why, o)), panel)))
}
