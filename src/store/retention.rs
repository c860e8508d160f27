//! Retention: which referrals and decisions are past the panel's retention period, and the one
//! sanctioned change to a recorded decision — erasing the child's personal details after it.
//!
//! A referral's retention runs from its latest decision's date (or, with no decision, from the
//! referral date) for `records.retention_months`. Erasure takes the personal details
//! (`domain::erasure`) out of the referral, its drafts and its recorded decisions in one
//! transaction, and logs one access-log entry naming every record and referral erased. Records
//! of format 2 keep the details apart and hash only their digest, so erasing them leaves every
//! hash standing. Records of format 1 (written before format 2) hash the details themselves:
//! each is erased by first chaining a linked `erasure` record that carries its hash and a digest
//! of its erased content, then rewriting its body; verify accepts the changed record only
//! through that link.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Months, NaiveDate, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use super::chain::{self, COLUMNS, FORMAT_2_COLUMNS, Field, Hash};
use super::records::{append, head, plain_fields, set_head, timestamp};
use super::{Result, Store, StoreError};
use crate::domain::erasure::{self, ERASED, Shape};

/// The access-log action of an erasure.
pub const ERASE_ACTION: &str = "erase after retention";

/// A referral past retention, with its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub referral_id: i64,
    pub reference: String,
    /// The latest decision's date, if decided.
    pub decided_on: Option<NaiveDate>,
    pub referral_date: NaiveDate,
    /// When retention ended.
    pub ended_on: NaiveDate,
    /// Its decision records, oldest first.
    pub records: Vec<i64>,
    /// Its personal details are already erased (referral and every format-2 record).
    pub erased: bool,
    /// Records whose hashed content holds personal details, not yet erased: records of format 1
    /// and corrections with a reason. They are erased through a linked erasure record.
    pub needs_link: Vec<i64>,
}

/// What an erasure did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    /// Referrals whose personal details were erased now (id, reference).
    pub referrals: Vec<(i64, String)>,
    /// Records whose personal details were erased now: decisions, and scrutiny's reviews and
    /// ratings of them.
    pub records: Vec<i64>,
    /// Records whose hashed content was erased now, each with the linked erasure record chained
    /// for it.
    pub linked: Vec<(i64, i64)>,
}

/// What a linked erasure record says of the format-1 record it erased.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkedErasure {
    pub erases: i64,
    /// The erased record's hash (hex), which the chain after it still links to.
    pub hash: String,
    /// The digest of the erased record's canonical bytes as it reads after erasure.
    pub content: String,
}

/// Is there already a linked erasure record for this format-1 record?
const LINKED: &str = "EXISTS (SELECT 1 FROM records e WHERE e.referral_id = r.referral_id AND e.kind = 'erasure'
                       AND json_extract(e.body, '$.erases') = r.seq)";

fn ints(list: Option<String>) -> Vec<i64> {
    let mut v: Vec<i64> = list.unwrap_or_default().split(',').filter_map(|s| s.trim().parse().ok()).collect();
    v.sort_unstable();
    v
}

fn date(s: &str) -> Option<NaiveDate> {
    s.parse().ok()
}

/// One referral as either backend reads it for [`due_of`]: its dates, its decision records,
/// and what of the child is left in them.
#[derive(Debug, Clone, Default)]
pub(crate) struct DueRow {
    pub referral_id: i64,
    pub reference: String,
    pub referral_date: String,
    /// Its latest decision's date.
    pub decided_on: Option<String>,
    /// Its decision records, in order.
    pub records: Vec<i64>,
    /// How many of them still keep details apart.
    pub personal_left: i64,
    /// Those whose hashed content holds details, with no linked erasure record yet.
    pub needs_link: Vec<i64>,
    /// The referral's child's name reads as erased.
    pub name_erased: bool,
}

