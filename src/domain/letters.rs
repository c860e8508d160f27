//! Letters after a decision: templates are panel-definition data (`panels/letters/*.toml`) with
//! named `{placeholders}`; this module picks the template for an outcome and a recipient, fills
//! it with values escaped for the format (HTML, Markdown, plain text), and measures how easy the
//! letter is to read. Pure: the caller reads the files and writes the letter.
//!
//! A template's body is a tiny markup an area can edit: `# ` starts a heading, `- ` a bullet,
//! a blank line ends a paragraph. The template's own text is the area's; every placeholder value
//! is data and is escaped so it can add no structure (no heading, list, link or tag).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::panel::PanelDefinition;
use super::record::DecisionSnapshot;

/// Who a letter is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recipient {
    Child,
    Carer,
    Victim,
    SocialWorker,
}

impl Recipient {
    pub const ALL: [Recipient; 4] = [Recipient::Child, Recipient::Carer, Recipient::Victim, Recipient::SocialWorker];

    pub fn id(self) -> &'static str {
        match self {
            Recipient::Child => "child",
            Recipient::Carer => "carer",
            Recipient::Victim => "victim",
            Recipient::SocialWorker => "social-worker",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Who, in words.
    pub fn label(self) -> &'static str {
        match self {
            Recipient::Child => "The child",
            Recipient::Carer => "The parent or carer",
            Recipient::Victim => "The victim",
            Recipient::SocialWorker => "The social worker",
        }
    }

