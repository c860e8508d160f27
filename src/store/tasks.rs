//! The task board's inputs: every decision's tasks and every task record. Closing a task is a
//! `task` record in the chain (`append_record`), never an edit; where each task stands is
//! derived (`domain::task_board`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Result, Store, StoreError};
use crate::domain::task_board::{self, BoardTask, DecisionTasks, TaskEvent};

/// The record kind of a task closing.
pub const TASK_KIND: &str = "task";

impl Store {
    /// Every decision's tasks (corrections with what they supersede) and every task closing.
    pub fn task_inputs(&self) -> Result<(Vec<DecisionTasks>, Vec<TaskEvent>)> {
        let mut rows = Vec::new();
        let mut reasons: HashMap<i64, String> = HashMap::new();
        self.each_decision(None, None, |r| {
            if let Some(reason) = &r.correction_reason {
                reasons.insert(r.seq, reason.clone());
            }
            rows.push(r);
            Ok(())
        })?;
        let decisions = rows
            .into_iter()
            .map(|r| DecisionTasks {
                seq: r.seq,
                referral_id: r.referral_id.unwrap_or_default(),
                reference: r.snapshot.case.referral.reference.clone(),
                tasks: r.snapshot.tasks,
                superseded: r.superseded_by.map(|s| (s, reasons.get(&s).cloned().unwrap_or_default())),
            })
            .collect();
        let events = self
            .bodies_of(TASK_KIND)?
            .into_iter()
            .map(|(seq, body)| {
                serde_json::from_str(&body)
                    .map_err(|e| StoreError::Refused(format!("task record {seq} cannot be read: {e}")))
            })
            .collect::<Result<Vec<TaskEvent>>>()?;
        Ok((decisions, events))
    }

    /// The task board on `today`.
    pub fn task_board(&self, today: chrono::NaiveDate) -> Result<Vec<BoardTask>> {
        let (decisions, events) = self.task_inputs()?;
        Ok(task_board::board(&decisions, &events, today))
    }

    /// Closes an open task (done, or not needed with a reason): a record in the chain. Refuses a
    /// task not on the board on `event.on` or already closed.
    pub fn close_task(
        &mut self,
        id: &str,
        event: TaskEvent,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<super::Recorded> {
        let board = self.task_board(event.on)?;
        let Some(task) = board.iter().find(|t| t.id == id) else {
            return Err(StoreError::Refused(format!("no task {id} (jdp tasks lists them with their ids)")));
        };
        if !task.status.is_open() {
            return Err(StoreError::Refused(format!("task {id} is already closed: {}", task.status.label())));
        }
        if let task_board::Closed::NotNeeded { reason } = &event.closed
            && reason.trim().is_empty()
        {
            return Err(StoreError::Refused("a task closed as not needed needs a reason".into()));
        }
        let event =
            TaskEvent { referral_id: task.referral_id, decision: task.decision, task: task.kind.clone(), ..event };
        let body =
            serde_json::to_string(&event).map_err(|e| StoreError::Refused(format!("cannot store a task: {e}")))?;
        self.append_record(TASK_KIND, body, actor, at)
    }
}
