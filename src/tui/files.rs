//! The files the panel screen writes (a training debrief): owner-only, in the data directory
//! by default, and never over an existing file unless the trainer said so. The only file I/O
//! in the terminal layer.

use std::io::Write;
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
    Io(std::io::Error),
}

/// Writes `bytes` to `path` readable by its owner only (0600, even where the file existed);
/// refuses an existing file unless `overwrite`; never follows a symbolic link at `path`.
pub fn write_private(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(WriteError::Io)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if overwrite {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600).custom_flags(libc_nofollow());
    }
    let mut f = opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => WriteError::Exists,
        _ => WriteError::Io(e),
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(WriteError::Io)?;
    }
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(|e| {
        let _ = std::fs::remove_file(path);
        WriteError::Io(e)
    })
}

#[cfg(target_os = "linux")]
fn libc_nofollow() -> i32 {
    0o400000 // O_NOFOLLOW on Linux
}

#[cfg(all(unix, not(target_os = "linux")))]
fn libc_nofollow() -> i32 {
    0x0100 // O_NOFOLLOW on the BSDs and macOS
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}
