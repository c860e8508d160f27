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
