//! The dependency rule: `src/domain/`, the walk's state machine and the training logic stay pure,
//! so their rules are tested without a terminal, a database or a clock.

use std::path::Path;

#[test]
fn pure_layers_name_no_terminal_database_file_clock_or_rng() {
    let forbidden = [
        "ratatui",
        "crossterm",
        "rusqlite",
        "std::fs",
        "Utc::now",
        "Local::now",
        "thread_rng",
        "rand::rng",
        "SystemTime",
        "Instant::now",
        "crate::config",
        "crate::store",
        "crate::tui",
        "crate::cli",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["domain", "walk"] {
        files.extend(std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()));
    }
    files.push(root.join("training.rs"));
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for word in forbidden {
            assert!(!text.contains(word), "{} names {word}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 9, "expected the domain, walk and training modules, found {checked}");
}

/// Dependencies point down: the screen never borrows from the command line.
#[test]
fn the_terminal_layer_does_not_import_the_command_line() {
    let files = rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui"));
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.contains("crate::cli"), "{} imports crate::cli", path.display());
    }
    assert!(files.len() >= 5, "{}", files.len());
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// SQL lives only in src/store: no other module names rusqlite (or the postgres crate) or reaches for the store's
/// connection, and the connection is not public outside the store module.
#[test]
fn sql_lives_only_in_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let store = src.join("store");
    let mut checked = 0;
    for path in rust_files(&src) {
        let text = std::fs::read_to_string(&path).unwrap();
        if path.starts_with(&store) {
            assert!(
                !text.contains("pub fn conn") && !text.contains("pub(crate) fn conn"),
                "{} makes the store's connection public",
                path.display()
            );
            continue;
        }
        for word in ["rusqlite", "postgres::", ".conn()", "Connection"] {
            assert!(!text.contains(word), "{} names {word}: SQL belongs in src/store", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 40, "expected every module outside the store, found {checked}");
}

/// The module map in lib.rs names every module, so a newcomer reading it sees the whole tree.
#[test]
fn the_module_map_names_every_module() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let map: String = text.lines().filter(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
    let modules: Vec<&str> =
        text.lines().filter_map(|l| l.strip_prefix("pub mod ")).map(|m| m.trim_end_matches(';')).collect();
    assert!(modules.len() >= 15, "{modules:?}");
    for m in modules {
        assert!(map.contains(&format!("`{m}`")), "lib.rs's map does not name `{m}`");
    }
}

/// Screens return commands; one runner does the I/O: no key handler or drawing code in the
/// terminal layer reaches the store or the file system.
#[test]
fn only_the_runner_and_files_touch_the_store_or_the_file_system() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut checked = 0;
    for path in rust_files(&root) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "runner.rs" || name == "files.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for word in ["self.store", ".store.", "std::fs", "File::", "rusqlite"] {
            assert!(!text.contains(word), "{} names {word}: I/O belongs in the runner", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
}
