//! Opening a database safely: owner-only files, refusing anything that is not ours (without
//! touching it), refusing a newer schema, and the pragmas every connection needs.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::schema::{APPLICATION_ID, MIGRATIONS, migrations};
use super::{Result, StoreError};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.display().to_string(), source }
}

fn damaged(path: &Path, e: &rusqlite::Error) -> StoreError {
    StoreError::Damaged { path: path.display().to_string(), detail: e.to_string() }
}

/// Creates the file 0600 in a 0700 directory *before* SQLite sees it: SQLite gives the -wal and
/// -shm files the database file's mode, so they are owner-only too, whatever the umask.
fn create_private(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| io(dir, e))?;
    }
    match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(path, e)),
    }
}

/// Looks at an existing file without changing it: is it SQLite, and is it jdp's?
fn inspect_existing(path: &Path) -> Result<()> {
    let mut head = [0u8; 16];
    let mut f = fs::File::open(path).map_err(|e| io(path, e))?;
    let n = f.read(&mut head).map_err(|e| io(path, e))?;
    if n == 0 {
        return Ok(()); // an empty file is a new database
    }
    if n < 16 || &head != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite { path: path.display().to_string() });
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| damaged(path, &e))?;
    let check = || -> rusqlite::Result<(i32, i64, i64)> {
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok((app, tables, version))
    };
    let known = MIGRATIONS.len() as i64;
    match check() {
        Ok((APPLICATION_ID, _, found)) if found > known => {
            Err(StoreError::Newer { path: path.display().to_string(), found, known })
        }
        Ok((APPLICATION_ID, _, _)) | Ok((0, 0, 0)) => Ok(()),
        Ok(_) => Err(StoreError::NotJdp { path: path.display().to_string() }),
        Err(e) => Err(damaged(path, &e)),
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
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| damaged(path, &e))?;
    if current > known {
        return Err(StoreError::Newer { path: path.display().to_string(), found: current, known });
    }
    if current == known {
        return Ok(());
    }
    ms.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => damaged(path, &err),
        other => StoreError::Refused(format!("{}: could not prepare the database: {other}", path.display())),
    })
}

pub fn open_file(path: &Path) -> Result<Connection> {
    let new = !path.exists();
    if new {
        create_private(path)?;
    } else {
        if !path.is_file() {
            return Err(io(path, std::io::Error::other("not a regular file")));
        }
        inspect_existing(path)?;
    }
    let mut conn = Connection::open(path).map_err(|e| damaged(path, &e))?;
    if new {
        // A decision record is 2–3 KiB: 8 KiB pages hold several, where 4 KiB pages waste half.
        conn.pragma_update(None, "page_size", 8192).map_err(|e| damaged(path, &e))?;
    }
    configure(&conn).map_err(|e| damaged(path, &e))?;
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
