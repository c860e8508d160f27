//! Files -> validated domain types. Every problem is located: file, line, column, key path,
//! what was expected and what was found. Nothing here decides panel rules; it checks that a
//! file can be used by them.

pub mod letters;
mod locate;
pub mod panel;
pub mod referrals;
pub mod referrals_csv;
pub mod scenario;

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;

pub use locate::Document;
pub use panel::{DEFAULT_PANEL, load_panel, parse_panel};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// e.g. `gravity.offences[3].base_score`; empty for a problem with the whole file.
    pub path: String,
    pub expected: String,
    pub found: String,
    pub hint: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "expected {}, found {}", self.expected, self.found)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// All the problems with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// A problem found after parsing, at a key path; located when it is turned into a `ConfigError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub expected: String,
    pub found: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(path: impl Into<String>, expected: impl Into<String>, found: impl Into<String>) -> Self {
        Self { path: path.into(), expected: expected.into(), found: found.into(), hint: None }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// What a path that is not a regular file is, in words.
pub fn kind_of_file(meta: &std::fs::Metadata) -> &'static str {
    if meta.file_type().is_dir() { "a directory" } else { crate::platform::special_file_kind(meta) }
}

/// Reads a file and parses it; an unreadable file is itself a located error (line 1).
pub fn read_and_parse<T: DeserializeOwned>(
    path: &Path,
    validate: impl Fn(&T) -> Vec<Problem>,
) -> Result<T, ConfigErrors> {
    let (name, text) = read_text(path)?;
    parse_str(&name, &text, validate)
}

/// A file's name (for messages) and its text: a regular file of UTF-8, or a located error.
pub fn read_text(path: &Path) -> Result<(String, String), ConfigErrors> {
    let name = path.display().to_string();
    // A FIFO or a device would block or never end: only regular files are read.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(ConfigErrors(vec![ConfigError {
            file: name,
            line: 1,
            column: 1,
            path: String::new(),
            expected: "a regular file".into(),
            found: kind_of_file(&meta).into(),
            hint: None,
        }]));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            file: name.clone(),
            line: 1,
            column: 1,
            path: String::new(),
            expected: "a readable file".into(),
            found: e.to_string(),
            hint: None,
        }])
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let prefix = String::from_utf8_lossy(valid);
        let (line, column) = Document::new(&prefix).line_col(prefix.len());
        ConfigErrors(vec![ConfigError {
            file: name.clone(),
            line,
            column,
            path: String::new(),
            expected: "UTF-8 text".into(),
            found: "bytes that are not UTF-8".into(),
            hint: None,
        }])
    })?;
    Ok((name, text))
}

/// Parses TOML text into `T`, then runs `validate`; all errors carry the file name given. Every
/// type error is reported, not only the first (see [`type_errors`]); the file's own checks run
/// only once every value could be read, so no error follows from a value that could not be.
pub fn parse_str<T: DeserializeOwned>(
    file: &str,
    text: &str,
    validate: impl Fn(&T) -> Vec<Problem>,
) -> Result<T, ConfigErrors> {
    parse_str_rounds(file, text, validate, MAX_ROUNDS)
}

/// How many values one file may have replaced to find its further type errors: beyond this, the
/// errors found so far are reported.
pub const MAX_ROUNDS: usize = 200;

/// As [`parse_str`], reading past at most `rounds` type errors.
pub(crate) fn parse_str_rounds<T: DeserializeOwned>(
    file: &str,
    text: &str,
    validate: impl Fn(&T) -> Vec<Problem>,
    rounds: usize,
) -> Result<T, ConfigErrors> {
    let doc = Document::new(text);
    let value: T = type_errors(file, text, &doc, rounds).map_err(ConfigErrors)?;
    let mut problems = text_problems(&doc);
    problems.extend(validate(&value));
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(ConfigErrors(problems.into_iter().map(|p| locate(file, &doc, p)).collect()))
    }
}

/// The longest one-line value (a name, a reference) and the longest free text a file may hold.
pub const MAX_LINE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Every string in a file checked for characters that could take over a terminal or reorder
/// what a reader sees (control characters, bidirectional overrides), each located by key path.
pub fn text_problems(doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    doc.visit_strings(&mut |path, key, s| {
        let multiline = !crate::domain::text::is_single_line_key(key);
        let limit = if multiline { MAX_TEXT_CHARS } else { MAX_LINE_CHARS };
        if s.len() > limit && s.chars().count() > limit {
            out.push(Problem::new(
                path,
                format!("at most {limit} characters"),
                format!("{} characters", s.chars().count()),
            ));
        } else if let Some(b) = crate::domain::text::first_refused(s, multiline) {
            out.push(Problem::new(
                path,
                if multiline {
                    "text without control or bidirectional-override characters"
                } else {
                    "one line of text without control or bidirectional-override characters"
                },
                format!("{} at line {}, column {} of the value", b.what(), b.line, b.column),
            ));
        }
    });
    out
}