    /// The follow-up task a sent letter completes (`tasks::TaskKind::id`).
    pub fn task(self) -> &'static str {
        match self {
            Recipient::Child | Recipient::Carer => "inform_child_and_carer",
            Recipient::Victim => "inform_victim",
            Recipient::SocialWorker => "notify_social_worker",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterFormat {
    Html,
    Md,
    Txt,
}

/// A letters file: settings and templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LettersFile {
    #[serde(default)]
    pub settings: LetterSettings,
    #[serde(default, rename = "letter")]
    pub letters: Vec<Template>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LetterSettings {
    /// Who to contact with a question, in the letter's words.
    pub contact: String,
    /// Whether the victim's letter may name the child (default: never).
    pub name_child_to_victim: bool,
    /// Readability limits a rendered letter is measured against.
    pub max_average_words: f64,
    pub max_sentence_words: usize,
}

impl Default for LetterSettings {
    fn default() -> Self {
        Self {
            contact: "the Youth Justice Service".into(),
            name_child_to_victim: false,
            max_average_words: 15.0,
            max_sentence_words: 25,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub to: Recipient,
    /// Outcome codes this template is for; `*` for any outcome without one of its own.
    pub outcomes: Vec<String>,
    pub title: String,
    pub body: String,
}

/// Every placeholder a template may use, with what it holds.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("child_first_name", "the child's first name (\"the young person\" in a victim's letter)"),
    ("child_name", "the child's full name (\"the young person\" in a victim's letter)"),
    ("reference", "the referral's reference"),
    ("outcome", "the outcome's plain name (the panel's letter_name, e.g. \"No further action\")"),
    ("decided_on", "the date of the decision, with its weekday"),
    ("panel_name", "the panel's name"),
    ("panel_area", "the panel's area"),
    ("contact", "who to contact (the letters file's settings.contact)"),
    ("reasons", "the panel's rationale (for the victim: the outcome's description, never the rationale)"),
    ("local_authority", "the looked-after child's local authority"),
    ("social_worker", "the social worker's name, or \"Social worker\""),
    (
        "victim_salutation",
        "how the victim's letter opens: \"Dear parent or carer,\" for a victim under 18, else \"Dear Sir or Madam,\"",
    ),
    (
        "victim_parent_note",
        "for a victim under 18, a sentence saying the letter is to their parent or carer; else nothing (the line is left out)",
    ),
    (
        "caution_adult",
        "who is with the child when a caution is given: a sentence where an appropriate adult must be there (a child under 17), else nothing (the line is left out)",
    ),
];

/// The placeholders in a line of template text: `{name}` where name is lower-case letters and
/// underscores; with the column (1-based, in characters) of each.
pub fn placeholders_in(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_lowercase() || chars[j] == '_') {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '}' {
                out.push((i + 1, chars[i + 1..j].iter().collect()));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The placeholders a victim's template may not use, each with why. The Victims' Code 2021 gives
/// the victim the outcome and its reasons in plain words; the child's care (their local
/// authority and social worker) and the panel's rationale (the child's health, family and needs)
/// are the child's own, and the child's name only reaches the victim where the letters'
/// settings say it may (`name_child_to_victim`).
pub fn refused_for_victim(settings: &LetterSettings) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        ("social_worker", "the child's social worker is the child's information"),
        ("local_authority", "it tells the victim the child is looked after"),
        ("reasons", "the panel's rationale is written for the panel: write the reasons in the template's own words"),
    ];
    if !settings.name_child_to_victim {
        out.push(("child_name", "the settings say the victim's letter never names the child"));
        out.push(("child_first_name", "the settings say the victim's letter never names the child"));
    }
    out
}

pub fn is_known(name: &str) -> bool {
    PLACEHOLDERS.iter().any(|(p, _)| *p == name)
}

/// The template for an outcome and recipient: one naming the outcome, else a `*` one.
pub fn template<'a>(file: &'a LettersFile, to: Recipient, outcome: &str) -> Option<&'a Template> {
    let of = |t: &&Template| t.to == to;
    file.letters
        .iter()
        .filter(of)
        .find(|t| t.outcomes.iter().any(|o| o == outcome))
        .or_else(|| file.letters.iter().filter(of).find(|t| t.outcomes.iter().any(|o| o == "*")))
}

/// The placeholder values for a decision and recipient (raw: escaped when filled in).
pub fn values(
    snap: &DecisionSnapshot,
    panel: &PanelDefinition,
    settings: &LetterSettings,
    to: Recipient,
) -> BTreeMap<&'static str, String> {
    let case = &snap.case;
    let r = &case.referral;
    let hide = to == Recipient::Victim && !settings.name_child_to_victim;
    let (first, full) = if hide {
        ("the young person".to_string(), "the young person".to_string())
    } else {
        (r.child.name.split_whitespace().next().unwrap_or_default().to_string(), r.child.name.clone())
    };
    let def = panel.outcome(snap.outcome());
    // The rationale is written for the panel and holds the child's health, care and family: the
    // victim is given the outcome's own description (panel-definition data) instead, whatever
    // the template asks for.
    let reasons = if to == Recipient::Victim {
        def.map_or(String::new(), |o| o.description.clone())
    } else {
        case.decision.rationale.clone()
    };
    // Letters name the outcome in plain words, never by the panel's code or label.
    let outcome = def.map_or(snap.outcome().to_string(), |o| o.plain_name());
    let la = r.child.looked_after.as_ref();
    // The same rule as the delivery task: a letter never promises an adult the task does not
    // arrange.
    let adult = def.is_some_and(|o| super::tasks::appropriate_adult_at_delivery(&snap.case, o));
    let caution_adult = match (adult, to) {
        (false, _) => "",
        (true, Recipient::Child) => "An adult who looks out for you will be there.",
        (true, Recipient::Carer) => "An appropriate adult must be there. This can be you.",
        (true, _) => "An appropriate adult must be there.",
    };
    // Victims' Code 2021: a victim under 18 has enhanced rights; the letter goes to their
    // parent or carer, who can share it with them.
    let child_victim = case.victim.contact().is_some_and(|c| c.under_18);
    let (salutation, parent_note) = if child_victim {
        ("Dear parent or carer,", "We are writing to you as the parent or carer of the child this happened to.")
    } else {
        ("Dear Sir or Madam,", "")
    };
    BTreeMap::from([
        ("victim_salutation", salutation.to_string()),
        ("victim_parent_note", parent_note.to_string()),
        ("caution_adult", caution_adult.to_string()),
        ("child_first_name", first),
        ("child_name", full),
        ("reference", r.reference.clone()),
        ("outcome", outcome),
        ("decided_on", super::task_board::day(snap.decided_on)),
        ("panel_name", panel.panel.name.clone()),
        ("panel_area", panel.panel.area.clone()),
        ("contact", settings.contact.clone()),
        ("reasons", reasons.trim().trim_end_matches('.').to_string()),
        ("local_authority", la.map_or(String::new(), |l| l.local_authority.clone())),
        ("social_worker", la.and_then(|l| l.social_worker.clone()).unwrap_or_else(|| "Social worker".into())),
    ])
}

