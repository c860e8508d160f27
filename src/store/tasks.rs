//! The task board's inputs: every decision's tasks and every task record. Closing a task is a
//! `task` record in the chain (`append_record`), never an edit; where each task stands is
//! derived (`domain::task_board`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::{Recorded, Result, Store, StoreError};
use crate::domain::task_board::{self, BoardTask, DecisionTasks, TaskEvent};

/// The record kind of a task closing.
pub const TASK_KIND: &str = "task";

/// Decisions as the task board reads them: each with its tasks, and what superseded it and why.
fn decision_tasks(rows: Vec<super::RecordRow>) -> Vec<DecisionTasks> {
    let reasons: HashMap<i64, String> =
        rows.iter().filter_map(|r| r.correction_reason.clone().map(|reason| (r.seq, reason))).collect();
    rows.into_iter()
        .map(|r| DecisionTasks {
            seq: r.seq,
            referral_id: r.referral_id.unwrap_or_default(),
            reference: r.snapshot.case.referral.reference.clone(),
            tasks: r.snapshot.tasks,
            superseded: r.superseded_by.map(|s| (s, reasons.get(&s).cloned().unwrap_or_default())),
        })
        .collect()
}

/// How often a closing is decided again when another writer added to the chain between reading
/// the board and writing the closing (another desk may have closed the same task).
const CLOSING_TRIES: usize = 50;

/// Closes a task by `attempt`: the closing decided from the board as it stands and written only
/// over the chain's head it was decided from (None: another writer got there first, so it is
/// decided again). The board is read outside the writers' lock; two desks closing one task at
/// once close it once, the other refused as "already closed". Both backends close tasks so.
pub(crate) fn close_over_head(mut attempt: impl FnMut() -> Result<Option<Recorded>>) -> Result<Recorded> {
    for _ in 0..CLOSING_TRIES {
        if let Some(rec) = attempt()? {
            return Ok(rec);
        }
    }
    Err(StoreError::Refused(
        "other records kept arriving while the task was being closed; nothing was recorded. Try again".into(),
    ))
}

/// The record closing task `id` of `board` (the board on `event.on`): refused for a task not on
/// the board or already closed, or a closing the domain does not accept. Both backends close
/// tasks by this.
pub(crate) fn closing_body(board: &[BoardTask], id: &str, event: TaskEvent) -> Result<String> {
    let event = task_board::closing(board, id, event).map_err(StoreError::Refused)?;
    serde_json::to_string(&event).map_err(|e| StoreError::Refused(format!("cannot store a task: {e}")))
}

/// The task board's inputs from every decision (chain order) and every task record's body.
pub(crate) fn inputs_of(
    rows: Vec<super::RecordRow>,
    bodies: Vec<(i64, String)>,
) -> Result<(Vec<DecisionTasks>, Vec<TaskEvent>)> {
    let events = bodies.into_iter().map(|(seq, body)| task_event(seq, &body)).collect::<Result<Vec<TaskEvent>>>()?;
    Ok((decision_tasks(rows), events))
}

/// The inputs as they stood when record `head` was written: the decisions and task records up to
/// it, a later correction not yet known (either store reads the rows, this picks them).
pub(crate) fn inputs_at(
    rows: Vec<super::RecordRow>,
    bodies: Vec<(i64, String)>,
    head: i64,
) -> Result<(Vec<DecisionTasks>, Vec<TaskEvent>)> {
    let rows = rows
        .into_iter()
        .filter(|r| r.seq <= head)
        .map(|mut r| {
            r.superseded_by = r.superseded_by.filter(|by| *by <= head);
            r
        })
        .collect();
    inputs_of(rows, bodies.into_iter().filter(|(seq, _)| *seq <= head).collect())
}

fn task_event(seq: i64, body: &str) -> Result<TaskEvent> {
    serde_json::from_str(body).map_err(|e| StoreError::Refused(format!("task record {seq} cannot be read: {e}")))
}

/// A store's id from its first record's hash (either backend): its first 8 bytes, or "none"
/// for a store with no records.
pub(crate) fn store_id_of(first: Option<Vec<u8>>) -> String {
    first.map_or_else(|| "none".to_string(), |h| hex::encode(&h[..h.len().min(8)]))
}

/// The meta key saying which record the open-task cache is current to.
const OPEN_TASKS_HEAD: &str = "open_tasks_head";

impl Store {
    /// Every decision's tasks (corrections with what they supersede) and every task closing.
    pub fn task_inputs(&self) -> Result<(Vec<DecisionTasks>, Vec<TaskEvent>)> {
        self.task_inputs_at(i64::MAX)
    }

    /// The task board's inputs as they stood when record `head` was written: the decisions and
    /// task records up to it, a later correction not yet known. What the minutes of a meeting
    /// read, so they say the same however often they are printed.
    pub fn task_inputs_at(&self, head: i64) -> Result<(Vec<DecisionTasks>, Vec<TaskEvent>)> {
        let mut rows = Vec::new();
        self.each_decision(None, None, |r| {
            rows.push(r);
            Ok(())
        })?;
        inputs_at(rows, self.bodies_of(TASK_KIND)?, head)
    }

