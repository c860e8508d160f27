//! The access log (DPA 2018 Part 3 style): who viewed, exported, recorded or corrected what,
//! when and why. Append-only: triggers refuse updates and deletes.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::records::timestamp;
use super::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub reason: String,
}

pub(crate) fn log_in(
    tx: &rusqlite::Connection,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    reason: &str,
) -> Result<()> {
    tx.prepare_cached("INSERT INTO access_log (at, actor, action, target, reason) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![at, actor, action, target, reason])?;
    Ok(())
}

impl Store {
    pub fn log_access(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let stamp = timestamp(at);
        self.write(|tx| log_in(tx, &stamp, actor, action, target, reason))
    }

    /// The newest entries first.
    pub fn access_log(&self, limit: i64) -> Result<Vec<AccessEntry>> {
        let mut stmt =
            self.conn.prepare("SELECT at, actor, action, target, reason FROM access_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| {
            Ok(AccessEntry { at: r.get(0)?, actor: r.get(1)?, action: r.get(2)?, target: r.get(3)?, reason: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
