//! The access log (DPA 2018 Part 3 style): who viewed, exported, recorded or corrected what,
//! when and why. Append-only: triggers refuse updates and deletes.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::chain::{self, Field, Hash};
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

/// A digest of the settings a reader must be able to trust: whether the store is synthetic or
/// for training, and its pseudonym key. Each access-log entry carries the digest current when it
/// was written, so a later change to any of them outside jdp shows at verify.
pub(crate) fn settings_digest(conn: &rusqlite::Connection) -> Result<String> {
    let mut stmt = conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
    let mut values: [Option<String>; 3] = Default::default();
    for (v, key) in values.iter_mut().zip(SETTINGS_KEYS) {
        *v = stmt.query_row([key], |r| r.get(0)).optional()?;
    }
    Ok(settings_digest_of(&values))
}

/// The settings whose digest each access-log entry carries, in order.
const SETTINGS_KEYS: [&str; 3] = ["synthetic", "training", "pseudonym_key"];

/// The digest of the settings' values (in `SETTINGS_KEYS` order; None when unset), whichever
/// backend read them.
pub(crate) fn settings_digest_of(values: &[Option<String>; 3]) -> String {
    let mut h = Sha256::new();
    for (key, v) in SETTINGS_KEYS.iter().zip(values) {
        h.update(key.as_bytes());
        h.update([0]);
        h.update(v.as_deref().unwrap_or("").as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// The canonical fields of an access-log entry, in the order they are hashed.
pub(crate) fn entry_fields(
    id: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    reason: &str,
    settings: &str,
) -> Vec<Field> {
    vec![id.into(), at.into(), actor.into(), action.into(), target.into(), reason.into(), settings.into()]
}

/// The access log's chain end: (id, hash) of the newest chained entry.
pub(crate) fn access_head(conn: &rusqlite::Connection) -> Result<(i64, Hash)> {
    let row: Option<(i64, Option<Vec<u8>>)> = conn
        .query_row("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((id, Some(h))) if h.len() == 32 => (id, h.try_into().expect("32 bytes")),
        _ => (0, chain::GENESIS),
    })
}

pub(crate) fn log_in(
    tx: &rusqlite::Connection,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    reason: &str,
) -> Result<()> {
    let (_, prev) = access_head(tx)?;
    let id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM access_log", [], |r| r.get(0))?;
    let settings = settings_digest(tx)?;
    let hash = chain::hash_fields(&prev, &entry_fields(id, at, actor, action, target, reason, &settings));
    tx.prepare_cached(
        "INSERT INTO access_log (id, at, actor, action, target, reason, settings, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![id, at, actor, action, target, reason, settings, prev.to_vec(), hash.to_vec()])?;
    tx.prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'access_head'")?
        .execute([format!("{id}:{}", hex::encode(hash))])?;
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