    /// How many open tasks are past their due date on `today`, as the board counts them
    /// (`task_board::overdue_count`), without reading every decision: from the open-task cache,
    /// first brought up to date with the records written since it was last.
    pub fn overdue_tasks(&mut self, today: chrono::NaiveDate) -> Result<usize> {
        self.refresh_open_tasks()?;
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM open_tasks WHERE due < ?1", [today.to_string()], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Brings the open-task cache up to the chain's head: the referrals named by the decisions
    /// and task closings recorded since are derived again by the board itself (one referral's
    /// tasks depend on its own records only); a cache never built is derived whole.
    fn refresh_open_tasks(&mut self) -> Result<()> {
        use rusqlite::params;
        let head: i64 = self.conn.query_row("SELECT coalesce(max(seq), 0) FROM records", [], |r| r.get(0))?;
        let built: Option<i64> = self.meta(OPEN_TASKS_HEAD)?.and_then(|s| s.parse().ok());
        if built == Some(head) {
            return Ok(());
        }
        // Open or closed does not depend on the day; only overdue does, and that is counted above.
        let any_day = chrono::NaiveDate::MIN;
        let (referrals, open): (Option<Vec<i64>>, Vec<BoardTask>) = match built {
            None => {
                let (decisions, events) = self.task_inputs()?;
                (None, task_board::board(&decisions, &events, any_day))
            }
            Some(from) => {
                let mut stmt = self.conn.prepare(
                    "SELECT referral_id FROM records WHERE seq > ?1 AND kind = 'decision' AND referral_id IS NOT NULL
                     UNION SELECT json_extract(body, '$.referral_id') FROM records WHERE seq > ?1 AND kind = ?2",
                )?;
                let ids: Vec<i64> = stmt
                    .query_map(params![from, TASK_KIND], |r| r.get::<_, Option<i64>>(0))?
                    .filter_map(|r| r.transpose())
                    .collect::<rusqlite::Result<_>>()?;
                drop(stmt);
                let mut open = Vec::new();
                for &id in &ids {
                    let decisions = decision_tasks(self.decisions_for(id)?);
                    let mut stmt = self.conn.prepare_cached(
                        "SELECT seq, body FROM records WHERE kind = ?1 AND json_extract(body, '$.referral_id') = ?2
                         ORDER BY seq",
                    )?;
                    let events = stmt
                        .query_map(params![TASK_KIND, id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                        .map(|r| r.map_err(Into::into).and_then(|(seq, body)| task_event(seq, &body)))
                        .collect::<Result<Vec<TaskEvent>>>()?;
                    open.extend(task_board::board(&decisions, &events, any_day));
                }
                (Some(ids), open)
            }
        };
        self.write(|tx| {
            match &referrals {
                None => {
                    tx.execute("DELETE FROM open_tasks", [])?;
                }
                Some(ids) => {
                    let mut del = tx.prepare_cached("DELETE FROM open_tasks WHERE referral_id = ?1")?;
                    for id in ids {
                        del.execute([id])?;
                    }
                }
            }
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO open_tasks (referral_id, kind, decision, due) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for t in open.iter().filter(|t| t.status.is_open()) {
                ins.execute(params![t.referral_id, t.kind, t.decision, t.due.to_string()])?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![OPEN_TASKS_HEAD, head.to_string()],
            )?;
            Ok(())
        })
    }

    /// An id for this store that no other store shares: the start of its first record's hash
    /// (the genesis; a hash never changes once written, even after a retention erasure). "none"
    /// for a store with no records (and so no tasks).
    pub fn store_id(&self) -> Result<String> {
        let first: Option<Vec<u8>> =
            self.conn.query_row("SELECT hash FROM records ORDER BY seq LIMIT 1", [], |r| r.get(0)).optional()?;
        Ok(store_id_of(first))
    }

    /// The task board on `today`.
    pub fn task_board(&self, today: chrono::NaiveDate) -> Result<Vec<BoardTask>> {
        let (decisions, events) = self.task_inputs()?;
        Ok(task_board::board(&decisions, &events, today))
    }

    /// Closes an open task (done, or not needed with a reason), or records a letter toward it
    /// sent: a record in the chain. Refuses a task not on the board on `event.on` or already
    /// closed, and a letter the task does not need or already recorded sent.
    pub fn close_task(
        &mut self,
        id: &str,
        event: TaskEvent,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<super::Recorded> {
        close_over_head(|| {
            let head: i64 = self.conn.query_row("SELECT coalesce(max(seq), 0) FROM records", [], |r| r.get(0))?;
            let body = closing_body(&self.task_board(event.on)?, id, event.clone())?;
            self.append_record_after(TASK_KIND, body, actor, at, head)
        })
    }
}
