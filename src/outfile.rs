//! The one way jdp writes a file a person named (`export --out`, `report --out`, a training
//! debrief): never the database or its `-wal`, `-shm` or `-journal` (compared by file identity,
//! so hard links and symbolic links count, and by name for those not there yet); never through a
//! symbolic link at the last component; always owner-only, even over an existing file; and
//! removed again if writing fails, so no partial disclosure is left behind.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::platform;

#[derive(Debug, thiserror::Error)]
pub enum OutError {
    #[error(
        "{out}: that is the database {db} (or one of its working files); jdp will not write over it — name another file"
    )]
    IsDatabase { out: String, db: String },
    #[error("{out}: not a regular file; jdp writes only to ordinary files")]
    NotRegular { out: String },
    #[error("{out}: {source}")]
    Io { out: String, source: io::Error },
}

/// The files SQLite keeps beside a database: writing over any of them loses decisions.
pub fn database_files(db: &Path) -> Vec<PathBuf> {
    let mut out = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        out.push(PathBuf::from(name));
    }
    out
}

/// `path` with its directory made canonical (the file itself need not exist).
fn by_name(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// An output file being written. Dropped without `finish`, it removes itself.
pub struct OutFile {
    writer: Option<BufWriter<File>>,
    path: PathBuf,
}

impl OutFile {
    /// Opens `path` for a fresh output, refusing any of `protected` (the database files).
    pub fn create(path: &Path, protected: &[PathBuf]) -> Result<Self, OutError> {
        let out = || path.display().to_string();
        let io_err = |source| OutError::Io { out: out(), source };
        let refuse = |p: &Path| OutError::IsDatabase { out: out(), db: p.display().to_string() };
        let wanted = by_name(path);
        let mut ids = Vec::new();
        for p in protected {
            if wanted.is_some() && by_name(p) == wanted {
                return Err(refuse(p));
            }
            if let Some(id) = platform::file_id(p).map_err(io_err)? {
                ids.push((id, p));
            }
        }
        // Before opening, too: a symbolic link to the database would be refused by the open
        // below, but a hard link is only recognisable by identity.
        if let Some(id) = platform::file_id(path).ok().flatten()
            && let Some((_, p)) = ids.iter().find(|(i, _)| *i == id)
        {
            return Err(refuse(p));
        }
        let file = platform::open_for_output(path).map_err(io_err)?;
        let id = platform::file_id_of(&file, path).map_err(io_err)?;
        if let Some((_, p)) = ids.iter().find(|(i, _)| *i == id) {
            return Err(refuse(p));
        }
        if !platform::is_regular(&file).map_err(io_err)? {
            return Err(OutError::NotRegular { out: out() });
        }
        platform::make_private(&file).map_err(io_err)?;
        file.set_len(0).map_err(io_err)?;
        Ok(Self { writer: Some(BufWriter::new(file)), path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes and syncs the file; only now does it stay.
    pub fn finish(mut self) -> io::Result<()> {
        let w = self.writer.take().expect("an output is finished once");
        let result = w.into_inner().map_err(|e| e.into_error()).and_then(|f| f.sync_all());
        if result.is_err() {
            let _ = std::fs::remove_file(&self.path);
        }
        result
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.as_mut().expect("not finished").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.as_mut().expect("not finished").flush()
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        if let Some(w) = self.writer.take() {
            drop(w.into_parts());
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to a file a person named, all or nothing, through `OutFile` (for a training
/// debrief and any other one-shot output).
pub fn write_whole(path: &Path, bytes: &[u8], protected: &[PathBuf]) -> Result<(), OutError> {
    let mut f = OutFile::create(path, protected)?;
    let io_err = |source| OutError::Io { out: path.display().to_string(), source };
    f.write_all(bytes).map_err(io_err)?;
    f.finish().map_err(io_err)
}