/// A letter for a recorded decision in a format, and what is over the readability limits; or
/// why there is none (no victim, no social worker, no template for the outcome).
pub fn compose(
    snap: &DecisionSnapshot,
    panel: &PanelDefinition,
    file: &LettersFile,
    to: Recipient,
    format: LetterFormat,
) -> Result<(String, Vec<String>), String> {
    let case = &snap.case;
    if to == Recipient::Victim && !case.victim.has_victim() {
        return Err("the decision records no victim to write to".into());
    }
    // Victims' Code 2021: a victim may opt out of being told.
    if to == Recipient::Victim && case.victim.opted_out() {
        return Err("the victim asked for no further contact: they have opted out of being told (Victims' Code)".into());
    }
    if to == Recipient::SocialWorker && case.referral.child.looked_after.is_none() {
        return Err("the child is not looked after: there is no social worker to notify".into());
    }
    let t = template(file, to, snap.outcome()).ok_or_else(|| {
        format!("no letter to the {} for the outcome {} (add one, or one for \"*\")", to.id(), snap.outcome())
    })?;
    let values = values(snap, panel, &file.settings, to);
    let text = render(t, &values, format);
    let plain = if format == LetterFormat::Txt { text.clone() } else { render(t, &values, LetterFormat::Txt) };
    let over = over_limits(&readability(&plain), &file.settings);
    Ok((text, over))
}