pub fn locate(file: &str, doc: &Document, p: Problem) -> ConfigError {
    // The key itself, or else the nearest enclosing key or table that is in the file.
    let mut path = p.path.as_str();
    let span = loop {
        if let Some(s) = doc.span_of(path) {
            break Some(s);
        }
        match path.rfind(['.', '[']) {
            Some(cut) if cut > 0 => path = &path[..cut],
            _ => break None,
        }
    };
    let (line, column) = span.map_or((1, 1), |s| doc.line_col(s.start));
    ConfigError { file: file.into(), line, column, path: p.path, expected: p.expected, found: p.found, hint: p.hint }
}

/// An edit made to read past a type error: the bytes at `orig` in the file are `len` bytes
/// starting at `at` in the working copy.
struct Edit {
    at: usize,
    len: usize,
    orig: std::ops::Range<usize>,
}

/// Where a working-copy offset is in the file.
fn to_orig(edits: &[Edit], w: usize) -> usize {
    let mut shift: isize = 0;
    for e in edits {
        if w >= e.at && w < e.at + e.len {
            return e.orig.start;
        }
        if e.at + e.len <= w {
            shift += e.orig.len() as isize - e.len as isize;
        }
    }
    (w as isize + shift).max(0) as usize
}

/// A value of the type serde expected, to stand in for one it could not read, so that reading
/// can go on to the next error; None where no stand-in can be chosen without guessing (a
/// missing or unknown key, a syntax error): reading stops there.
fn stand_in(msg: &str) -> Option<String> {
    let msg = msg.trim();
    if msg.starts_with("unknown variant `") {
        return backticked(msg).get(1).map(|v| format!("\"{v}\""));
    }
    // An enum given something other than text: text first, then (if needed) a known variant.
    if msg.contains("wanted string or table") {
        return Some("\"\"".into());
    }
    if msg.contains("input contains invalid characters")
        || msg.contains("premature end of input")
        || msg.contains("input is out of range")
        || msg.contains("trailing input")
        || msg.contains("input is not enough")
    {
        return Some("\"2000-01-01\"".into());
    }
    let rest = msg.strip_prefix("invalid type: ").or_else(|| msg.strip_prefix("invalid value: "))?;
    let (_, expected) = rest.rsplit_once(", expected ")?;
    Some(
        match expected {
            e if e.contains("date") => "\"2000-01-01\"",
            e if e.contains("string") => "\"\"",
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "an integer" => "0",
            "f32" | "f64" | "a float" => "0.0",
            "a boolean" => "false",
            "a sequence" => "[]",
            _ => return None,
        }
        .to_string(),
    )
}

/// Reads `text` as `T`, or returns every type error in it, each located in `text`: on each
/// error the value is noted and replaced, in a working copy, by a stand-in of the expected type
/// ([`stand_in`]), and the copy read again — at most `rounds` times. An error at a place
/// already reported (a stand-in that needed a second try) is not reported again.
pub(crate) fn type_errors<T: DeserializeOwned>(
    file: &str,
    text: &str,
    doc: &Document,
    rounds: usize,
) -> Result<T, Vec<ConfigError>> {
    let mut work = text.to_string();
    let mut edits: Vec<Edit> = Vec::new();
    let mut errors = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for round in 0..rounds.max(1) {
        let e = match toml::from_str::<T>(&work) {
            Ok(v) if errors.is_empty() => return Ok(v),
            Ok(_) => break,
            Err(e) => e,
        };
        let span = e.span().unwrap_or(0..0);
        let orig = to_orig(&edits, span.start)..to_orig(&edits, span.end);
        if reported.insert(orig.start) {
            errors.push(from_toml_at(file, text, doc, e.message(), orig.clone()));
        }
        let Some(value) = stand_in(e.message()) else { break };
        if round + 1 == rounds || span.is_empty() || work.get(span.clone()) == Some(value.as_str()) {
            break;
        }
        // Edits after this one move by the change in length.
        let delta = value.len() as isize - span.len() as isize;
        for ed in edits.iter_mut().filter(|ed| ed.at >= span.end) {
            ed.at = (ed.at as isize + delta) as usize;
        }
        // A stand-in replaced again keeps its place in the file.
        let orig = edits
            .iter()
            .position(|ed| span.start >= ed.at && span.start < ed.at + ed.len)
            .map_or(orig, |i| edits.remove(i).orig);
        work.replace_range(span.clone(), &value);
        edits.push(Edit { at: span.start, len: value.len(), orig });
    }
    Err(errors)
}

