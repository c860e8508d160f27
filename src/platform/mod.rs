//! Everything that differs between operating systems, in one place: owner-only files, the
//! identity of a file (so jdp can tell that a path still names the file it opened, and that an
//! output path is not the database), refusing to follow a symbolic link when writing, and the
//! operating-system account that is at the keyboard.
//!
//! Unix: files are created mode 0600 (directories 0700) whatever the umask; identity is the
//! device and inode number; the account comes from the password database for the real user id
//! (`getpwuid_r`), never from `$USER`, which anyone can set.
//!
//! Windows: files live in the user's profile, which Windows keeps private to the account;
//! identity is the canonical path (an open database cannot be deleted or renamed there, because
//! SQLite opens it without delete sharing); the account comes from the operating system
//! (`GetUserNameW`, through the `whoami` crate).

use std::fs::File;
use std::io;
use std::path::Path;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

/// What makes two paths name the same file: device and inode on unix, the canonical path on
/// Windows. Hard links and symbolic links to one file have the same identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId(imp::Id);

/// The identity of the file `path` names (following symbolic links), or `None` if nothing is
/// there.
pub fn file_id(path: &Path) -> io::Result<Option<FileId>> {
    match imp::id_of_path(path) {
        Ok(id) => Ok(Some(FileId(id))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The identity of an open file.
pub fn file_id_of(file: &File, path: &Path) -> io::Result<FileId> {
    imp::id_of_file(file, path).map(FileId)
}

/// Creates a new, empty file only its owner can read and write; fails if anything is there.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    imp::create_new_private(path)
}

/// Creates a directory (and its parents) only its owner can enter.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    imp::create_private_dir(dir)
}

/// Opens `path` for writing without following a symbolic link in its last component, creating
/// it owner-only if absent. The file is not truncated: the caller checks what it opened first.
pub fn open_for_output(path: &Path) -> io::Result<File> {
    imp::open_for_output(path)
}

/// Makes an open file owner-only, even if it existed before with wider permissions.
pub fn make_private(file: &File) -> io::Result<()> {
    imp::make_private(file)
}

/// Makes the file at `path` owner-only if it is not already; a file owned by another account is
/// left as it is (the error is returned for the caller to judge).
pub fn make_private_path(path: &Path) -> io::Result<()> {
    imp::make_private_path(path)
}

/// Whether the open file is a regular file (not a device, pipe or directory).
pub fn is_regular(file: &File) -> io::Result<bool> {
    Ok(file.metadata()?.file_type().is_file())
}

/// The operating-system account running jdp, for the access log and the chain. Not taken from
/// environment variables.
pub fn os_account() -> String {
    imp::os_account()
}

/// What a path that is neither a regular file nor a directory is, in words (a named pipe, a
/// device): such input is refused, never opened.
pub fn special_file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        } else if t.is_char_device() || t.is_block_device() {
            return "a device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}
