//! The dependency rule: `src/domain/` stays pure, so its rules are table tests.

use std::path::Path;

#[test]
fn domain_names_no_terminal_database_file_clock_or_rng() {
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for word in forbidden {
            assert!(!text.contains(word), "{} names {word}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 5, "expected the domain modules, found {checked}");
}
