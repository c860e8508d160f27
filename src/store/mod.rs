//! The record store: SQLite in WAL mode with synchronous=FULL, migrations on open, every write
//! in a `BEGIN IMMEDIATE` transaction. Recorded decisions are immutable (triggers refuse edits)
//! and chained by hash; the access log is append-only. Never decides panel rules: it stores
//! what `domain` produced.

mod access;
pub mod backend;
pub mod chain;
mod corrections;
mod demo;
mod figures;
mod open;
pub mod pg;
pub mod reading;
mod records;
mod referrals;
pub mod retention;
mod schema;
pub mod scrutiny;
mod sessions;
mod settings;
pub mod signatures;
pub mod tasks;
mod verify;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

pub use access::AccessEntry;
pub use backend::{Backend, DecisionSource};
pub use corrections::CorrectionDraft;
pub use figures::DecisionFigures;
pub use open::MARKER_SUFFIX;
pub use reading::{ChainRead, ChainWrite};
pub use records::{Correction, RecordRow, Recorded};
pub use referrals::{Draft, ReferralRow, ReferralStatus, one_kind};
pub use retention::{Due, Erasure};
pub use schema::{APPLICATION_ID, guard_sql};

/// The schema version this jdp brings every database to.
pub const SCHEMA_VERSION: i64 = schema::MIGRATIONS.len() as i64;

/// The migrations up to schema `version`, to make an older database in tests.
#[doc(hidden)]
pub fn migrations_up_to(version: usize) -> rusqlite_migration::Migrations<'static> {
    rusqlite_migration::Migrations::new(
        schema::MIGRATIONS[..version].iter().map(|sql| rusqlite_migration::M::up(sql)).collect(),
    )
}
pub use verify::{MinutedHead, Verdict, VerifyFailure, VerifyReport};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a jdp database (it is not an SQLite file); jdp has not changed it")]
    NotSqlite { path: String },
    #[error("{path}: an SQLite database made by another program, not jdp; jdp has not changed it")]
    NotJdp { path: String },
    #[error(
        "{path}: made by a newer version of jdp (schema {found}; this jdp knows up to {known}); \
         use the newer jdp — this one will not change the file"
    )]
    Newer { path: String, found: i64, known: i64 },
    #[error("{path}: the database is damaged ({detail}); restore it from a backup")]
    Damaged { path: String, detail: String },
    /// The file is sound but jdp cannot write to it (read-only file, folder or medium).
    #[error(
        "{path}: jdp cannot write here ({detail}); the file, its folder or the disk is read-only. \
         The database itself is not damaged: copy it somewhere writable, or make it writable"
    )]
    ReadOnly { path: String, detail: String },
    /// A database used to be at this path (its journal or write-ahead log is still there), or
    /// the file there is empty although its log is not: jdp will not start a new store over it.
    #[error(
        "{path}: the database is missing or empty but {evidence} is still beside it, so a store was \
         here; jdp will not start a new one in its place. Put the database back or restore it from a \
         backup (remove {evidence} only if you mean to start a new, empty database)"
    )]
    Missing { path: String, evidence: String },
    /// Nothing at the path, for a command that only reads or adds to an existing store.
    #[error(
        "{path}: there is no database here; nothing was created. Check the path (--db or JDP_DB), \
         or make a store first with jdp import, jdp demo-data or the panel screen"
    )]
    NoDatabase { path: String },
    /// The path no longer names the file jdp opened (deleted, moved or replaced meanwhile).
    #[error(
        "{path}: the database file is no longer there (it was moved, deleted or replaced since jdp \
         opened it); {}. Quit, put the file back, and open it again",
        if *written { "the last change went into the file jdp had open, wherever it now is" } else { "nothing was written" }
    )]
    Gone { path: String, written: bool },
    /// A second decision (not a correction) for a referral that already has one: another screen
    /// recorded it meanwhile.
    #[error(
        "referral {reference} already has a recorded decision (record {seq}), recorded elsewhere; \
         nothing was recorded. Look at it, and record a correction of it if it is wrong"
    )]
    AlreadyDecided { referral_id: i64, reference: String, seq: i64 },
    /// A draft saved for a referral that was decided meanwhile (by another screen): a decided
    /// referral takes no draft, only a correction of its decision.
    #[error(
        "referral {reference} was decided elsewhere (record {seq}); your change was not saved. \
         Look at the recorded decision, and record a correction of it if it is wrong"
    )]
    DecidedMeanwhile { referral_id: i64, reference: String, seq: i64 },
    /// The draft was saved by another screen since this one read it.
    #[error(
        "this case was changed elsewhere ({} saved it at {}); your change was not \
         saved. Reopen the case to see the other screen's version",
        if saved_by.is_empty() { "another screen" } else { saved_by.as_str() },
        shown_at(saved_at)
    )]
    DraftChanged { referral_id: i64, saved_at: String, saved_by: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Refused(String),
    /// The PostgreSQL server refused or failed (its own message; never the connection string).
    #[error("PostgreSQL: {0}")]
    Server(String),
    /// The server's grants do not let this login do it (its role decides, never jdp).
    #[error("PostgreSQL: {0} (your login's role does not allow this)")]
    NotPermitted(String),
    /// The server cannot be reached (stopped, restarting, or the network is down): nothing was
    /// written.
    #[error("the server cannot be reached ({0})")]
    Unreachable(String),
}

