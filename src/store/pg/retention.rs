//! Retention on a server: the same referrals are due, and erasure takes out the same details
//! in the same way (`store::retention::erase_in`), under the writers' lock, in one transaction.
//! Only the panel's owner (who ran `jdp server init`) may: no role may update a record, and the
//! guard (migration 11) lets through only the sanctioned erasure, as on a file.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Transaction;
use postgres::types::Type;

use super::super::chain::{COLUMNS, FORMAT_2_COLUMNS, Field, Hash};
use super::super::records::timestamp;
use super::super::retention::{Due, DueRow, ERASE_ACTION, Erasure, ErasureTx, due_of, erase_in, key_column};
use super::super::{Result, StoreError};
use super::{PgStore, append_plain, decision_in, head, log_in, plain_insert, set_head};
use crate::domain::erasure::ERASED;
use crate::store::scrutiny::anonymised_from;

/// Is there already a linked erasure record for this record?
const LINKED: &str = "EXISTS (SELECT 1 FROM records e WHERE e.referral_id = r.referral_id AND e.kind = 'erasure'
                       AND (e.body::jsonb ->> 'erases')::bigint = r.seq)";

fn due_rows(c: &mut impl postgres::GenericClient) -> Result<Vec<DueRow>> {
    let sql = format!(
        "SELECT f.id, f.reference, f.referral_date, max(r.decided_on),
                coalesce(array_agg(r.seq ORDER BY r.seq) FILTER (WHERE r.seq IS NOT NULL), '{{}}'),
                count(r.personal),
                coalesce(array_agg(r.seq ORDER BY r.seq) FILTER (WHERE r.seq IS NOT NULL AND (r.format IS NULL
                    OR coalesce(r.correction_reason <> $1, false)) AND NOT {LINKED}), '{{}}'),
                (f.body::jsonb #>> '{{child,name}}') IS NOT DISTINCT FROM $1
         FROM referrals f LEFT JOIN records r ON r.referral_id = f.id AND r.kind = 'decision'
         GROUP BY f.id ORDER BY f.id"
    );
    Ok(c.query(&sql, &[&ERASED])?
        .iter()
        .map(|r| DueRow {
            referral_id: r.get(0),
            reference: r.get(1),
            referral_date: r.get(2),
            decided_on: r.get(3),
            records: r.get(4),
            personal_left: r.get(5),
            needs_link: r.get(6),
            name_erased: r.get(7),
        })
        .collect())
}

/// A server's writing transaction, for `erase_in`.
struct ServerErasure<'a, 'c>(&'a mut Transaction<'c>);

impl ErasureTx for ServerErasure<'_, '_> {
    fn due_rows(&mut self) -> Result<Vec<DueRow>> {
        due_rows(self.0)
    }
    fn body(&mut self, table: &str, referral_id: i64) -> Result<Option<String>> {
        let sql = format!("SELECT body FROM {table} WHERE {} = $1", key_column(table));
        Ok(self.0.query_opt(&sql, &[&referral_id])?.map(|r| r.get(0)))
    }
    fn set_body(&mut self, table: &str, referral_id: i64, body: &str) -> Result<()> {
        let sql = format!("UPDATE {table} SET body = $1 WHERE {} = $2", key_column(table));
        self.0.execute(&sql, &[&body, &referral_id])?;
        Ok(())
    }
    fn drop_personal(&mut self, seq: i64) -> Result<bool> {
        let n = self.0.execute(
            "UPDATE records SET personal = NULL, personal_salt = NULL
             WHERE seq = $1 AND format = 2 AND personal IS NOT NULL",
            &[&seq],
        )?;
        Ok(n > 0)
    }
    fn scrutiny_of(&mut self, seq: i64) -> Result<Vec<i64>> {
        Ok(self
            .0
            .query(
                "SELECT seq FROM records WHERE kind IN ('review', 'rating') AND (body::jsonb ->> 'decision')::bigint = $1
                 ORDER BY seq",
                &[&seq],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
    fn task_closings(&mut self, referral_id: i64) -> Result<Vec<i64>> {
        Ok(self
            .0
            .query(
                "SELECT seq FROM records WHERE kind = 'task' AND (body::jsonb ->> 'referral_id')::bigint = $1
                 ORDER BY seq",
                &[&referral_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
    fn hashed(&mut self, seq: i64) -> Result<(Vec<Field>, Vec<u8>)> {
        let sql =
            format!("SELECT {}, {}, hash FROM records WHERE seq = $1", COLUMNS.join(", "), FORMAT_2_COLUMNS.join(", "));
        let row = self.0.query_one(&sql, &[&seq])?;
        let width = COLUMNS.len() + FORMAT_2_COLUMNS.len();
        // Each column as SQLite would read it: BIGINT an integer, TEXT text, NULL null.
        let fields = (0..width)
            .map(|i| {
                if *row.columns()[i].type_() == Type::INT8 {
                    row.get::<_, Option<i64>>(i).map_or(Field::Null, Field::Int)
                } else {
                    row.get::<_, Option<String>>(i).map_or(Field::Null, Field::Text)
                }
            })
            .collect();
        Ok((fields, row.get(width)))
    }
    fn append(&mut self, prev: &Hash, fields: Vec<Field>) -> Result<Hash> {
        append_plain(self.0, plain_insert().as_str(), prev, &fields)
    }
    fn rewrite(&mut self, seq: i64, body: Option<&str>, reason: Option<&str>) -> Result<()> {
        self.0.execute(
            "UPDATE records SET body = $1, correction_reason = $2, personal = NULL, personal_salt = NULL WHERE seq = $3",
            &[&body, &reason, &seq],
        )?;
        Ok(())
    }
    fn head(&mut self) -> Result<(i64, Hash)> {
        head(self.0)
    }
    fn set_head(&mut self, seq: i64, hash: &Hash) -> Result<()> {
        set_head(self.0, seq, hash)
    }
    fn log(&mut self, stamp: &str, by: &str, target: &str, reason: &str) -> Result<()> {
        log_in(self.0, stamp, by, ERASE_ACTION, target, reason)
    }
}

impl PgStore {
    /// Referrals (with their decisions) whose retention of `months` ended on or before `today`
    /// (as `Store::retention_due`).
    pub fn retention_due(&mut self, months: u16, today: NaiveDate) -> Result<Vec<Due>> {
        due_of(due_rows(&mut self.client)?, months, today)
    }

    /// Erases the child's personal details from every referral past retention, as
    /// `Store::erase_after_retention` does, as the login. Then the tables are vacuumed, so the
    /// rows' old versions are gone from them (the server's write-ahead log and its backups keep
    /// theirs until they are recycled: the server's administrator sets how long).
    pub fn erase_after_retention(
        &mut self,
        months: u16,
        today: NaiveDate,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Erasure> {
        if reason.trim().is_empty() {
            return Err(StoreError::Refused("an erasure needs a reason".into()));
        }
        let stamp = timestamp(at);
        let by = self.user.clone();
        let panel = self.anonymising_panel()?;
        let done = self.write(|tx| {
            let done = erase_in(&mut ServerErasure(tx), (months, today), &by, reason, &stamp)?;
            // What a scrutiny panel reads of each erased decision (kept beside it, migration 7)
            // is made again from what is left of it, as a file's is read from the record.
            for &seq in &done.records {
                if let Some(case) = anonymised_from(seq, &panel, |s| decision_in(tx, s))? {
                    let text = crate::store::json(&case)?;
                    tx.execute("UPDATE scrutiny_cases SET anonymised = $2 WHERE seq = $1", &[&seq, &text])?;
                }
            }
            Ok(done)
        })?;
        if !done.referrals.is_empty() {
            self.client.batch_execute("VACUUM referrals, drafts, correction_drafts, records")?;
        }
        Ok(done)
    }
}
