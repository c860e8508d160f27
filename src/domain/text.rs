//! Text that may be typed or imported, and text that may be shown or written: the characters
//! that could take control of a terminal (control characters, escape sequences) or reorder
//! what a reader sees (bidirectional overrides and isolates) are refused at input, located,
//! and escaped at output. Spreadsheet formulas are neutralised in CSV cells. Pure.

use std::borrow::Cow;

/// A character refused in typed or imported text, and where it is (1-based, in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadChar {
    pub ch: char,
    pub line: usize,
    pub column: usize,
}

impl BadChar {
    /// What it is, for a message: "a control character U+001B".
    pub fn what(&self) -> String {
        let kind = if is_bidi_control(self.ch) { "a bidirectional-override character" } else { "a control character" };
        format!("{kind} U+{:04X}", self.ch as u32)
    }
}

impl std::fmt::Display for BadChar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {}, column {}", self.what(), self.line, self.column)
    }
}

/// Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Whether `c` must not be in typed or imported text. Line breaks and tabs are allowed only in
/// multi-line text (`multiline`); a carriage return only as part of a CR LF line break.
fn refused(c: char, next: Option<char>, multiline: bool) -> bool {
    match c {
        '\n' | '\t' => !multiline,
        '\r' => !(multiline && next == Some('\n')),
        c => c.is_control() || is_bidi_control(c),
    }
}

/// The first refused character in `text`, located; `None` when the text is safe to keep.
pub fn first_refused(text: &str, multiline: bool) -> Option<BadChar> {
    let (mut line, mut column) = (1, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if refused(c, chars.peek().copied(), multiline) {
            return Some(BadChar { ch: c, line, column });
        }
        if c == '\n' {
            line += 1;
            column = 0;
        }
    }
    None
}

/// For a field typed at the screen: `Ok` or a message naming the character and its place.
/// The TUI calls this on every text field before it is set.
pub fn check_input(text: &str, multiline: bool) -> Result<(), String> {
    match first_refused(text, multiline) {
        None => Ok(()),
        Some(b) => Err(format!("{} is not allowed here ({})", b.what(), place(&b, text))),
    }
}

fn place(b: &BadChar, text: &str) -> String {
    if text.contains('\n') {
        format!("line {}, column {}", b.line, b.column)
    } else {
        format!("character {}", b.column)
    }
}

/// Keys whose values are one line (names, references, codes): a line break there is refused.
/// Everything else (details, views, rationales, notes) may run over several lines.
pub fn is_single_line_key(key: &str) -> bool {
    matches!(
        key,
        "reference"
            | "name"
            | "known_as"
            | "ethnicity"
            | "officer_in_case"
            | "appropriate_adult"
            | "local_authority"
            | "social_worker"
            | "offence"
            | "outcome"
            | "code"
            | "label"
            | "letter_name"
            | "id"
            | "agency"
            | "title"
            | "version"
            | "area"
            | "group"
            | "contacted_by"
            | "requested_by"
            | "assessor"
            | "rank"
            | "domain"
            | "method"
    )
}

/// `text` made safe to print to a terminal: line breaks and tabs stay; every other control
/// character and every bidirectional control is written out visibly (`\x1b`, `\u{202e}`).
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// A CSV cell a spreadsheet will not run as a formula (OWASP's rule): a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.parse::<f64>().is_ok() {
        return Cow::Borrowed(text); // a number (say -3) is not a formula
    }
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Text for one line of Markdown (a heading, a list item): line breaks and other controls
/// become spaces so the text cannot start a section of its own.
pub fn markdown_line(text: &str) -> String {
    // No control characters, and no raw HTML: a Markdown reader passes `<script>` through, so
    // `<`, `>` and `&` are backslash-escaped (CommonMark shows them as written).
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() || is_bidi_control(c) => out.push(' '),
            '<' | '>' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Markdown text written by `markdown_line` or `markdown_cell` read back as plain text (for the
/// HTML built from the same Markdown, which escapes for HTML itself).
pub fn markdown_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&n)) if matches!(n, '|' | '<' | '>' | '&') => {
                out.push(n);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for one Markdown table cell: one line, and `|` escaped so it cannot shift the columns.
pub fn markdown_cell(text: &str) -> String {
    markdown_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_character_names_itself_and_its_place() {
        let b = BadChar { ch: '\u{1b}', line: 2, column: 3 };
        assert_eq!(b.to_string(), "a control character U+001B at line 2, column 3");
        let b = BadChar { ch: '\u{202e}', line: 1, column: 1 };
        assert_eq!(b.to_string(), "a bidirectional-override character U+202E at line 1, column 1");
    }

    #[test]
    fn control_and_bidi_characters_are_refused_and_located() {
        assert_eq!(first_refused("Alfie Davies", false), None);
        assert_eq!(first_refused("Zoë Ødegård", false), None);
        assert_eq!(first_refused("two\nlines\ttab", true), None);
        assert_eq!(first_refused("crlf\r\nline", true), None);
        assert_eq!(first_refused("ab\u{1b}]0;PWNED\u{7}", false), Some(BadChar { ch: '\u{1b}', line: 1, column: 3 }));
        assert_eq!(first_refused("ok\nx\u{202e}y", true), Some(BadChar { ch: '\u{202e}', line: 2, column: 2 }));
        assert_eq!(first_refused("a\nb", false), Some(BadChar { ch: '\n', line: 1, column: 2 }));
        assert_eq!(first_refused("a\rb", true).map(|b| b.ch), Some('\r'));
        assert_eq!(first_refused("\u{9b}31m", false).map(|b| b.ch), Some('\u{9b}'), "C1 CSI");
        assert_eq!(first_refused("\u{2066}x", false).map(|b| b.ch), Some('\u{2066}'));
        assert_eq!(first_refused("\u{7f}", false).map(|b| b.ch), Some('\u{7f}'));
        assert!(check_input("a\u{1b}b", false).unwrap_err().contains("U+001B"));
    }

    #[test]
    fn terminal_escaping_keeps_lines_and_shows_everything_else() {
        assert_eq!(escape_for_terminal("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(escape_for_terminal("\u{1b}]2;PWNED\u{7}"), "\\x1b]2;PWNED\\x07");
        assert_eq!(escape_for_terminal("a\u{202e}b\rc\u{9b}"), "a\\u{202e}b\\x0dc\\x9b");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        for f in ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"] {
            assert_eq!(csv_cell(f), format!("'{f}"));
        }
        assert_eq!(csv_cell("White British"), "White British");
        assert_eq!(csv_cell(""), "");
        assert_eq!(csv_cell("-3"), "-3", "numbers stay numbers");
        assert_eq!(csv_cell("-0.25"), "-0.25");
    }

    #[test]
    fn markdown_cells_stay_in_their_cell() {
        assert_eq!(markdown_cell("a|b\n## Agreement"), "a\\|b ## Agreement");
        assert_eq!(markdown_line("x\r\n# y"), "x  # y");
    }
}
