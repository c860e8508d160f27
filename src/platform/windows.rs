//! The Windows side of `platform`. Files created in the user's profile inherit its owner-only
//! access control list; an open database cannot be removed or renamed.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id(PathBuf);

fn canonical(path: &Path) -> io::Result<Id> {
    Ok(Id(PathBuf::from(std::fs::canonicalize(path)?.to_string_lossy().to_lowercase())))
}

pub fn id_of_path(path: &Path) -> io::Result<Id> {
    canonical(path)
}

pub fn id_of_file(_file: &File, path: &Path) -> io::Result<Id> {
    canonical(path)
}

pub fn create_new_private(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}

pub fn open_for_output(path: &Path) -> io::Result<File> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::other("it is a symbolic link; jdp does not write through links (name the file itself)"));
    }
    OpenOptions::new().write(true).create(true).truncate(false).open(path)
}

pub fn make_private(_file: &File) -> io::Result<()> {
    Ok(())
}

pub fn os_account() -> String {
    whoami::username()
}

pub fn make_private_path(_path: &Path) -> io::Result<()> {
    Ok(())
}
