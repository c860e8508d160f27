//! Loading letter templates (`panels/letters/*.toml`, beside the panel definition; the shipped
//! set is built in) and checking them: every `{placeholder}` must be one jdp knows, each unknown
//! one reported with its file, line and column and the list of known ones.

use std::path::{Path, PathBuf};

use super::{ConfigError, ConfigErrors, Problem, parse_str, read_text};
use crate::domain::letters::{self, LettersFile, Recipient};

/// The shipped letters, built in.
pub const DEFAULT_LETTERS: &str = include_str!("../../panels/letters/default.toml");
pub const DEFAULT_LETTERS_NAME: &str = "<built-in panels/letters/default.toml>";

/// Parses one letters file's text: its TOML, then every placeholder, located.
pub fn parse_letters(name: &str, text: &str) -> Result<LettersFile, ConfigErrors> {
    let file: LettersFile = parse_str(name, text, validate)?;
    let known = letters::PLACEHOLDERS.iter().map(|(p, _)| format!("{{{p}}}")).collect::<Vec<_>>().join(", ");
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') && !in_body(text, i) {
            continue; // a TOML comment
        }
        for (column, p) in letters::placeholders_in(line) {
            if !letters::is_known(&p) {
                errors.push(ConfigError {
                    file: name.to_string(),
                    line: i + 1,
                    column,
                    path: String::new(),
                    expected: format!("a known placeholder ({known})"),
                    found: format!("{{{p}}}"),
                    hint: None,
                });
            }
        }
    }
    if errors.is_empty() { Ok(file) } else { Err(ConfigErrors(errors)) }
}

/// Whether line `n` (from 0) is inside a multi-line string: an odd number of `"""` before it.
fn in_body(text: &str, n: usize) -> bool {
    text.lines().take(n).map(|l| l.matches("\"\"\"").count()).sum::<usize>() % 2 == 1
}

fn validate(f: &LettersFile) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, t) in f.letters.iter().enumerate() {
        if t.outcomes.is_empty() {
            out.push(Problem::new(format!("letter[{i}].outcomes"), "at least one outcome code, or \"*\"", "none"));
        }
        if t.body.trim().is_empty() {
            out.push(Problem::new(format!("letter[{i}].body"), "the letter's text", "nothing"));
        }
    }
    let s = &f.settings;
    if s.max_average_words.is_nan() || s.max_average_words <= 0.0 {
        out.push(Problem::new("settings.max_average_words", "a number above 0", s.max_average_words.to_string()));
    }
    if s.max_sentence_words == 0 {
        out.push(Problem::new("settings.max_sentence_words", "a number above 0", "0"));
    }
    out
}

/// The letters files in `path`: the file itself, or every `.toml` in a directory (by name).
pub fn letter_files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    }
}

/// Loads a letters file or directory: the templates of every file, the settings of the first.
pub fn load_letters(path: &Path) -> Result<LettersFile, ConfigErrors> {
    let mut all: Option<LettersFile> = None;
    let mut errors = Vec::new();
    for f in letter_files(path) {
        match read_text(&f).and_then(|(name, text)| parse_letters(&name, &text)) {
            Ok(file) => match &mut all {
                None => all = Some(file),
                Some(a) => a.letters.extend(file.letters),
            },
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    all.ok_or_else(|| {
        ConfigErrors(vec![ConfigError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            path: String::new(),
            expected: "letter templates (.toml files)".into(),
            found: "none".into(),
            hint: None,
        }])
    })
}

/// The letters for a panel definition: `letters/` beside its file when there is one, else the
/// built-in set.
pub fn letters_for(panel_file: Option<&Path>) -> Result<(String, LettersFile), ConfigErrors> {
    if let Some(dir) = panel_file.and_then(Path::parent).map(|d| d.join("letters"))
        && dir.is_dir()
    {
        return load_letters(&dir).map(|l| (dir.display().to_string(), l));
    }
    parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS).map(|l| (DEFAULT_LETTERS_NAME.to_string(), l))
}

/// Whether a file is a letters file (it has `[[letter]]` tables).
pub fn is_letters(text: &str) -> bool {
    text.lines().any(|l| l.trim() == "[[letter]]")
}

/// Every recipient has a letter for every outcome (a `*` template counts).
pub fn missing(file: &LettersFile, outcomes: &[&str]) -> Vec<(Recipient, String)> {
    let mut out = Vec::new();
    for to in Recipient::ALL {
        for o in outcomes {
            if letters::template(file, to, o).is_none() {
                out.push((to, o.to_string()));
            }
        }
    }
    out
}
