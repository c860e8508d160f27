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

/// What `jdp verify --cases` found of the kept cases: how many were compared with their
/// decisions and found the same, how many an earlier jdp kept (not compared), and how many
/// decisions have none yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptCases {
    pub compared: u64,
    pub earlier: u64,
    pub without: u64,
}

/// How many kept cases are read at a time.
const CASES_BATCH: i64 = 2_000;

impl PgStore {
    /// Every kept anonymised case made again from its decision (and, for a correction, the
    /// record it corrects) by this jdp's builder under the panel this store was given, in one
    /// snapshot: the first that differs is named, with where. A kept case is written by the
    /// login that records the decision, so only this shows that what scrutiny reads is what
    /// was decided. Needs a login that reads the records (the owner or an admin).
    pub fn verify_kept_cases(&mut self) -> Result<std::result::Result<KeptCases, crate::store::VerifyFailure>> {
        use crate::domain::case_view::{BUILDER, first_difference};
        let panel = self.anonymising_panel()?;
        let mut tx = super::snapshot(&mut self.client)?;
        let mut found = KeptCases::default();
        found.without = tx
            .query_one(
                "SELECT count(*) FROM records r WHERE kind = 'decision'
                   AND NOT EXISTS (SELECT 1 FROM scrutiny_cases c WHERE c.seq = r.seq)",
                &[],
            )?
            .get::<_, i64>(0) as u64;
        let mut after = 0i64;
        loop {
            let rows = tx.query(
                "SELECT seq, anonymised FROM scrutiny_cases WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after, &CASES_BATCH],
            )?;
            let Some(last) = rows.last() else { break };
            after = last.get(0);
            // The batch's decisions in one query; a correction's original, read only if it lies
            // outside the batch.
            let seqs: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
            let sql = format!("{} WHERE records.seq = ANY($1) AND kind = 'decision'", super::RECORD_SELECT);
            let decisions: std::collections::HashMap<i64, crate::store::RecordRow> = tx
                .query(sql.as_str(), &[&seqs])?
                .iter()
                .map(|r| super::row_to_record(r).map(|d| (d.seq, d)))
                .collect::<Result<_>>()?;
            for row in &rows {
                let seq: i64 = row.get(0);
                let fail = |problem: String, checked: u64| crate::store::VerifyFailure {
                    seq,
                    problem,
                    checked: i64::try_from(checked).unwrap_or(i64::MAX),
                };
                let kept: Anonymised = match serde_json::from_str(row.get(1)) {
                    Ok(k) => k,
                    Err(e) => {
                        return Ok(Err(fail(format!("its kept anonymised case is malformed ({e})"), found.compared)));
                    }
                };
                if kept.builder != BUILDER {
                    found.earlier += 1;
                    continue;
                }
                let read = |s: i64| match decisions.get(&s) {
                    Some(d) => Ok(Some(d.clone())),
                    None => super::decision_in(&mut tx, s),
                };
                let Some(now) = anonymised_from(seq, &panel, read)? else {
                    return Ok(Err(fail(
                        "an anonymised case is kept for it, but it is not a decision".into(),
                        found.compared,
                    )));
                };
                if let Some(difference) = first_difference(&kept, &now) {
                    return Ok(Err(fail(
                        format!(
                            "its kept anonymised case (what scrutiny reads) differs from the decision at {difference} \
                             (made again under the panel \"{}\", version {})",
                            panel.panel.name, panel.panel.version
                        ),
                        found.compared,
                    )));
                }
                found.compared += 1;
            }
        }
        tx.commit()?;
        Ok(Ok(found))
    }

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
                    coalesce(age_at_offence, 0), coalesce(decided_in, ''), supersedes IS NOT NULL
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
