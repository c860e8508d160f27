//! The database and its -wal/-shm files are owner-only whatever the umask. A file of its own
//! because the umask is process-wide.

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