/// A value made safe for the format: no control or bidi characters anywhere (a line break
/// becomes a space); HTML-escaped; in Markdown every character that could start structure is
/// backslash-escaped.
pub fn escape_value(value: &str, format: LetterFormat) -> String {
    let clean: String =
        value.chars().map(|c| if c.is_control() || super::text::is_bidi_control(c) { ' ' } else { c }).collect();
    match format {
        LetterFormat::Txt => clean,
        LetterFormat::Html => html_escape(&clean),
        LetterFormat::Md => {
            let mut out = String::with_capacity(clean.len() + 8);
            for (i, c) in clean.chars().enumerate() {
                // Anywhere: emphasis, code, links, tables, raw HTML. At the start (a value can
                // begin a line): a heading, a list item, a rule or a setext underline.
                let inline = matches!(c, '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '|' | '<' | '>' | '&' | '~');
                let leading = i == 0 && (matches!(c, '#' | '-' | '+' | '=') || c.is_ascii_digit());
                if inline || leading {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    }
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Template text for the format: the area's own words, escaped for HTML (Markdown and text take
/// the template as written: it is the area's markup).
fn own_text(s: &str, format: LetterFormat) -> String {
    if format == LetterFormat::Html { html_escape(s) } else { s.to_string() }
}

/// A line of template text with its placeholders filled (an unknown one is left as written;
/// `jdp check` reports it).
fn fill(line: &str, values: &BTreeMap<&'static str, String>, format: LetterFormat) -> String {
    let mut out = String::new();
    let mut rest = line;
    for (_, name) in placeholders_in(line) {
        let token = format!("{{{name}}}");
        let Some(at) = rest.find(&token) else { continue };
        out.push_str(&own_text(&rest[..at], format));
        match values.get(name.as_str()) {
            Some(v) => out.push_str(&escape_value(v, format)),
            None => out.push_str(&own_text(&token, format)),
        }
        rest = &rest[at + token.len()..];
    }
    out.push_str(&own_text(rest, format));
    out
}

enum Block {
    Heading(String),
    Para(String),
    Bullets(Vec<String>),
}

fn blocks(body: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut bullets: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<Block>, para: &mut Vec<&str>, bullets: &mut Vec<String>| {
        if !para.is_empty() {
            out.push(Block::Para(para.join(" ")));
            para.clear();
        }
        if !bullets.is_empty() {
            out.push(Block::Bullets(std::mem::take(bullets)));
        }
    };
    for line in body.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut out, &mut para, &mut bullets);
        } else if let Some(h) = line.strip_prefix("# ") {
            flush(&mut out, &mut para, &mut bullets);
            out.push(Block::Heading(h.to_string()));
        } else if let Some(b) = line.strip_prefix("- ") {
            if !para.is_empty() {
                out.push(Block::Para(para.join(" ")));
                para.clear();
            }
            bullets.push(b.to_string());
        } else {
            // Easy read: each line (one idea) is a paragraph of its own.
            if !bullets.is_empty() {
                out.push(Block::Bullets(std::mem::take(&mut bullets)));
            }
            out.push(Block::Para(line.to_string()));
        }
    }
    flush(&mut out, &mut para, &mut bullets);
    out
}

/// The letter in the format, with its title.
pub fn render(t: &Template, values: &BTreeMap<&'static str, String>, format: LetterFormat) -> String {
    let f = |s: &str| fill(s, values, format);
    let mut out = String::new();
    let title = f(&t.title);
    match format {
        LetterFormat::Html => {
            out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
            out.push_str(&format!("<title>{title}</title>\n"));
            out.push_str("<style>body{font-family:Arial,sans-serif;font-size:14pt;line-height:1.5;max-width:40em;margin:2em auto}</style>\n</head>\n<body>\n");
            out.push_str(&format!("<h1>{title}</h1>\n"));
        }
        LetterFormat::Md => out.push_str(&format!("# {title}\n\n")),
        LetterFormat::Txt => out.push_str(&format!("{title}\n{}\n\n", "=".repeat(title.chars().count()))),
    }
    for b in blocks(&t.body) {
        match (b, format) {
            (Block::Heading(h), LetterFormat::Html) => out.push_str(&format!("<h2>{}</h2>\n", f(&h))),
            (Block::Heading(h), LetterFormat::Md) => out.push_str(&format!("## {}\n\n", f(&h))),
            (Block::Heading(h), LetterFormat::Txt) => {
                let h = f(&h);
                out.push_str(&format!("{h}\n{}\n\n", "-".repeat(h.chars().count())));
            }
            // A line whose placeholders fill it with nothing is left out.
            (Block::Para(p), _) if fill(&p, values, LetterFormat::Txt).trim().is_empty() => {}
            (Block::Para(p), LetterFormat::Html) => out.push_str(&format!("<p>{}</p>\n", f(&p))),
            (Block::Para(p), _) => out.push_str(&format!("{}\n\n", f(&p))),
            (Block::Bullets(items), format) => {
                let items: Vec<String> =
                    items.into_iter().filter(|i| !fill(i, values, LetterFormat::Txt).trim().is_empty()).collect();
                if items.is_empty() {
                    continue;
                }
                if format == LetterFormat::Html {
                    out.push_str("<ul>\n");
                    for i in items {
                        out.push_str(&format!("<li>{}</li>\n", f(&i)));
                    }
                    out.push_str("</ul>\n");
                } else {
                    for i in items {
                        out.push_str(&format!("- {}\n", f(&i)));
                    }
                    out.push('\n');
                }
            }
        }
    }
    if format == LetterFormat::Html {
        out.push_str("</body>\n</html>\n");
    }
    out
}

/// The sentences of a letter's plain text: a heading, a bullet or a run of text ended by `.`,
/// `!` or `?` is one sentence; each is its words.
fn sentences(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim().trim_start_matches("- ");
        if line.is_empty() || line.chars().all(|c| c == '=' || c == '-') {
            continue;
        }
        let mut current: Vec<String> = Vec::new();
        for word in line.split_whitespace() {
            let ends = word.ends_with(['.', '!', '?']) || word.ends_with(".\"");
            if word.chars().any(char::is_alphanumeric) {
                current.push(word.to_string());
            }
            if ends && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Syllables in a word, by vowel groups (a silent final `e` not counted): the usual estimate
/// for the Flesch reading-ease score.
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word.to_lowercase().chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if w.is_empty() {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut n: usize = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    if w.len() > 2 && w[w.len() - 1] == 'e' && !vowel(w[w.len() - 2]) && w[w.len() - 2] != 'l' {
        n = n.saturating_sub(1);
    }
    n.max(1)
}

/// How easy a letter is to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    pub sentences: usize,
    pub words: usize,
    pub average_words: f64,
    /// The longest sentence: its word count and its text.
    pub longest: (usize, String),
    /// Flesch reading ease (Flesch 1948): higher is easier; 60–70 is plain English.
    pub reading_ease: f64,
    /// Sentences that start with a lower-case letter (a placeholder written for mid-sentence,
    /// such as `{contact}`, put at the start of one).
    pub lower_case_starts: Vec<String>,
}

/// Measures a letter's plain text.
pub fn readability(text: &str) -> Readability {
    let s = sentences(text);
    let words: usize = s.iter().map(Vec::len).sum();
    let syl: usize = s.iter().flatten().map(|w| syllables(w)).sum();
    let n = s.len().max(1) as f64;
    let wn = words.max(1) as f64;
    let longest = s.iter().max_by_key(|x| x.len()).map_or((0, String::new()), |x| (x.len(), x.join(" ")));
    let lower_case_starts = s
        .iter()
        .filter(|x| x.first().and_then(|w| w.chars().find(|c| c.is_alphabetic())).is_some_and(char::is_lowercase))
        .map(|x| x.join(" "))
        .collect();
    Readability {
        lower_case_starts,
        sentences: s.len(),
        words,
        average_words: words as f64 / n,
        longest,
        reading_ease: 206.835 - 1.015 * (wn / n) - 84.6 * (syl as f64 / wn),
    }
}

/// What is over the limits, in words; empty when the letter is within them.
pub fn over_limits(r: &Readability, settings: &LetterSettings) -> Vec<String> {
    let mut out = Vec::new();
    if r.average_words > settings.max_average_words {
        out.push(format!(
            "sentences average {:.1} words (the limit is {})",
            r.average_words, settings.max_average_words
        ));
    }
    for l in &r.lower_case_starts {
        out.push(format!("a sentence starts with a lower-case letter: \"{l}\""));
    }
    if r.longest.0 > settings.max_sentence_words {
        out.push(format!(
            "a sentence has {} words (the limit is {}): \"{}\"",
            r.longest.0, settings.max_sentence_words, r.longest.1
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_with_their_columns() {
        assert_eq!(
            placeholders_in("Dear {child_first_name}, on {x} { not } {Bad}"),
            vec![(6, "child_first_name".to_string()), (29, "x".to_string())]
        );
    }

    #[test]
    fn values_cannot_add_structure_in_any_format() {
        let v = "<script>x</script>\n# Heading [link](http://e) *b*\u{202e}";
        let html = escape_value(v, LetterFormat::Html);
        assert!(!html.contains('<') && !html.contains('\n') && !html.contains('\u{202e}'), "{html}");
        let md = escape_value(v, LetterFormat::Md);
        assert!(md.starts_with("\\<script\\>"), "{md}");
        assert!(md.contains("# Heading \\[link\\](http://e) \\*b\\*"), "{md}");
        assert_eq!(escape_value("# not a heading", LetterFormat::Md), "\\# not a heading");
        assert_eq!(escape_value("1. not a list", LetterFormat::Md), "\\1. not a list");
        assert!(!md.contains('\n'));
        let txt = escape_value("a\u{1b}[31mb\nc", LetterFormat::Txt);
        assert_eq!(txt, "a [31mb c");
    }

    #[test]
    fn readability_counts_sentences_words_and_the_longest() {
        let r = readability("Title\n=====\n\nThe panel met. It decided you will get help!\n- Call us.\n");
        assert_eq!(r.sentences, 4);
        assert_eq!(r.words, 1 + 3 + 6 + 2);
        assert_eq!(r.longest.0, 6);
        assert!((r.average_words - 3.0).abs() < 1e-9);
        // Short words and sentences read easily: Flesch well above 60.
        assert!(r.reading_ease > 60.0, "{}", r.reading_ease);
        let s = LetterSettings { max_average_words: 2.0, max_sentence_words: 5, ..Default::default() };
        assert_eq!(over_limits(&r, &s).len(), 2);
        assert!(over_limits(&r, &LetterSettings::default()).is_empty());
    }

    #[test]
    fn syllables_follow_vowel_groups() {
        for (w, n) in [("the", 1), ("panel", 2), ("caution", 2), ("make", 1), ("table", 2), ("community", 4)] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }
}
