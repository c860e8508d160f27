//! What the panel screen reads and writes on a server beyond the chain itself: the queue's pages,
//! drafts as this workstation last saw them, corrections in progress, the task board and each
//! login's own screen settings. The same meaning as the SQLite store's (referrals.rs,
//! corrections.rs, tasks.rs, settings.rs), with the rules shared where there are rules.

use chrono::{DateTime, Utc};
use postgres::types::ToSql;

use super::{DraftKind, PgStore, RECORD_SELECT, Result, StoreError, json, records, row_to_record};
use crate::domain::referral::Case;
use crate::domain::task_board::{self, BoardTask, TaskEvent};
use crate::store::referrals::{REFERRAL_SELECT, RawReferral};
use crate::store::tasks::{TASK_KIND, closing_body, inputs_at};
use crate::store::{CorrectionDraft, Draft, RecordRow, Recorded, ReferralRow};

fn referral_row(row: &postgres::Row) -> Result<ReferralRow> {
    RawReferral {
        id: row.get(0),
        body: row.get(1),
        synthetic: row.get(2),
        draft: row.get(3),
        decisions: row.get(4),
        saved_by: row.get(5),
        saved_at: row.get(6),
        age_at_offence: row.get(7),
    }
    .read()
}

impl PgStore {
    /// This login's screen setting `key`.
    pub fn setting(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self
            .client
            .query_opt("SELECT value FROM screen_settings WHERE login = session_user::text AND key = $1", &[&key])?
            .map(|r| r.get(0)))
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.client.execute(
            "INSERT INTO screen_settings (login, key, value) VALUES (session_user::text, $1, $2)
             ON CONFLICT (login, key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    pub fn remove_setting(&mut self, key: &str) -> Result<()> {
        self.client.execute("DELETE FROM screen_settings WHERE login = session_user::text AND key = $1", &[&key])?;
        Ok(())
    }

    pub fn referral(&mut self, id: i64) -> Result<Option<ReferralRow>> {
        let sql = format!("{REFERRAL_SELECT} WHERE r.id = $1");
        self.client.query_opt(sql.as_str(), &[&id])?.as_ref().map(referral_row).transpose()
    }

    /// How many referrals come before `id` in the queue's order (newest first).
    pub fn referral_position(&mut self, id: i64) -> Result<i64> {
        Ok(self
            .client
            .query_one(
                "SELECT count(*) FROM referrals r, (SELECT referral_date AS d, id AS i FROM referrals WHERE id = $1) x
                 WHERE r.referral_date > x.d OR (r.referral_date = x.d AND r.id > x.i)",
                &[&id],
            )?
            .get(0))
    }

    /// Every referral not yet decided, longest waiting first, each with its draft: what the
    /// agenda reads (as `Store::pending_referrals`).
    pub fn pending_referrals(&mut self) -> Result<Vec<ReferralRow>> {
        let sql = format!(
            "{REFERRAL_SELECT} WHERE NOT EXISTS (SELECT 1 FROM records x WHERE x.referral_id = r.id AND x.kind = 'decision')
             ORDER BY r.referral_date COLLATE \"C\", r.id"
        );
        self.client.query(sql.as_str(), &[])?.iter().map(referral_row).collect()
    }

    /// One page of the queue, newest referral first.
    pub fn referral_page(&mut self, offset: i64, limit: i64) -> Result<Vec<ReferralRow>> {
        let sql = format!("{REFERRAL_SELECT} ORDER BY r.referral_date DESC, r.id DESC LIMIT $1 OFFSET $2");
        self.client.query(sql.as_str(), &[&limit, &offset])?.iter().map(referral_row).collect()
    }

    /// The most recently saved draft, for the "resume where you stopped" offer: this login's own
    /// (another workstation's draft is not offered here as "where you stopped").
    pub fn latest_draft(&mut self) -> Result<Option<(i64, Draft)>> {
        let id: Option<i64> = self
            .client
            .query_opt(
                "SELECT referral_id FROM drafts WHERE saved_by = session_user::text ORDER BY saved_at DESC LIMIT 1",
                &[],
            )?
            .map(|r| r.get(0));
        match id {
            None => Ok(None),
            Some(id) => Ok(self.draft(id)?.map(|d| (id, d))),
        }
    }

    /// Saves a draft over the version this workstation last read or saved (`draft`), as
    /// `Store::save_draft`; the server names the login as who saved it.
    pub fn save_draft_as(&mut self, referral_id: i64, step: &str, case: &Case, at: DateTime<Utc>) -> Result<()> {
        let expected = self.seen.version(DraftKind::Case, referral_id);
        self.save_draft_if(referral_id, step, case, expected, at).map(|_| ())
    }

    /// As `Store::save_correction_draft`: saved only over the version this workstation last read
    /// or saved, in one statement; the server names the login as who saved it.
    pub fn save_correction_draft(&mut self, referral_id: i64, d: &CorrectionDraft, at: DateTime<Utc>) -> Result<()> {
        let body = json(&d.case)?;
        let stamp = records::timestamp(at);
        let expected = self.seen.version(DraftKind::Correction, referral_id);
        let version = expected.unwrap_or(0) + 1;
        let saved = match expected {
            None => self.client.execute(
                "INSERT INTO correction_drafts (referral_id, supersedes, reason, step, body, saved_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, 1)
                 ON CONFLICT (referral_id) DO NOTHING",
                &[&referral_id, &d.supersedes, &d.reason, &d.step, &body, &stamp],
            )?,
            Some(v) => self.client.execute(
                "UPDATE correction_drafts SET supersedes = $2, reason = $3, step = $4, body = $5, saved_at = $6,
                   version = $7
                 WHERE referral_id = $1 AND version = $8",
                &[&referral_id, &d.supersedes, &d.reason, &d.step, &body, &stamp, &version, &v],
            )?,
        };
        if saved == 1 {
            self.seen.saw(DraftKind::Correction, referral_id, Some(version));
            return Ok(());
        }
        Err(super::draft_changed(&mut self.client, DraftKind::Correction, referral_id)?)
    }

    /// The correction in progress for a referral, if any; its version is the one this
    /// workstation saves over next.
    pub fn correction_draft(&mut self, referral_id: i64) -> Result<Option<CorrectionDraft>> {
        let row = self.client.query_opt(
            "SELECT supersedes, reason, step, body, saved_at, saved_by, version
             FROM correction_drafts WHERE referral_id = $1",
            &[&referral_id],
        )?;
        let Some(r) = row else {
            self.seen.saw(DraftKind::Correction, referral_id, None);
            return Ok(None);
        };
        let body: String = r.get(3);
        let case = serde_json::from_str(&body)
            .map_err(|e| StoreError::Refused(format!("the correction in progress cannot be read: {e}")))?;
        self.seen.saw(DraftKind::Correction, referral_id, Some(r.get(6)));
        Ok(Some(CorrectionDraft {
            supersedes: r.get(0),
            reason: r.get(1),
            step: r.get(2),
            case,
            saved_at: r.get(4),
            saved_by: r.get(5),
        }))
    }

    /// As `Store::store_id`: the start of the first record's hash, the same after `jdp copy`.
    pub fn store_id(&mut self) -> Result<String> {
        let first: Option<Vec<u8>> =
            self.client.query_opt("SELECT hash FROM records ORDER BY seq LIMIT 1", &[])?.map(|r| r.get(0));
        Ok(crate::store::tasks::store_id_of(first))
    }

    /// The task board on `today`, derived from every decision and task record (as on a file),
    /// read again only when the chain has grown since.
    pub fn task_board(&mut self, today: chrono::NaiveDate) -> Result<Vec<BoardTask>> {
        let head: i64 = self.meta("head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let inputs = match self.task_inputs.take() {
            Some((at, inputs)) if at == head => inputs,
            _ => self.task_inputs_at(i64::MAX)?,
        };
        let board = task_board::board(&inputs.0, &inputs.1, today);
        self.task_inputs = Some((head, inputs));
        Ok(board)
    }

    /// The task board's inputs as they stood when record `head` was written (as
    /// `Store::task_inputs_at`): what the minutes of a meeting read.
    pub fn task_inputs_at(
        &mut self,
        head: i64,
    ) -> Result<(Vec<crate::domain::task_board::DecisionTasks>, Vec<TaskEvent>)> {
        let sql = format!("{RECORD_SELECT} WHERE kind = 'decision' AND seq <= $1 ORDER BY records.seq");
        let rows = self.client.query(sql.as_str(), &[&head])?.iter().map(row_to_record).collect::<Result<Vec<_>>>()?;
        let bodies = self
            .client
            .query(
                "SELECT seq, body FROM records WHERE kind = $1 AND seq <= $2 ORDER BY seq",
                &[&TASK_KIND as &(dyn ToSql + Sync), &head],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        inputs_at(rows, bodies, head)
    }

    /// The decisions decided on `day` (corrections among them), in the chain's order.
    pub fn decisions_on(&mut self, day: chrono::NaiveDate) -> Result<Vec<RecordRow>> {
        let sql = format!("{RECORD_SELECT} WHERE kind = 'decision' AND decided_on = $1 ORDER BY records.seq");
        self.client.query(sql.as_str(), &[&day.to_string()])?.iter().map(row_to_record).collect()
    }

    /// The dates of the recorded sittings, oldest first (as `Store::session_dates`).
    pub fn session_dates(&mut self) -> Result<Vec<chrono::NaiveDate>> {
        let rows = self.client.query("SELECT held_on FROM panel_sessions ORDER BY held_on COLLATE \"C\"", &[])?;
        rows.iter()
            .map(|r| {
                let s: String = r.get(0);
                s.parse().map_err(|_| StoreError::Refused(format!("a panel session has a malformed date: {s}")))
            })
            .collect()
    }

    /// The last decision or correction decided on `day`, as `(seq, hash)` (`Store::sitting_head`).
    pub fn sitting_head(&mut self, day: chrono::NaiveDate) -> Result<Option<(i64, String)>> {
        self.head_where("kind = 'decision' AND decided_on = $1", day)
    }

    /// The last record decided or written on `day` (`Store::head_after`).
    pub fn head_after(&mut self, day: chrono::NaiveDate) -> Result<Option<(i64, String)>> {
        self.head_where("decided_on = $1 OR substr(recorded_at, 1, 10) = $1", day)
    }

    fn head_where(&mut self, filter: &str, day: chrono::NaiveDate) -> Result<Option<(i64, String)>> {
        let sql = format!("SELECT seq, hash FROM records WHERE {filter} ORDER BY seq DESC LIMIT 1");
        Ok(self.client.query_opt(sql.as_str(), &[&day.to_string()])?.map(|r| {
            let hash: Vec<u8> = r.get(1);
            (r.get(0), hex::encode(hash))
        }))
    }

    /// Open tasks past their due date on `today`, as the board counts them (the server keeps no
    /// cache of open tasks: the board is derived each time).
    pub fn overdue_tasks(&mut self, today: chrono::NaiveDate) -> Result<usize> {
        Ok(task_board::overdue_count(&self.task_board(today)?))
    }

    /// Closes an open task: a record in the chain, by the same rules as on a file.
    pub fn close_task(&mut self, id: &str, event: TaskEvent, at: DateTime<Utc>) -> Result<Recorded> {
        crate::store::tasks::close_over_head(|| {
            let head: i64 = self.client.query_one("SELECT coalesce(max(seq), 0) FROM records", &[])?.get(0);
            let body = closing_body(&self.task_board(event.on)?, id, event.clone())?;
            self.append_record_after(TASK_KIND, body, at, head)
        })
    }
}
