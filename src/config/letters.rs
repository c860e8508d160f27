//! Loading letter templates (`panels/letters/*.toml`, beside the panel definition; the shipped
//! set is built in) and checking them: every `{placeholder}` must be one jdp knows, each unknown
//! one reported with its file, line and column and the list of known ones.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use super::{ConfigError, ConfigErrors, Document, Problem, parse_str, read_text};
use crate::domain::PanelDefinition;
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
    if s.contact.contains(['{', '}']) {
        out.push(Problem::new(
            "settings.contact",
            "the contact in plain words (it is put into every letter as written: a placeholder there is printed as it is)",
            format!("{:?}", s.contact),
        ));
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

/// Loads a letters file or directory: the templates of every file, the settings of the first;
/// checked as a set ([`set_problems`]) without a panel definition (no outcome-code check).
pub fn load_letters(path: &Path) -> Result<LettersFile, ConfigErrors> {
    load_letters_checked(path, None)
}

/// Loads a letters file or directory and checks the set: with a panel definition, every
/// outcome code must be one of its codes (or `*`).
pub fn load_letters_checked(path: &Path, panel: Option<&PanelDefinition>) -> Result<LettersFile, ConfigErrors> {
    let mut parsed: Vec<(String, String, LettersFile)> = Vec::new();
    let mut errors = Vec::new();
    for f in letter_files(path) {
        match read_text(&f).and_then(|(name, text)| parse_letters(&name, &text).map(|l| (name, text, l))) {
            Ok(p) => parsed.push(p),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    let sources: Vec<(&str, &str, &LettersFile)> = parsed.iter().map(|(n, t, f)| (n.as_str(), t.as_str(), f)).collect();
    let problems = set_problems(&sources, panel);
    if !problems.is_empty() {
        return Err(ConfigErrors(problems));
    }
    let mut all: Option<LettersFile> = None;
    for (_, _, file) in parsed {
        match &mut all {
            None => all = Some(file),
            Some(a) => a.letters.extend(file.letters),
        }
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
/// built-in set. Checked as a set, so a shadowed template or a victim's letter naming what the
/// victim must not be told is refused before any letter is written (an outcome code the panel
/// does not define is harmless here: `jdp check` reports it).
pub fn letters_for(panel_file: Option<&Path>) -> Result<(String, LettersFile), ConfigErrors> {
    if let Some(dir) = panel_file.and_then(Path::parent).map(|d| d.join("letters"))
        && dir.is_dir()
    {
        return load_letters(&dir).map(|l| (dir.display().to_string(), l));
    }
    Ok((DEFAULT_LETTERS_NAME.to_string(), built_in_letters()?))
}

/// The letters built into jdp, read and checked as a set as any other.
pub fn built_in_letters() -> Result<LettersFile, ConfigErrors> {
    let file = parse_letters(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS)?;
    let problems = set_problems(&[(DEFAULT_LETTERS_NAME, DEFAULT_LETTERS, &file)], None);
    if !problems.is_empty() {
        return Err(ConfigErrors(problems));
    }
    Ok(file)
}

/// The panel definition a letters folder is checked against when it is checked alone: the
/// `default.toml` beside the folder (`lt/default.toml` for `lt/letters` or a file in it).
pub fn panel_beside(path: &Path) -> Option<std::path::PathBuf> {
    let folder = if path.is_dir() { Some(path) } else { path.parent() };
    let beside = folder?.parent()?.join("default.toml");
    beside.is_file().then_some(beside)
}

/// The problems with a set of letters files taken together, each located in its file: a
/// recipient given two templates for one outcome (the first would silently shadow the
/// second); with a panel definition, an outcome code it does not define; and, in a victim's
/// template, a placeholder the victim must not be given ([`letters::refused_for_victim`]).
pub fn set_problems(files: &[(&str, &str, &LettersFile)], panel: Option<&PanelDefinition>) -> Vec<ConfigError> {
    let settings = files.first().map(|(_, _, f)| f.settings.clone()).unwrap_or_default();
    let refused = letters::refused_for_victim(&settings);
    let codes: Vec<&str> = panel.map(|p| p.outcomes.iter().map(|o| o.code.as_str()).collect()).unwrap_or_default();
    let mut first: HashMap<(Recipient, String), (String, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (name, text, file) in files {
        let doc = Document::new(text);
        let mut problems = Vec::new();
        for (i, t) in file.letters.iter().enumerate() {
            for (j, code) in t.outcomes.iter().enumerate() {
                let path = format!("letter[{i}].outcomes[{j}]");
                if panel.is_some() && code != "*" && !codes.contains(&code.as_str()) {
                    let mut p = Problem::new(
                        path.clone(),
                        format!("an outcome code in the panel definition, or \"*\" ({})", codes.join(", ")),
                        format!("\"{code}\""),
                    );
                    if let Some(m) = super::did_you_mean(code, &codes) {
                        p = p.hint(format!("did you mean \"{m}\"?"));
                    }
                    problems.push(p);
                }
                let line = doc.span_of(&path).map_or(1, |s| doc.line_col(s.start).0);
                match first.entry((t.to, code.clone())) {
                    Entry::Occupied(e) => {
                        let (file, line) = e.get();
                        let at = if file == name { format!("line {line}") } else { format!("{file}:{line}") };
                        problems.push(Problem::new(
                            path,
                            format!("one letter to the {} for each outcome", t.to.id()),
                            format!("\"{code}\" again (first at {at}); the first would be sent"),
                        ));
                    }
                    Entry::Vacant(e) => {
                        e.insert((name.to_string(), line));
                    }
                }
            }
        }
        let mut located: Vec<ConfigError> = problems.into_iter().map(|p| super::locate(name, &doc, p)).collect();
        for (i, t) in file.letters.iter().enumerate() {
            if t.to != Recipient::Victim {
                continue;
            }
            for field in ["title", "body"] {
                let path = format!("letter[{i}].{field}");
                let Some(span) = doc.span_of(&path) else { continue };
                let mut offset = span.start;
                for line in text[span.clone()].split_inclusive('\n') {
                    for (column, p) in letters::placeholders_in(line) {
                        if let Some((_, why)) = refused.iter().find(|(r, _)| *r == p) {
                            let byte = line.char_indices().nth(column - 1).map_or(0, |(b, _)| b);
                            let (line_no, col) = doc.line_col(offset + byte);
                            located.push(ConfigError {
                                file: name.to_string(),
                                line: line_no,
                                column: col,
                                path: path.clone(),
                                expected: "no placeholder the victim must not be given".into(),
                                found: format!("{{{p}}} ({why})"),
                                hint: None,
                            });
                        }
                    }
                    offset += line.len();
                }
            }
        }
        located.sort_by_key(|e| (e.line, e.column));
        out.extend(located);
    }
    out
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