/// A deserialiser's message, located at `span` of `text`.
pub(crate) fn from_toml_at(
    file: &str,
    text: &str,
    doc: &Document,
    message: &str,
    span: std::ops::Range<usize>,
) -> ConfigError {
    let (line, column) = doc.line_col(span.start);
    let mut path = doc.path_at(span.start);
    let (expected, mut found, hint, field) = interpret(message);
    if message.starts_with("duplicate key") {
        let key = text.get(span.clone()).unwrap_or_default();
        found = format!("the key `{key}` a second time in one table");
    }
    if let Some(field) = field {
        // A missing key is reported on its table: name the key itself in the path.
        path = if path.is_empty() { field } else { format!("{path}.{field}") };
    } else if let Some(unknown) = unknown_key(message)
        && !path.ends_with(&unknown)
    {
        path = if path.is_empty() { unknown } else { format!("{path}.{unknown}") };
    }
    ConfigError { file: file.into(), line, column, path, expected, found, hint }
}

fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn unknown_key(msg: &str) -> Option<String> {
    msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()).map(str::to_string)
}

/// Turns serde/toml wording into expected/found, a "did you mean", and a missing key's name.
fn interpret(msg: &str) -> (String, String, Option<String>, Option<String>) {
    let msg = msg.trim();
    let one_of = |names: &[&str]| match names {
        [] => "no keys here".to_string(),
        [one] => format!("`{one}`"),
        many => format!("one of {}", many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    };
    if let Some(key) = unknown_key(msg) {
        let names = backticked(msg);
        let known = &names[1.min(names.len())..];
        let hint = did_you_mean(&key, known).map(|k| format!("did you mean `{k}`?"));
        let expected = if msg.contains("there are no fields") { "no keys here".into() } else { one_of(known) };
        return (expected, format!("unknown key `{key}`"), hint, None);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let given = rest.split('`').next().unwrap_or_default().to_string();
        let names = backticked(msg);
        let known = &names[1.min(names.len())..];
        let hint = did_you_mean(&given, known).map(|k| format!("did you mean `{k}`?"));
        return (one_of(known), format!("`{given}`"), hint, None);
    }
    if msg.contains("wanted string or table") {
        // An enum given a number, a boolean or a list: toml does not say which names it allows.
        return ("one of this key's names, in quotes".into(), "a value that is not text".into(), None, None);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default().to_string();
        return (format!("a value for `{field}`"), "nothing".into(), None, Some(field));
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let found = if found == "map" && expected.contains("date") {
                "a TOML date (write dates as quoted strings)".to_string()
            } else {
                found.to_string()
            };
            return (humanise(expected), found, None, None);
        }
    }
    if msg.contains("input contains invalid characters")
        || msg.contains("premature end of input")
        || msg.contains("input is out of range")
        || msg.contains("trailing input")
        || msg.contains("input is not enough")
    {
        return ("a date written \"YYYY-MM-DD\"".into(), format!("an invalid date ({msg})"), None, None);
    }
    // Syntax errors: toml's own message already says what it expected.
    let first = msg.lines().next().unwrap_or(msg);
    let (what, expected) = match first.split_once(", expected ") {
        Some((what, expected)) => (what, expected.to_string()),
        None => (first, "valid TOML".to_string()),
    };
    (expected, format!("invalid TOML: {what}"), None, None)
}

fn humanise(expected: &str) -> String {
    match expected {
        "u8" => "a whole number from 0 to 255".into(),
        "u16" => "a whole number from 0 to 65535".into(),
        "u32" => "a whole number from 0 to 4294967295".into(),
        "i8" => "a whole number from -128 to 127".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text in quotes".into(),
        "a sequence" => "a list [ … ]".into(),
        "a date" | "a formatted date string" => "a date written \"YYYY-MM-DD\"".into(),
        other => other.to_string(),
    }
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(given, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
