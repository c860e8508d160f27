//! Reading decisions for scrutiny: the current decisions of a period, through the covering
//! index, never the record bodies.

use chrono::NaiveDate;

use std::sync::Arc;

use super::{Result, Store};

/// The current (not superseded) decisions made within `?1..=?2`, through the covering index.
/// Shared by sampling and reports so both count the same decisions.
pub(super) const CURRENT_DECISIONS: &str = "FROM records r INDEXED BY records_period
     WHERE kind = 'decision' AND decided_on BETWEEN ?1 AND ?2
       AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.seq)";
use crate::domain::sampling::DecisionFacts;

impl Store {
    /// Current (not superseded) decisions decided within `from..=to`, in id order, one at a time
    /// to `each`: a period of a million decisions is never held whole.
    pub fn each_decision_fact(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(DecisionFacts),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT seq, outcome, base_score, final_score, offence_group, disagreement, departure, looked_after,
                    victim_status, previous_count, supersedes IS NOT NULL
             {CURRENT_DECISIONS} ORDER BY seq"
        ))?;
        let mut rows = stmt.query([from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            each(DecisionFacts {
                id: r.get(0)?,
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
/// body, and nothing identifying). The texts are shared between rows (a sample of a long period
/// lists hundreds of thousands of decisions, over a few dozen offences, outcomes and months).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionSummary {
    pub seq: i64,
    pub offence: Arc<String>,
    pub outcome: Arc<String>,
    pub final_score: i64,
    pub age_at_offence: i64,
    /// YYYY-MM
    pub month: Arc<String>,
    pub corrects: bool,
}

impl Default for DecisionSummary {
    fn default() -> Self {
        let empty = Arc::new(String::new());
        DecisionSummary {
            seq: 0,
            offence: empty.clone(),
            outcome: empty.clone(),
            final_score: 0,
            age_at_offence: 0,
            month: empty,
            corrects: false,
        }
    }
}

/// One shared copy of each distinct text (a thin pointer each, where a `String` takes three words).
#[derive(Default)]
struct Interned(std::collections::BTreeMap<String, Arc<String>>);

impl Interned {
    fn get(&mut self, text: &str) -> Arc<String> {
        if let Some(t) = self.0.get(text) {
            return t.clone();
        }
        let t = Arc::new(text.to_string());
        self.0.insert(text.to_string(), t.clone());
        t
    }
}

impl Store {
    /// The summaries of the given decision records, to `each` with the position asked for (a
    /// record that is not a decision is skipped).
    pub fn each_decision_summary(&self, seqs: &[i64], mut each: impl FnMut(usize, DecisionSummary)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, coalesce(offence, ''), coalesce(outcome, ''), coalesce(final_score, 0),
                    coalesce(age_at_offence, 0), substr(coalesce(decided_on, ''), 1, 7), supersedes IS NOT NULL
             FROM records WHERE seq = ?1 AND kind = 'decision'",
        )?;
        let mut texts = Interned::default();
        for (i, seq) in seqs.iter().enumerate() {
            let mut rows = stmt.query([seq])?;
            if let Some(r) = rows.next()? {
                let mut text = |c: usize| -> Result<Arc<String>> {
                    let v = r.get_ref(c)?;
                    let t = v.as_str().map_err(|e| super::StoreError::Refused(format!("record {seq}: {e}")))?;
                    Ok(texts.get(t))
                };
                let summary = DecisionSummary {
                    seq: r.get(0)?,
                    offence: text(1)?,
                    outcome: text(2)?,
                    final_score: r.get(3)?,
                    age_at_offence: r.get(4)?,
                    month: text(5)?,
                    corrects: r.get(6)?,
                };
                each(i, summary);
            }
        }
        Ok(())
    }
}
