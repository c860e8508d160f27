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

/// Every referral whose retention ended on or before `today`, oldest end first.
pub(crate) fn due(conn: &Connection, months: u16, today: NaiveDate) -> Result<Vec<Due>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT f.id, f.reference, f.referral_date, max(r.decided_on), group_concat(r.seq),
                coalesce(sum(r.personal IS NOT NULL), 0),
                group_concat(CASE WHEN (r.format IS NULL OR coalesce(r.correction_reason <> ?1, 0)) AND NOT {LINKED} THEN r.seq END),
                json_extract(f.body, '$.child.name') IS ?1
         FROM referrals f LEFT JOIN records r ON r.referral_id = f.id AND r.kind = 'decision'
         GROUP BY f.id ORDER BY f.id"
    ))?;
    let mut rows = stmt.query([ERASED])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let referral_id: i64 = row.get(0)?;
        let bad = |what: &str| StoreError::Refused(format!("referral {referral_id} has an unreadable {what}"));
        let referral_date = date(&row.get::<_, String>(2)?).ok_or_else(|| bad("referral date"))?;
        let decided_on = match row.get::<_, Option<String>>(3)? {
            Some(d) => Some(date(&d).ok_or_else(|| bad("decision date"))?),
            None => None,
        };
        let from = decided_on.unwrap_or(referral_date);
        let Some(ended_on) = from.checked_add_months(Months::new(u32::from(months))) else { continue };
        if ended_on > today {
            continue;
        }
        let personal_left: i64 = row.get(5)?;
        let name_erased: bool = row.get(7)?;
        let needs_link = ints(row.get(6)?);
        out.push(Due {
            referral_id,
            reference: row.get(1)?,
            decided_on,
            referral_date,
            ended_on,
            records: ints(row.get(4)?),
            erased: name_erased && personal_left == 0 && needs_link.is_empty(),
            needs_link,
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

/// Erases what a record's hashed content holds about the child (its body by `shape`, and a
/// correction's reason): chains a linked erasure record (the record's hash, and the digest of
/// its content as it reads after erasure), then rewrites the record, which the guard allows
/// only once that link exists. Its details kept apart (format 2) go with it. Returns the
/// erasure record's number, or None if the hashed content held nothing personal.
#[allow(clippy::too_many_arguments)]
fn erase_linked(
    tx: &rusqlite::Transaction,
    seq: i64,
    shape: Shape,
    referral_id: i64,
    last: &mut i64,
    prev: &mut Hash,
    stamp: &str,
    by: &str,
) -> Result<Option<i64>> {
    let sql =
        format!("SELECT {}, {}, hash FROM records WHERE seq = ?1", COLUMNS.join(", "), FORMAT_2_COLUMNS.join(", "));
    let width = COLUMNS.len() + FORMAT_2_COLUMNS.len();
    let (mut fields, hash) = tx.query_row(&sql, [seq], |row| {
        let mut fields = Vec::with_capacity(width);
        for i in 0..width {
            fields.push(match row.get_ref(i)? {
                ValueRef::Integer(n) => Field::Int(n),
                ValueRef::Text(t) => Field::Text(String::from_utf8_lossy(t).into_owned()),
                _ => Field::Null,
            });
        }
        Ok((fields, row.get::<_, Vec<u8>>(width)?))
    })?;
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
    *prev = append(tx, prev, record)?;
    let text = |f: &Field| match f {
        Field::Text(t) => Some(t.clone()),
        _ => None,
    };
    tx.execute(
        "UPDATE records SET body = ?1, correction_reason = ?2, personal = NULL, personal_salt = NULL WHERE seq = ?3",
        params![text(&fields[body_at]), text(&fields[reason_at]), seq],
    )?;
    Ok(Some(*last))
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
        due(&self.conn, months, today)
    }

    /// Erases the child's personal details from every referral past retention, its drafts and
    /// its format-2 decision records, in one transaction, logged once in the access log (who,
    /// which records and referrals, when, why). Erasing again erases nothing and logs nothing.
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
        let done = self.write(|tx| {
            let mut done = Erasure::default();
            let (mut last, mut prev) = head(tx)?;
            let appended_from = last;
            for d in due(tx, months, today)? {
                let mut changed = false;
                let body: String =
                    tx.query_row("SELECT body FROM referrals WHERE id = ?1", [d.referral_id], |r| r.get(0))?;
                if let Some(new) = erased_body(&body, Shape::Referral)? {
                    tx.execute("UPDATE referrals SET body = ?1 WHERE id = ?2", params![new, d.referral_id])?;
                    changed = true;
                }
                for table in ["drafts", "correction_drafts"] {
                    let body: Option<String> = tx
                        .query_row(&format!("SELECT body FROM {table} WHERE referral_id = ?1"), [d.referral_id], |r| {
                            r.get(0)
                        })
                        .optional()?;
                    if let Some(new) = body.as_deref().map(|b| erased_body(b, Shape::Case)).transpose()?.flatten() {
                        tx.execute(
                            &format!("UPDATE {table} SET body = ?1 WHERE referral_id = ?2"),
                            params![new, d.referral_id],
                        )?;
                        changed = true;
                    }
                }
                // A record whose hashed content holds details (format 1, a correction's reason,
                // or a field classed personal after it was written) goes through a linked
                // erasure record; otherwise the one update the guard lets through: the details
                // and their salt, nothing else.
                let mut stmt = tx.prepare_cached(
                    "UPDATE records SET personal = NULL, personal_salt = NULL
                     WHERE seq = ?1 AND format = 2 AND personal IS NOT NULL",
                )?;
                let mut scrutiny = tx.prepare_cached(
                    "SELECT seq FROM records WHERE kind IN ('review', 'rating') AND json_extract(body, '$.decision') = ?1
                     ORDER BY seq",
                )?;
                let mut about: Vec<(i64, Shape)> = d.records.iter().map(|&s| (s, Shape::Record)).collect();
                for &seq in &d.records {
                    let rows = scrutiny.query_map([seq], |r| r.get::<_, i64>(0))?;
                    for r in rows {
                        about.push((r?, Shape::Scrutiny));
                    }
                }
                let mut closings = tx.prepare_cached(
                    "SELECT seq FROM records WHERE kind = 'task' AND json_extract(body, '$.referral_id') = ?1 ORDER BY seq",
                )?;
                for r in closings.query_map([d.referral_id], |r| r.get::<_, i64>(0))? {
                    about.push((r?, Shape::Task));
                }
                for (seq, shape) in about {
                    if let Some(linked) = erase_linked(tx, seq, shape, d.referral_id, &mut last, &mut prev, &stamp, by)? {
                        done.records.push(seq);
                        done.linked.push((seq, linked));
                        changed = true;
                    } else if stmt.execute([seq])? > 0 {
                        done.records.push(seq);
                        changed = true;
                    }
                }
                if changed {
                    done.referrals.push((d.referral_id, d.reference.clone()));
                }
            }
            if last != appended_from {
                set_head(tx, last, &prev)?;
            }
            done.records.sort_unstable();
            if !done.referrals.is_empty() {
                super::access::log_in(tx, &stamp, by, ERASE_ACTION, &target(&done), reason.trim())?;
            }
            Ok(done)
        });
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
