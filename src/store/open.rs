//! Opening a database safely: owner-only files, refusing anything that is not ours (without
//! touching it), refusing a newer schema, and the pragmas every connection needs.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::schema::{APPLICATION_ID, MIGRATIONS, migrations};
use super::{Result, StoreError};
use crate::platform;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.display().to_string(), source }
}

/// Names what went wrong accurately: "damaged" (and "restore from a backup") only when SQLite
/// says the file is corrupt or not a database; a read-only file, folder or medium says so.
fn classify(path: &Path, e: &rusqlite::Error) -> StoreError {
    let p = path.display().to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            StoreError::Damaged { path: p, detail: e.to_string() }
        }
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            StoreError::ReadOnly { path: p, detail: e.to_string() }
        }
        _ => StoreError::Refused(format!("{p}: could not open the database ({e})")),
    }
}

fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The marker jdp leaves beside every store it creates, so that a store deleted or moved away
/// is never silently replaced by a new, empty one at the same path.
pub const MARKER_SUFFIX: &str = ".jdp-store";

const MARKER_TEXT: &str = "jdp created a database beside this file. If the database is missing, it was moved or \
deleted: put it back or restore it from a backup. Remove this file only if you mean to start a new, empty \
database in its place.\n";

/// Evidence that a store was at `path`: jdp's marker, or its journal or write-ahead log.
pub(crate) fn evidence_of_a_store(path: &Path) -> Option<String> {
    [MARKER_SUFFIX, "-wal", "-journal"]
        .into_iter()
        .find(|s| fs::symlink_metadata(sibling(path, s)).is_ok())
        .map(|s| format!("{}{s}", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()))
}

fn write_marker(path: &Path) -> Result<()> {
    use std::io::Write;
    let marker = sibling(path, MARKER_SUFFIX);
    match platform::create_new_private(&marker) {
        Ok(mut f) => f.write_all(MARKER_TEXT.as_bytes()).map_err(|e| io(&marker, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(&marker, e)),
    }
}

/// Creates the file 0600 in a 0700 directory *before* SQLite sees it: SQLite gives the -wal and
/// -shm files the database file's mode, so they are owner-only too, whatever the umask.
fn create_private(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        platform::create_private_dir(dir).map_err(|e| io(dir, e))?;
    }
    match platform::create_new_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(path, e)),
    }
}

/// Looks at an existing file without changing it (beyond the recovery SQLite itself does after
/// a crash): is it SQLite, and is it jdp's?
fn inspect_existing(path: &Path) -> Result<()> {
    let mut head = [0u8; 16];
    let mut f = fs::File::open(path).map_err(|e| io(path, e))?;
    let n = f.read(&mut head).map_err(|e| io(path, e))?;
    if n == 0 {
        // An empty file is a new database, unless a log beside it says a store was here (the
        // file was truncated, or written over).
        if fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
                evidence: format!("{}-wal", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()),
            });
        }
        return Ok(());
    }
    if n < 16 || &head != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite { path: path.display().to_string() });
    }
    let check = |conn: &Connection| -> rusqlite::Result<(i32, i64, i64)> {
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok((app, tables, version))
    };
    let read_only =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .and_then(|c| check(&c));
    let found = match read_only {
        Ok(v) => v,
        // A hot journal or a write-ahead log left by a crash can only be recovered by a
        // connection that may write: try again with one before judging the file.
        Err(e) if matches!(e.sqlite_error_code(), Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)) => {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .and_then(|c| {
                    c.busy_timeout(Duration::from_secs(30))?;
                    check(&c)
                })
                .map_err(|e| classify(path, &e))?
        }
        Err(e) => return Err(confirm(path, e)),
    };
    let known = MIGRATIONS.len() as i64;
    match found {
        (APPLICATION_ID, _, found) if found > known => {
            Err(StoreError::Newer { path: path.display().to_string(), found, known })
        }
        (APPLICATION_ID, _, _) | (0, 0, 0) => Ok(()),
        _ => Err(StoreError::NotJdp { path: path.display().to_string() }),
    }
}

/// An error reading a file: damaged only if SQLite's own integrity check agrees (or the file
/// cannot be read as a database at all).
fn confirm(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            let integrity = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| c.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)));
            match integrity {
                Ok(ok) if ok == "ok" => {
                    StoreError::Refused(format!("{}: could not read the database ({e})", path.display()))
                }
                _ => classify(path, &e),
            }
        }
        _ => classify(path, &e),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A recorded decision about a child must survive power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let ms = migrations();
    let known = MIGRATIONS.len() as i64;
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| confirm(path, e))?;
    if current > known {
        return Err(StoreError::Newer { path: path.display().to_string(), found: current, known });
    }
    if current == known {
        return Ok(());
    }
    ms.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => confirm(path, err),
        other => StoreError::Refused(format!("{}: could not prepare the database: {other}", path.display())),
    })?;
    fill_keys(conn).map_err(|e| confirm(path, e))
}

/// Gives every referral added before schema 9 its reference key (an indexed lookup of the
/// rows without one; nothing to do on later opens).
fn fill_keys(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut read = tx.prepare("SELECT id, reference FROM referrals WHERE reference_key IS NULL")?;
        let rows = read
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut write = tx.prepare("UPDATE referrals SET reference_key = ?1 WHERE id = ?2")?;
        for (id, reference) in rows {
            write.execute(rusqlite::params![crate::domain::referral::reference_key(&reference), id])?;
        }
    }
    tx.commit()
}

pub fn open_file(path: &Path) -> Result<Connection> {
    let new = !path.exists();
    let empty = new || fs::metadata(path).is_ok_and(|m| m.len() == 0);
    if new {
        // The database is gone but its log is not: a store was here. Never start a new one
        // silently in its place.
        if let Some(evidence) = evidence_of_a_store(path) {
            return Err(StoreError::Missing { path: path.display().to_string(), evidence });
        }
        create_private(path)?;
    } else {
        if !path.is_file() {
            return Err(io(path, std::io::Error::other("not a regular file")));
        }
        inspect_existing(path)?;
    }
    // Every file of the store is owner-only, even one that existed before with wider
    // permissions (an empty file made by `touch`, a copy): before SQLite opens it, so the -wal
    // and -shm it makes take the same mode. A file owned by another account stays as it is.
    for p in crate::outfile::database_files(path) {
        let _ = platform::make_private_path(&p);
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| classify(path, &e))?;
    if empty {
        write_marker(path)?;
        // A decision record is 2–3 KiB: 8 KiB pages hold several, where 4 KiB pages waste half.
        conn.pragma_update(None, "page_size", 8192).map_err(|e| confirm(path, e))?;
    }
    configure(&conn).map_err(|e| confirm(path, e))?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

pub fn open_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn, Path::new(":memory:"))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    #[test]
    fn the_migration_marks_the_file_as_jdp() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
        assert_eq!(id, super::APPLICATION_ID);
    }

    #[test]
    fn the_schema_version_is_the_number_of_migrations() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, super::MIGRATIONS.len() as i64);
    }
}
