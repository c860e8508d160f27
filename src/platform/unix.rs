//! The unix side of `platform`.

use std::ffi::CStr;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    dev: u64,
    ino: u64,
}

pub fn id_of_path(path: &Path) -> io::Result<Id> {
    let m = std::fs::metadata(path)?;
    Ok(Id { dev: m.dev(), ino: m.ino() })
}

pub fn id_of_file(file: &File, _path: &Path) -> io::Result<Id> {
    let m = file.metadata()?;
    Ok(Id { dev: m.dev(), ino: m.ino() })
}

pub fn create_new_private(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

pub fn open_for_output(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            io::Error::other("it is a symbolic link; jdp does not write through links (name the file itself)")
        } else {
            e
        }
    })
}

pub fn make_private(file: &File) -> io::Result<()> {
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

pub fn os_account() -> String {
    // SAFETY: getuid cannot fail; getpwuid_r writes only into the buffers we own and give it.
    let uid = unsafe { libc::getuid() };
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: pw_name points into `buf`, NUL-terminated, and `buf` is still alive.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) }.to_string_lossy().into_owned();
        if !name.is_empty() {
            return name;
        }
    }
    format!("uid {uid}")
}

pub fn make_private_path(path: &Path) -> io::Result<()> {
    let m = std::fs::symlink_metadata(path)?;
    if m.file_type().is_file() && m.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
