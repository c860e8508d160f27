//! The files the panel screen writes (a training debrief): owner-only, in the data directory
//! by default, and never over an existing file unless the trainer said so. The only file I/O
//! in the terminal layer.

use std::path::{Path, PathBuf};

/// Where a debrief goes unless the trainer names another place.
pub fn default_debrief_path(reference: &str) -> PathBuf {
    let dir = directories::ProjectDirs::from("uk", "jdp", "jdp")
        .map(|d| d.data_dir().join("debriefs"))
        .unwrap_or_else(|| PathBuf::from("debriefs"));
    let safe: String = reference.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    dir.join(format!("debrief-{safe}.md"))
}

#[derive(Debug)]
pub enum WriteError {
    Exists,
    Out(crate::outfile::OutError),
}

/// Writes `bytes` to `path` through the one output-file writer (`outfile`): owner-only, never
/// through a symbolic link, never over a database in `protected`; an existing file only when
/// `overwrite` says the trainer agreed.
pub fn write_private(path: &Path, bytes: &[u8], overwrite: bool, protected: &[PathBuf]) -> Result<(), WriteError> {
    if !overwrite && std::fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        crate::platform::create_private_dir(dir).map_err(|source| {
            WriteError::Out(crate::outfile::OutError::Io { out: dir.display().to_string(), source })
        })?;
    }
    crate::outfile::write_whole(path, bytes, protected).map_err(WriteError::Out)
}

/// Typed work the store could not take (the server could not be reached, or another
/// workstation saved the case meanwhile), kept on this machine until it is saved or discarded.
/// One entry a referral, the newest typing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    /// The referral it belongs to; none for a new referral not yet in the store.
    pub referral: Option<i64>,
    /// For the offer on screen: the reference, never the child's name.
    pub reference: String,
    pub step: String,
    pub case: crate::domain::referral::Case,
    /// A correction in progress: the record it supersedes and the reason given.
    pub correction: Option<(i64, String)>,
    /// When it was kept (RFC 3339), and why, in words.
    pub kept_at: String,
    pub why: String,
}

/// Where a store's journal is kept on this machine: one file per store (its identity digested,
/// so neither a path nor a server's name appears in the file name), owner-only, in the data
/// directory (`JDP_JOURNAL_DIR` overrides).
pub fn journal_path(store_identity: &str) -> PathBuf {
    use sha2::Digest;
    let dir = std::env::var_os("JDP_JOURNAL_DIR").map(PathBuf::from).unwrap_or_else(|| {
        directories::ProjectDirs::from("uk", "jdp", "jdp")
            .map(|d| d.data_dir().join("journal"))
            .unwrap_or_else(|| PathBuf::from("journal"))
    });
    let digest = hex::encode(sha2::Sha256::digest(store_identity.as_bytes()));
    dir.join(format!("{}.json", &digest[..16]))
}

/// The journal's entries (none when there is no journal).
pub fn journal_read(path: &Path) -> Result<Vec<Kept>, String> {
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display())),
    }
}

/// Keeps `k` (replacing an earlier entry for its referral), all or nothing: the journal is
/// written whole beside itself, owner-only, then moved into place.
pub fn journal_keep(path: &Path, k: Kept, protected: &[PathBuf]) -> Result<(), String> {
    let mut all = journal_read(path)?;
    all.retain(|e| e.referral != k.referral);
    all.push(k);
    journal_write(path, &all, protected)
}

/// Forgets the entry for `referral` (saved to the store, or discarded).
pub fn journal_forget(path: &Path, referral: Option<i64>, protected: &[PathBuf]) -> Result<(), String> {
    let mut all = journal_read(path)?;
    let before = all.len();
    all.retain(|e| e.referral != referral);
    if all.len() == before {
        return Ok(());
    }
    if all.is_empty() {
        return std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()));
    }
    journal_write(path, &all, protected)
}

fn journal_write(path: &Path, all: &[Kept], protected: &[PathBuf]) -> Result<(), String> {
    let bytes = serde_json::to_vec(all).map_err(|e| e.to_string())?;
    let mut next = path.as_os_str().to_owned();
    next.push(".new");
    let next = PathBuf::from(next);
    write_private(&next, &bytes, true, protected).map_err(|e| match e {
        WriteError::Exists => format!("{}: exists", next.display()),
        WriteError::Out(e) => e.to_string(),
    })?;
    std::fs::rename(&next, path).map_err(|e| format!("{}: {e}", path.display()))
}
