//! Each decision as a scrutiny panel reads it (migration 7): a scrutiny login may read no
//! decision's body, so the case anonymised by jdp's one builder is kept beside the record,
//! written in the record's own transaction. The screen and the papers read it on a server for
//! every login alike, so a chair and a lay member see the same case.

use postgres::GenericClient;

use super::{PgStore, Result, StoreError};
use crate::domain::PanelDefinition;
use crate::domain::case_view::Anonymised;
use crate::store::scrutiny::DecisionSummary;
use crate::store::scrutiny::anonymised_from;

/// Keeps decision `seq`'s anonymised case.
pub(super) fn keep(tx: &mut impl GenericClient, seq: i64, case: &Anonymised) -> Result<()> {
    let text = crate::store::json(case)?;
    tx.execute("INSERT INTO scrutiny_cases (seq, anonymised) VALUES ($1, $2)", &[&seq, &text])?;
    Ok(())
}

impl PgStore {
    /// The panel definition decisions are recorded under, for their anonymised cases' labels.
    pub fn use_panel(&mut self, panel: &PanelDefinition) {
        self.panel = Some(panel.clone());
    }

    /// The panel the anonymised cases are labelled by: the one the caller named, or jdp's
    /// built-in one (where none was named, every label of the shipped panel still reads right,
    /// and an outcome code it does not know is shown as the code).
    pub(super) fn anonymising_panel(&mut self) -> Result<PanelDefinition> {
        if self.panel.is_none() {
            let built_in = crate::config::parse_panel("default", crate::config::DEFAULT_PANEL)
                .map_err(|e| StoreError::Refused(format!("jdp's built-in panel does not load: {e}")))?;
            self.panel = Some(built_in);
        }
        Ok(self.panel.clone().expect("set above"))
    }

    /// Decision `seq` as a scrutiny reviewer reads it: what the server kept when it was recorded.
    /// None where `seq` is not a decision; refused, plainly, where its case was never kept (a
    /// decision copied by an older jdp: `jdp server init` prepares them).
    pub fn anonymised_case(&mut self, seq: i64) -> Result<Option<Anonymised>> {
        match self.client.query_opt("SELECT anonymised FROM scrutiny_cases WHERE seq = $1", &[&seq])? {
            Some(row) => {
                let text: String = row.get(0);
                serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| StoreError::Refused(format!("record {seq}'s anonymised case is malformed: {e}")))
            }
            None => {
                let decision =
                    self.client.query_opt("SELECT 1 FROM scrutiny_decisions WHERE seq = $1", &[&seq])?.is_some();
                if decision {
                    Err(StoreError::Refused(format!(
                        "record {seq} has no anonymised case on this server yet: the panel's administrator runs \
                         jdp server init to prepare them"
                    )))
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// The scrutiny queue's line for each decision in `seqs`, from the anonymised view.
    pub fn decision_summaries(&mut self, seqs: &[i64]) -> Result<Vec<DecisionSummary>> {
        let rows = self.client.query(
            "SELECT seq, coalesce(offence, ''), coalesce(outcome, ''), coalesce(final_score, 0),
                    coalesce(age_at_offence, 0), substr(coalesce(decided_on, ''), 1, 7), supersedes IS NOT NULL
             FROM scrutiny_decisions WHERE seq = ANY($1) ORDER BY seq",
            &[&seqs],
        )?;
        let mut by_seq: std::collections::HashMap<i64, DecisionSummary> = rows
            .iter()
            .map(|r| {
                let s = DecisionSummary {
                    seq: r.get(0),
                    offence: r.get(1),
                    outcome: r.get(2),
                    final_score: r.get(3),
                    age_at_offence: r.get(4),
                    month: r.get(5),
                    corrects: r.get(6),
                };
                (s.seq, s)
            })
            .collect();
        // In the order asked, as the file gives them.
        Ok(seqs.iter().filter_map(|s| by_seq.remove(s)).collect())
    }

    /// Keeps the anonymised case of every decision that has none (decisions copied or recorded
    /// by an older jdp), in one transaction; how many. Needs a login that reads the records
    /// (the owner or an admin, as `jdp server init` runs).
    pub fn prepare_scrutiny_cases(&mut self) -> Result<usize> {
        let panel = self.anonymising_panel()?;
        let missing: Vec<i64> = self
            .client
            .query(
                "SELECT seq FROM records r WHERE kind = 'decision'
                   AND NOT EXISTS (SELECT 1 FROM scrutiny_cases c WHERE c.seq = r.seq) ORDER BY seq",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut cases = Vec::with_capacity(missing.len());
        for &seq in &missing {
            if let Some(case) = anonymised_from(seq, &panel, |s| self.decision(s))? {
                cases.push((seq, case));
            }
        }
        let mut tx = self.client.transaction()?;
        for (seq, case) in &cases {
            keep(&mut tx, *seq, case)?;
        }
        tx.commit()?;
        Ok(cases.len())
    }
}
