//! Retention: which referrals and decisions are past the panel's retention period, and the one
//! sanctioned change to a recorded decision — erasing the child's personal details after it.
//!
//! A referral's retention runs from its latest decision's date (or, with no decision, from the
//! referral date) for `records.retention_months`. Erasure takes the personal details
//! (`domain::erasure`) out of the referral, its drafts and its recorded decisions in one
//! transaction, and logs one access-log entry naming every record and referral erased. Records
//! of format 2 keep the details apart and hash only their digest, so erasing them leaves every
//! hash standing; records of format 1 (written before format 2) hash the details themselves
//! and are reported as kept (see the README's "Retention").

use std::collections::HashSet;

use chrono::{DateTime, Months, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::records::timestamp;
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
    /// Records of format 1: their personal details are hashed in the chain and cannot be erased
    /// in place.
    pub old_format: Vec<i64>,
}

/// What an erasure did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    /// Referrals whose personal details were erased now (id, reference).
    pub referrals: Vec<(i64, String)>,
    /// Decision records whose personal details were erased now.
    pub records: Vec<i64>,
    /// Format-1 records past retention, kept as they are.
    pub old_format: Vec<i64>,
}

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
    let mut stmt = conn.prepare(
        "SELECT f.id, f.reference, f.referral_date, max(r.decided_on), group_concat(r.seq),
                coalesce(sum(r.personal IS NOT NULL), 0), group_concat(CASE WHEN r.format IS NULL THEN r.seq END),
                json_extract(f.body, '$.child.name') IS ?1
         FROM referrals f LEFT JOIN records r ON r.referral_id = f.id AND r.kind = 'decision'
         GROUP BY f.id ORDER BY f.id",
    )?;
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
        out.push(Due {
            referral_id,
            reference: row.get(1)?,
            decided_on,
            referral_date,
            ended_on,
            records: ints(row.get(4)?),
            erased: name_erased && personal_left == 0,
            old_format: ints(row.get(6)?),
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
fn records_in(target: &str) -> impl Iterator<Item = i64> + '_ {
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
            for d in due(tx, months, today)? {
                done.old_format.extend(&d.old_format);
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
                // The one update the guard lets through: the details and their salt, nothing else.
                let mut stmt = tx.prepare_cached(
                    "UPDATE records SET personal = NULL, personal_salt = NULL
                     WHERE seq = ?1 AND format = 2 AND personal IS NOT NULL",
                )?;
                for seq in &d.records {
                    if stmt.execute([seq])? > 0 {
                        done.records.push(*seq);
                        changed = true;
                    }
                }
                if changed {
                    done.referrals.push((d.referral_id, d.reference.clone()));
                }
            }
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
        let e = super::Erasure { referrals: vec![(4, "R".into())], records: vec![3, 17], old_format: vec![] };
        let t = super::target(&e);
        assert_eq!(t, "records 3,17; referrals 4");
        assert_eq!(super::records_in(&t).collect::<Vec<_>>(), vec![3, 17]);
        assert_eq!(super::records_in("records ; referrals 4").count(), 0);
    }
}
