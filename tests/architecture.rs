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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut stack = vec![root];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains("crate::cli"), "{} imports crate::cli", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "{checked}");
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
    let mut stack = vec![root];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name == "runner.rs" || name == "files.rs" || !name.ends_with(".rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for word in ["self.store", ".store.", "std::fs", "File::", "rusqlite"] {
                assert!(!text.contains(word), "{} names {word}: I/O belongs in the runner", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked}");
}