impl StoreError {
    /// Names the database file in errors that arose after it was opened; damage found mid-use
    /// reads the same as damage found on open.
    pub fn in_file(self, path: &Path) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match self {
            StoreError::Sqlite(e) => match e.sqlite_error_code() {
                Some(DatabaseCorrupt | NotADatabase) => {
                    StoreError::Damaged { path: path.display().to_string(), detail: e.to_string() }
                }
                Some(rusqlite::ErrorCode::ReadOnly) => {
                    StoreError::ReadOnly { path: path.display().to_string(), detail: e.to_string() }
                }
                _ => StoreError::Refused(format!("{}: {e}", path.display())),
            },
            other => other,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Bodies are stored as JSON of domain types; serialising them cannot fail short of a bug.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Refused(e.to_string()))
}

/// What a screen keeps for a referral between saves, each versioned in a table of its own: the
/// referral's draft, or a correction in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DraftKind {
    Case,
    Correction,
}

impl DraftKind {
    pub(crate) fn table(self) -> &'static str {
        match self {
            DraftKind::Case => "drafts",
            DraftKind::Correction => "correction_drafts",
        }
    }

    /// What recording a decision (or a correction of one) settles.
    pub(crate) fn recorded(correcting: bool) -> Self {
        if correcting { DraftKind::Correction } else { DraftKind::Case }
    }
}

/// The version of each draft and correction in progress a screen (one store value) last read or
/// saved: it saves, and records, only over those, so one screen never overwrites another's
/// typing nor records without it.
#[derive(Debug, Default)]
pub(crate) struct Seen(std::collections::HashMap<(DraftKind, i64), i64>);

impl Seen {
    pub(crate) fn version(&self, kind: DraftKind, referral_id: i64) -> Option<i64> {
        self.0.get(&(kind, referral_id)).copied()
    }

    /// What the store holds now, as read or just saved (None: nothing stored).
    pub(crate) fn saw(&mut self, kind: DraftKind, referral_id: i64, version: Option<i64>) {
        match version {
            Some(v) => self.0.insert((kind, referral_id), v),
            None => self.0.remove(&(kind, referral_id)),
        };
    }

    /// Recorded: the referral's draft and correction in progress are gone with it.
    pub(crate) fn settled(&mut self, referral_id: i64) {
        self.0.retain(|(_, id), _| *id != referral_id);
    }
}

/// Whether the draft (or correction in progress) stored for a referral is a version this screen
/// has not seen: recording from that screen would drop another screen's typing, so it is
/// refused and asked, as a save is. Nothing stored: nothing to drop.
pub(crate) fn unseen_version(stored: Option<i64>, seen: Option<i64>) -> bool {
    stored.is_some() && stored != seen
}

/// A stored timestamp as a person reads it (local time, to the minute); anything else (a time
/// already shown, or "a moment ago") as it is.
pub fn shown_at(stamp: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%-d %b %Y %H:%M").to_string(),
        Err(_) => stamp.to_string(),
    }
}

/// The refusal of a save (or a recording) over a version another screen saved: who saved what
/// is stored now, and when (nothing stored: it was recorded or discarded a moment ago).
pub(crate) fn draft_changed(referral_id: i64, stored: Option<(String, String)>) -> StoreError {
    let (saved_at, saved_by) = stored.unwrap_or_else(|| ("a moment ago".to_string(), String::new()));
    StoreError::DraftChanged { referral_id, saved_at, saved_by }
}

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The identity of the file opened, checked before and after every write.
    id: Option<crate::platform::FileId>,
    /// The versions this store (one screen) last read or saved.
    seen: std::cell::RefCell<Seen>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub referrals: i64,
    pub in_progress: i64,
    pub records: i64,
    pub synthetic: bool,
    pub head_hash: String,
}

