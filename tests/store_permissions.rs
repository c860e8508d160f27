//! The database and its -wal/-shm files are owner-only whatever the umask. A file of its own
//! because the umask is process-wide. Unix file modes: on Windows a new file is the owner's
//! through its folder's ACL.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;

#[test]
fn files_are_created_owner_only_under_umask_022() {
    unsafe { libc::umask(0o022) };
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("new").join("jdp");
    let db = data_dir.join("jdp.sqlite3");
    let mut store = jdp::store::Store::open(&db).unwrap();
    store.log_access("tester", "view", "nothing", "permissions test", chrono::Utc::now()).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data_dir), 0o700, "the directory jdp created");
    assert_eq!(mode(&db), 0o600);
    for suffix in ["-wal", "-shm"] {
        let p = db.with_file_name(format!("jdp.sqlite3{suffix}"));
        assert!(p.exists(), "{suffix} exists while the store is open");
        assert_eq!(mode(&p), 0o600, "{suffix}");
    }
}

#[test]
fn an_existing_database_file_is_made_owner_only_before_use() {
    unsafe { libc::umask(0o022) };
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // An empty file made beforehand (`touch`), world-readable.
    let empty = dir.path().join("touched.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut store = jdp::store::Store::open(&empty).unwrap();
    store.log_access("tester", "view", "nothing", "permissions test", chrono::Utc::now()).unwrap();
    assert_eq!(mode(&empty), 0o600);
    for suffix in ["-wal", "-shm"] {
        let p = dir.path().join(format!("touched.sqlite3{suffix}"));
        assert_eq!(mode(&p), 0o600, "{suffix}");
    }
    drop(store);
    // A store copied with wider permissions.
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o664)).unwrap();
    drop(jdp::store::Store::open(&empty).unwrap());
    assert_eq!(mode(&empty), 0o600);
}
