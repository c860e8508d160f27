//! The record store: SQLite in WAL mode with synchronous=FULL, migrations on open, every write
//! in a `BEGIN IMMEDIATE` transaction. Recorded decisions are immutable (triggers refuse edits)
//! and chained by hash; the access log is append-only. Never decides panel rules: it stores
//! what `domain` produced.

mod access;
pub mod chain;
mod corrections;
mod demo;
mod open;
mod records;
mod referrals;
mod schema;
pub mod scrutiny;
mod sessions;
mod settings;
mod verify;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

pub use access::AccessEntry;
pub use corrections::CorrectionDraft;
pub use records::{Correction, RecordRow, Recorded};
pub use referrals::{Draft, ReferralRow, ReferralStatus};
pub use schema::APPLICATION_ID;
pub use verify::{VerifyFailure, VerifyReport};

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
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Refused(String),
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

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
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
        Ok(Self { conn, path: Some(path.to_path_buf()) })
    }

    /// A database that lives only as long as this value: training runs here by default.
    pub fn open_in_memory() -> Result<Self> {
        let conn = open::open_memory()?;
        Ok(Self { conn, path: None })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, so two writers never interleave a chain.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// A training database holds mock panels only; training never opens any other kind.
    pub fn is_training(&self) -> Result<bool> {
        Ok(self.meta("training")?.as_deref() == Some("1"))
    }

    /// Marks an empty database as a training database; refuses one that holds anything else.
    pub fn make_training(&mut self) -> Result<()> {
        if self.is_training()? {
            return Ok(());
        }
        let referrals: i64 = self.conn.query_row("SELECT count(*) FROM referrals", [], |r| r.get(0))?;
        if referrals > 0 {
            return Err(StoreError::Refused(
                "this database holds real referrals: training uses a database of its own (or none, by default)".into(),
            ));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('training', '1') ON CONFLICT(key) DO UPDATE SET value = '1'",
                [],
            )?;
            Ok(())
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