impl Store {
    /// Opens (creating owner-only if new) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = open::open_file(path)?;
        let id = crate::platform::file_id(path)
            .map_err(|source| StoreError::Io { path: path.display().to_string(), source })?
            .ok_or_else(|| StoreError::Gone { path: path.display().to_string(), written: false })?;
        Ok(Self { conn, path: Some(path.to_path_buf()), id: Some(id), seen: Default::default() })
    }

    /// Opens the database at `path` only if there is one: commands that read a store never
    /// create one at a mistyped path.
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.exists() {
            // A store that was here (its log is still beside it) is "missing", not "never was".
            return Err(match open::evidence_of_a_store(path) {
                Some(evidence) => StoreError::Missing { path: path.display().to_string(), evidence },
                None => StoreError::NoDatabase { path: path.display().to_string() },
            });
        }
        Self::open(path)
    }

    /// A database that lives only as long as this value: training runs here by default.
    pub fn open_in_memory() -> Result<Self> {
        let conn = open::open_memory()?;
        Ok(Self { conn, path: None, id: None, seen: Default::default() })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The files beside the database that must never be written over (see `outfile`).
    pub fn database_files(&self) -> Vec<PathBuf> {
        self.path.as_deref().map(crate::outfile::database_files).unwrap_or_default()
    }

    /// Whether the path still names the file this store opened; `Gone` if not.
    pub fn check_path(&self) -> Result<()> {
        self.check_path_after(false)
    }

    fn check_path_after(&self, written: bool) -> Result<()> {
        let (Some(path), Some(id)) = (&self.path, &self.id) else { return Ok(()) };
        match crate::platform::file_id(path) {
            Ok(Some(now)) if &now == id => Ok(()),
            _ => Err(StoreError::Gone { path: path.display().to_string(), written }),
        }
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, so two writers never interleave a chain.
    /// The path must name the opened file before the transaction and after it commits: a write
    /// into a file that has been deleted or moved is never reported as done.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        self.check_path()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        self.check_path_after(true)?;
        Ok(out)
    }

    /// Copies the write-ahead log into the database file and empties it, so a recorded decision
    /// does not live only in the `-wal` (which a careless clean-up could delete).
    pub(crate) fn checkpoint(&self) -> Result<()> {
        if self.path.is_some() {
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Writes an access-log entry and then runs `f` (which makes the disclosure: an export, a
    /// report), in one transaction: if the entry cannot be written nothing is disclosed, and if
    /// `f` fails the entry is rolled back with it. `f` reads through the store it is given.
    pub fn disclose<T>(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        reason: &str,
        at: chrono::DateTime<chrono::Utc>,
        f: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<T> {
        self.check_path()?;
        let stamp = records::timestamp(at);
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = access::log_in(&self.conn, &stamp, actor, action, target, reason).and_then(|()| f(self));
        match result {
            Ok(v) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => {
                    self.check_path_after(true)?;
                    Ok(v)
                }
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// A training database holds mock panels only; training never opens any other kind.
    pub fn is_training(&self) -> Result<bool> {
        Ok(self.meta("training")?.as_deref() == Some("1"))
    }

    /// Marks an empty database as a training database; refuses one that holds anything else.
    /// A training database is one whose chained access log *starts* with its being made one, so
    /// a live store is refused whatever its flags say.
    pub fn make_training(&mut self) -> Result<()> {
        let refuse = || {
            StoreError::Refused(
                "this database holds real referrals: training uses a database of its own (or none, by default)".into(),
            )
        };
        let first: Option<(String, String)> = self
            .conn
            .query_row("SELECT action, reason FROM access_log ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match first {
            Some((action, reason)) if action == "settings" && reason == "training" => {
                return if self.is_training()? { Ok(()) } else { Err(refuse()) };
            }
            Some(_) => return Err(refuse()),
            None => {
                let content: i64 = self.conn.query_row(
                    "SELECT (SELECT count(*) FROM referrals) + (SELECT count(*) FROM records)",
                    [],
                    |r| r.get(0),
                )?;
                if content > 0 {
                    return Err(refuse());
                }
            }
        }
        let stamp = records::timestamp(chrono::Utc::now());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('training', '1') ON CONFLICT(key) DO UPDATE SET value = '1'",
                [],
            )?;
            access::log_in(tx, &stamp, "jdp", "settings", "the kind of store", "training")
        })
    }

    pub fn is_synthetic(&self) -> Result<bool> {
        Ok(self.meta("synthetic")?.as_deref() == Some("1"))
    }

    /// The start-up summary: cheap queries only (counts by index, the head from meta).
    pub fn summary(&self) -> Result<Summary> {
        let referrals = self.conn.query_row("SELECT count(*) FROM referrals", [], |r| r.get(0))?;
        let in_progress = self.conn.query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))?;
        let records: i64 = self.meta("head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        Ok(Summary {
            referrals,
            in_progress,
            records,
            synthetic: self.is_synthetic()?,
            head_hash: self.meta("head_hash")?.unwrap_or_default(),
        })
    }
}