/// Every referral of a file store, read for [`due_of`].
fn due_rows(conn: &Connection) -> Result<Vec<DueRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT f.id, f.reference, f.referral_date, max(r.decided_on), group_concat(r.seq),
                coalesce(sum(r.personal IS NOT NULL), 0),
                group_concat(CASE WHEN (r.format IS NULL OR coalesce(r.correction_reason <> ?1, 0)) AND NOT {LINKED} THEN r.seq END),
                json_extract(f.body, '$.child.name') IS ?1
         FROM referrals f LEFT JOIN records r ON r.referral_id = f.id AND r.kind = 'decision'
         GROUP BY f.id ORDER BY f.id"
    ))?;
    let rows = stmt.query_map([ERASED], |row| {
        Ok(DueRow {
            referral_id: row.get(0)?,
            reference: row.get(1)?,
            referral_date: row.get(2)?,
            decided_on: row.get(3)?,
            records: ints(row.get(4)?),
            personal_left: row.get(5)?,
            needs_link: ints(row.get(6)?),
            name_erased: row.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The referrals of `rows` whose retention of `months` ended on or before `today`, oldest end
/// first. Retention runs from the latest decision, or from the referral date if undecided.
pub(crate) fn due_of(rows: Vec<DueRow>, months: u16, today: NaiveDate) -> Result<Vec<Due>> {
    let mut out = Vec::new();
    for row in rows {
        let referral_id = row.referral_id;
        let bad = |what: &str| StoreError::Refused(format!("referral {referral_id} has an unreadable {what}"));
        let referral_date = date(&row.referral_date).ok_or_else(|| bad("referral date"))?;
        let decided_on = match &row.decided_on {
            Some(d) => Some(date(d).ok_or_else(|| bad("decision date"))?),
            None => None,
        };
        let from = decided_on.unwrap_or(referral_date);
        let Some(ended_on) = from.checked_add_months(Months::new(u32::from(months))) else { continue };
        if ended_on > today {
            continue;
        }
        out.push(Due {
            referral_id,
            reference: row.reference,
            decided_on,
            referral_date,
            ended_on,
            records: row.records,
            erased: row.name_erased && row.personal_left == 0 && row.needs_link.is_empty(),
            needs_link: row.needs_link,
        });
    }
    out.sort_by_key(|d| (d.ended_on, d.referral_id));
    Ok(out)
}

/// Erases the personal details in one stored JSON body; returns the new body if it changed.
fn erased_body(body: &str, shape: Shape) -> Result<Option<String>> {
    let mut doc: serde_json::Value =
        serde_json::from_str(body).map_err(|e| StoreError::Refused(format!("a stored body cannot be read: {e}")))?;
    Ok(erasure::erase(&mut doc, shape).then(|| doc.to_string()))
}

/// The text a record keeps in place of an erased correction reason.
fn erased_reason(reason: &Field) -> Option<Field> {
    match reason {
        Field::Text(t) if t != ERASED => Some(Field::Text(ERASED.to_string())),
        _ => None,
    }
}

/// What erasure needs of a store, inside its writing transaction (under its writers' lock on a
/// server). The two backends differ only in their SQL: what is erased, in which order, and what
/// is chained and logged is decided once, by [`erase_in`].
pub(crate) trait ErasureTx {
    /// Every referral, read for [`due_of`].
    fn due_rows(&mut self) -> Result<Vec<DueRow>>;
    /// The stored body of the referral (`referrals`) or of its draft (`drafts`,
    /// `correction_drafts`).
    fn body(&mut self, table: &str, referral_id: i64) -> Result<Option<String>>;
    fn set_body(&mut self, table: &str, referral_id: i64, body: &str) -> Result<()>;
    /// Drops the details a format-2 record keeps apart (and their salt), the one change the
    /// guard lets through unlinked; whether it had any.
    fn drop_personal(&mut self, seq: i64) -> Result<bool>;
    /// The scrutiny reviews and ratings of decision `seq`, in order.
    fn scrutiny_of(&mut self, seq: i64) -> Result<Vec<i64>>;
    /// The records closing the referral's follow-up tasks, in order.
    fn task_closings(&mut self, referral_id: i64) -> Result<Vec<i64>>;
    /// Record `seq`'s hashed fields (`COLUMNS`, then `FORMAT_2_COLUMNS`) and its hash.
    fn hashed(&mut self, seq: i64) -> Result<(Vec<Field>, Vec<u8>)>;
    /// Appends a record of `COLUMNS` after `prev`; its hash.
    fn append(&mut self, prev: &Hash, fields: Vec<Field>) -> Result<Hash>;
    /// Rewrites a record's body and correction reason, and drops its details kept apart: the
    /// guard allows it only once a linked erasure record for it is chained.
    fn rewrite(&mut self, seq: i64, body: Option<&str>, reason: Option<&str>) -> Result<()>;
    fn head(&mut self) -> Result<(i64, Hash)>;
    fn set_head(&mut self, seq: i64, hash: &Hash) -> Result<()>;
    /// Appends an access-log entry.
    fn log(&mut self, stamp: &str, by: &str, target: &str, reason: &str) -> Result<()>;
}

/// Erases what a record's hashed content holds about the child (its body by `shape`, and a
/// correction's reason): chains a linked erasure record (the record's hash, and the digest of
/// its content as it reads after erasure), then rewrites the record, which the guard allows
/// only once that link exists. Its details kept apart (format 2) go with it. Returns the
/// erasure record's number, or None if the hashed content held nothing personal.
fn erase_linked(
    tx: &mut dyn ErasureTx,
    (seq, shape): (i64, Shape),
    referral_id: i64,
    (last, prev): (&mut i64, &mut Hash),
    stamp: &str,
    by: &str,
) -> Result<Option<i64>> {
    let (mut fields, hash) = tx.hashed(seq)?;
    // The digest covers what the record's hash covers: the format-2 columns only where set.
    if fields[COLUMNS.len()] == Field::Null {
        fields.truncate(COLUMNS.len());
    }
    let body_at = COLUMNS.len() - 1;
    let reason_at = COLUMNS.iter().position(|c| *c == "correction_reason").unwrap_or(0);
    let new_body = match &fields[body_at] {
        Field::Text(body) => erased_body(body, shape)?,
        _ => None,
    };
    let new_reason = erased_reason(&fields[reason_at]);
    if new_body.is_none() && new_reason.is_none() {
        return Ok(None);
    }
    if let Some(b) = &new_body {
        fields[body_at] = Field::Text(b.clone());
    }
    if let Some(r) = &new_reason {
        fields[reason_at] = r.clone();
    }
    let synthetic = matches!(fields[COLUMNS.len() - 2], Field::Int(1));
    let link = LinkedErasure { erases: seq, hash: hex::encode(hash), content: chain::content_digest(&fields) };
    let body = serde_json::to_string(&link).map_err(|e| StoreError::Refused(e.to_string()))?;
    *last += 1;
    let mut record = plain_fields(*last, "erasure", body, stamp, by, synthetic);
    record[2] = Field::Int(referral_id);
    *prev = tx.append(prev, record)?;
    let text = |f: &Field| match f {
        Field::Text(t) => Some(t.clone()),
        _ => None,
    };
    tx.rewrite(seq, text(&fields[body_at]).as_deref(), text(&fields[reason_at]).as_deref())?;
    Ok(Some(*last))
}

/// Erases the child's personal details from every referral past retention, its drafts and its
/// records (decisions, and scrutiny's reviews and ratings of them, and its task closings), and
/// logs one access-log entry naming them, all in the caller's transaction. Erasing again
/// erases nothing and logs nothing.
pub(crate) fn erase_in(
    tx: &mut dyn ErasureTx,
    (months, today): (u16, NaiveDate),
    by: &str,
    reason: &str,
    stamp: &str,
) -> Result<Erasure> {
    let mut done = Erasure::default();
    let (mut last, mut prev) = tx.head()?;
    let appended_from = last;
    let rows = tx.due_rows()?;
    for d in due_of(rows, months, today)? {
        let mut changed = false;
        for (table, shape) in
            [("referrals", Shape::Referral), ("drafts", Shape::Case), ("correction_drafts", Shape::Case)]
        {
            let body = tx.body(table, d.referral_id)?;
            if let Some(new) = body.as_deref().map(|b| erased_body(b, shape)).transpose()?.flatten() {
                tx.set_body(table, d.referral_id, &new)?;
                changed = true;
            }
        }
        // A record whose hashed content holds details (format 1, a correction's reason, or a
        // field classed personal after it was written) goes through a linked erasure record;
        // otherwise the one update the guard lets through: the details and their salt.
        let mut about: Vec<(i64, Shape)> = d.records.iter().map(|&s| (s, Shape::Record)).collect();
        for &seq in &d.records {
            about.extend(tx.scrutiny_of(seq)?.into_iter().map(|r| (r, Shape::Scrutiny)));
        }
        about.extend(tx.task_closings(d.referral_id)?.into_iter().map(|r| (r, Shape::Task)));
        for (seq, shape) in about {
            if let Some(linked) = erase_linked(tx, (seq, shape), d.referral_id, (&mut last, &mut prev), stamp, by)? {
                done.records.push(seq);
                done.linked.push((seq, linked));
                changed = true;
            } else if tx.drop_personal(seq)? {
                done.records.push(seq);
                changed = true;
            }
        }
        if changed {
            done.referrals.push((d.referral_id, d.reference.clone()));
        }
    }
    if last != appended_from {
        tx.set_head(last, &prev)?;
    }
    done.records.sort_unstable();
    if !done.referrals.is_empty() {
        tx.log(stamp, by, &target(&done), reason.trim())?;
    }
    Ok(done)
}

/// The column a table's rows are found by for a referral: a referral's own id, or the referral
/// a draft is of.
pub(crate) fn key_column(table: &str) -> &'static str {
    if table == "referrals" { "id" } else { "referral_id" }
}

/// A file store's transaction, for [`erase_in`].
struct FileErasure<'a, 'c>(&'a rusqlite::Transaction<'c>);

impl ErasureTx for FileErasure<'_, '_> {
    fn due_rows(&mut self) -> Result<Vec<DueRow>> {
        due_rows(self.0)
    }
    fn body(&mut self, table: &str, referral_id: i64) -> Result<Option<String>> {
        let sql = format!("SELECT body FROM {table} WHERE {} = ?1", key_column(table));
        Ok(self.0.query_row(&sql, [referral_id], |r| r.get(0)).optional()?)
    }
    fn set_body(&mut self, table: &str, referral_id: i64, body: &str) -> Result<()> {
        let sql = format!("UPDATE {table} SET body = ?1 WHERE {} = ?2", key_column(table));
        self.0.execute(&sql, params![body, referral_id])?;
        Ok(())
    }
    fn drop_personal(&mut self, seq: i64) -> Result<bool> {
        let mut stmt = self.0.prepare_cached(
            "UPDATE records SET personal = NULL, personal_salt = NULL
             WHERE seq = ?1 AND format = 2 AND personal IS NOT NULL",
        )?;
        Ok(stmt.execute([seq])? > 0)
    }
    fn scrutiny_of(&mut self, seq: i64) -> Result<Vec<i64>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT seq FROM records WHERE kind IN ('review', 'rating') AND json_extract(body, '$.decision') = ?1
             ORDER BY seq",
        )?;
        Ok(stmt.query_map([seq], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }
    fn task_closings(&mut self, referral_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT seq FROM records WHERE kind = 'task' AND json_extract(body, '$.referral_id') = ?1 ORDER BY seq",
        )?;
        Ok(stmt.query_map([referral_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }
    fn hashed(&mut self, seq: i64) -> Result<(Vec<Field>, Vec<u8>)> {
        let sql =
            format!("SELECT {}, {}, hash FROM records WHERE seq = ?1", COLUMNS.join(", "), FORMAT_2_COLUMNS.join(", "));
        let width = COLUMNS.len() + FORMAT_2_COLUMNS.len();
        Ok(self.0.query_row(&sql, [seq], |row| {
            let mut fields = Vec::with_capacity(width);
            for i in 0..width {
                fields.push(match row.get_ref(i)? {
                    ValueRef::Integer(n) => Field::Int(n),
                    ValueRef::Text(t) => Field::Text(String::from_utf8_lossy(t).into_owned()),
                    _ => Field::Null,
                });
            }
            Ok((fields, row.get::<_, Vec<u8>>(width)?))
        })?)
    }
    fn append(&mut self, prev: &Hash, fields: Vec<Field>) -> Result<Hash> {
        append(self.0, prev, fields)
    }
    fn rewrite(&mut self, seq: i64, body: Option<&str>, reason: Option<&str>) -> Result<()> {
        self.0.execute(
            "UPDATE records SET body = ?1, correction_reason = ?2, personal = NULL, personal_salt = NULL WHERE seq = ?3",
            params![body, reason, seq],
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
        super::access::log_in(self.0, stamp, by, ERASE_ACTION, target, reason)
    }
}

/// The linked erasure records in the chain, by the record each erased.
pub(crate) fn linked_erasures(conn: &Connection) -> Result<HashMap<i64, (i64, LinkedErasure)>> {
    let mut stmt = conn.prepare("SELECT seq, body FROM records WHERE kind = 'erasure'")?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let body: String = row.get(1)?;
        if let Ok(link) = serde_json::from_str::<LinkedErasure>(&body) {
            out.insert(link.erases, (seq, link));
        }
    }
    Ok(out)
}

/// The access-log target of an erasure: every record and referral it erased, so verify can tell
/// a sanctioned erasure from details removed by hand.
fn target(e: &Erasure) -> String {
    let list = |v: &mut dyn Iterator<Item = i64>| v.map(|n| n.to_string()).collect::<Vec<_>>().join(",");
    format!(
        "records {}; referrals {}",
        list(&mut e.records.iter().copied()),
        list(&mut e.referrals.iter().map(|r| r.0))
    )
}

/// The records named by a target written by [`target`].
pub(crate) fn records_in(target: &str) -> impl Iterator<Item = i64> + '_ {
    target
        .split(';')
        .find_map(|part| part.trim().strip_prefix("records "))
        .unwrap_or("")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
}

impl Store {
    /// Referrals (with their decisions) whose retention of `months` ended on or before `today`.
    pub fn retention_due(&self, months: u16, today: NaiveDate) -> Result<Vec<Due>> {
        due_of(due_rows(&self.conn)?, months, today)
    }

    /// Erases the child's personal details from every referral past retention, its drafts and
    /// its records, in one transaction, logged once in the access log (who, which records and
    /// referrals, when, why): [`erase_in`]. Erasing again erases nothing and logs nothing.
    pub fn erase_after_retention(
        &mut self,
        months: u16,
        today: NaiveDate,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Erasure> {
        if reason.trim().is_empty() {
            return Err(StoreError::Refused("an erasure needs a reason".into()));
        }
        let stamp = timestamp(at);
        // Freed space is overwritten with zeros, so erased text does not linger in the file.
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let done = self.write(|tx| erase_in(&mut FileErasure(tx), (months, today), by, reason, &stamp));
        let done = done.and_then(|d| {
            if !d.referrals.is_empty() {
                // Copies of the details can linger in free space left by earlier writes (pages
                // split or rebalanced as records were added): rebuilding the file leaves none,
                // and the checkpoint empties the write-ahead log of the old pages.
                self.conn.execute_batch("VACUUM")?;
                self.checkpoint()?;
            }
            Ok(d)
        });
        self.conn.pragma_update(None, "secure_delete", "OFF")?;
        done
    }

    /// Every record an erasure in the (chained) access log names.
    pub(crate) fn erased_in_log(&self) -> Result<HashSet<i64>> {
        let after: i64 = self.meta("access_chained_after")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut stmt = self.conn.prepare("SELECT target FROM access_log WHERE id > ?1 AND action = ?2")?;
        let mut rows = stmt.query(params![after, ERASE_ACTION])?;
        let mut out = HashSet::new();
        while let Some(row) = rows.next()? {
            let t: String = row.get(0)?;
            out.extend(records_in(&t));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_erasure_target_names_its_records() {
        let e = super::Erasure { referrals: vec![(4, "R".into())], records: vec![3, 17], linked: vec![] };
        let t = super::target(&e);
        assert_eq!(t, "records 3,17; referrals 4");
        assert_eq!(super::records_in(&t).collect::<Vec<_>>(), vec![3, 17]);
        assert_eq!(super::records_in("records ; referrals 4").count(), 0);
    }
}
