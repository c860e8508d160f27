//! Removing a child's identifiers from free text, one scrubber for the pseudonymised export, the
//! scrutiny case view and privacy mode. Pure string work.
//!
//! Text is read as a run of *words* (letters and digits; combining marks and zero-width
//! characters inside a word are ignored) and compared *folded*: Unicode lower case with
//! diacritics removed, so "ZOË ØDEGÅRD", "Zoë Ødegård" and "Zoe Odegard" are one name. A name
//! matches as a whole or any part of it; a reference matches whatever separates its parts
//! ("JDP-ADV-0001", "JDP ADV 0001", "jdp/adv/0001", "JDPADV0001"); a date of birth matches in
//! every way people write a date (14/5/2012, 14th May 2012, May 14, 2012, 14.05.2012, 14/05/12,
//! 2012-05-14, 14 May, 14052012 …), including the American month-first order.

use chrono::{Datelike, NaiveDate};

use super::referral::Case;

/// What to put in place of each kind of identifier.
#[derive(Debug, Clone)]
pub struct Replace<'a> {
    /// For the child's name, whole or any part of it, and any name the child is known as.
    pub name: &'a str,
    /// For the local reference; `None` leaves it (privacy mode shows the reference).
    pub reference: Option<&'a str>,
}

/// Replacement for a named adult (officer, appropriate adult, social worker, …).
pub const ADULT: &str = "[name]";
/// Replacement for the date of birth.
pub const DATE_OF_BIRTH: &str = "[date of birth]";

/// Titles and ranks: never identifying on their own, and before a word they mark it as a name.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "pc",
    "dc",
    "ds",
    "di",
    "dci",
    "sgt",
    "insp",
    "inspector",
    "sergeant",
    "constable",
    "detective",
    "officer",
    "acting",
];

/// Little words inside names ("van", "de") or written where a name would go: never on their own.
const PARTICLES: &[&str] =
    &["the", "of", "and", "von", "van", "de", "der", "la", "le", "da", "not", "known", "unknown", "none", "on"];

/// Relationships and roles written where a name would go ("Mother", "Allocated social worker").
/// Some are surnames too ("Sam Worker"): such a part is replaced on its own only where it reads
/// as a name — after a title ("Mr Worker") or capitalised and not after another role word
/// ("told Worker", but not "Social Worker").
const ROLE_WORDS: &[&str] = &[
    "mother",
    "father",
    "mum",
    "dad",
    "parent",
    "parents",
    "carer",
    "guardian",
    "foster",
    "grandmother",
    "grandfather",
    "nan",
    "aunt",
    "uncle",
    "sister",
    "brother",
    "step",
    "social",
    "worker",
    "allocated",
    "youth",
    "team",
    "staff",
    "duty",
    "victim",
    "liaison",
    "case",
    "manager",
    "police",
    "yjs",
    "yot",
    "service",
    "practitioner",
    "call",
    "appropriate",
    "adult",
    "volunteer",
    "council",
];

/// Names that are also ordinary English words ("Tom Young", "PC King", "Rose"): such a part is
/// replaced on its own only where it reads as a name (see [`reads_as_name`]), so "the young
/// person" and "a king-size bed" stay readable. A whole name ("Tom Young") always goes.
const COMMON_WORDS: &[&str] = &[
    "young", "king", "white", "black", "green", "brown", "grey", "gray", "rose", "hope", "bell", "hill", "wood",
    "woods", "little", "long", "short", "may", "june", "april", "page", "cook", "baker", "mason", "miller", "turner",
    "walker", "hunter", "fisher", "price", "wise", "sharp", "strong", "rich", "hall", "park", "lane", "field",
    "fields", "ward", "lamb", "fox", "wolf", "bird", "swan", "crane", "frost", "snow", "day", "knight", "bishop",
    "dean", "banks", "stone", "rivers", "brook", "love", "joy", "grace", "faith", "star", "summer", "winter", "marsh",
    "read", "reading", "best", "good", "noble", "gold", "silver", "lord", "rush", "well", "wells", "north", "south",
    "west", "east", "ash", "bush", "moss", "reed", "house", "land",
];

fn is_title(folded: &str) -> bool {
    HONORIFICS.contains(&folded) || PARTICLES.contains(&folded) || ROLE_WORDS.contains(&folded)
}

/// One identifier: a run of folded words, what replaces it, and whether a one-word entry is
/// also an ordinary word (a role or a common word) that must read as a name to be replaced.
#[derive(Debug, Clone)]
struct Entry {
    seq: Vec<String>,
    with: String,
    ordinary_word: bool,
}

/// A set of identifiers to remove from text, built once per case.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    /// Identifiers, most words first.
    words: Vec<Entry>,
    dob: Option<NaiveDate>,
}

impl Scrubber {
    pub fn new() -> Self {
        Self::default()
    }

    /// A name: the whole; each run of two or more of its parts, as written apart or run
    /// together ("O'Neill-Byrne" is also "ONeill", "O Neill", "NeillByrne"); and each part of
    /// two or more letters on its own (titles and particles aside; role words only where they
    /// read as a name).
    pub fn name(&mut self, name: &str, with: &str) -> &mut Self {
        let ws: Vec<Word> = words(name).into_iter().filter(|w| !w.folded.is_empty()).collect();
        let parts: Vec<String> = ws.iter().map(|w| w.folded.clone()).collect();
        if parts.iter().all(|p| is_title(p)) {
            return self;
        }
        // The name field may add a role after a comma or in brackets ("Jo Bell, victim liaison
        // officer", "Mother (Ms Reid)"): each such segment is a name, or a role, of its own.
        let mut segment = vec![0usize; ws.len()];
        for k in 1..ws.len() {
            let between = &name[ws[k - 1].end..ws[k].start];
            segment[k] = segment[k - 1] + usize::from(between.contains([',', ';', '(', ')', '[', ']', '/', ':']));
        }
        // Runs of parts within a segment, after any leading titles ("PC 4471 Marsh" gives "4471
        // Marsh", not "PC 4471"), holding a name part: as written apart and run together.
        let first = parts.iter().position(|p| !HONORIFICS.contains(&p.as_str())).unwrap_or(0);
        for a in first..parts.len() {
            for b in a + 2..=parts.len() {
                if segment[a] == segment[b - 1] && parts[a..b].iter().any(|p| !is_title(p)) {
                    self.push(parts[a..b].to_vec(), with, false);
                    self.push(vec![parts[a..b].concat()], with, false);
                }
            }
            // A first name run together with a later run of the name, skipping the middle
            // ("AoifeONeill" for "Aoife Mary O'Neill-Byrne").
            for b in a + 2..parts.len() {
                for c in b + 1..=parts.len() {
                    if segment[a] == segment[c - 1] && !is_title(&parts[a]) {
                        self.push(vec![format!("{}{}", parts[a], parts[b..c].concat())], with, false);
                    }
                }
            }
        }
        self.push(parts.clone(), with, false);
        for (k, p) in parts.iter().enumerate() {
            if p.chars().count() < 2 || HONORIFICS.contains(&p.as_str()) || PARTICLES.contains(&p.as_str()) {
                continue;
            }
            if ROLE_WORDS.contains(&p.as_str()) {
                // After a name part in its segment, a role word is a surname ("Sam Worker");
                // opening its segment, it is a role ("Mother (Ms Reid)", ", victim liaison officer").
                if (0..k).any(|q| segment[q] == segment[k] && !is_title(&parts[q])) {
                    self.push(vec![p.clone()], with, true);
                }
            } else {
                self.push(vec![p.clone()], with, COMMON_WORDS.contains(&p.as_str()));
            }
        }
        self
    }

    /// A reference: its parts in order with any separators, or run together.
    pub fn reference(&mut self, reference: &str, with: &str) -> &mut Self {
        let parts: Vec<String> = words(reference).into_iter().map(|w| w.folded).filter(|w| !w.is_empty()).collect();
        if parts.is_empty() {
            return self;
        }
        if parts.len() > 1 {
            self.push(vec![parts.concat()], with, false);
        }
        self.push(parts, with, false);
        self
    }

    /// A date of birth, in any format (replaced by [`DATE_OF_BIRTH`]).
    pub fn date_of_birth(&mut self, dob: NaiveDate) -> &mut Self {
        self.dob = Some(dob);
        self
    }

    fn push(&mut self, seq: Vec<String>, with: &str, ordinary_word: bool) {
        if seq.len() == 1 && seq[0].chars().count() < 2 {
            return;
        }
        if !self.words.iter().any(|e| e.seq == seq) {
            // Kept in order as it grows (most words, then most letters, first; equals in the order
            // they came): a sort on every push made a long name's forty entries cost a sort each.
            let key = |s: &[String]| std::cmp::Reverse((s.len(), s.iter().map(String::len).sum::<usize>()));
            let at = self.words.partition_point(|e| key(&e.seq) <= key(&seq));
            self.words.insert(at, Entry { seq, with: with.to_string(), ordinary_word });
        }
    }

    /// Every identifier of the case: the child's name and "known as" names, the reference
    /// (unless `with.reference` is `None`), the date of birth, and every adult named in the record.
    pub fn for_case(case: &Case, with: &Replace) -> Self {
        let mut s = Self::new();
        let r = &case.referral;
        // A field erased after retention holds the words "erased after retention", not a name:
        // taken for one, those words would be replaced wherever the erasure left them.
        let named = |n: &str| n.trim() != super::erasure::ERASED;
        if named(&r.child.name) {
            s.name(&r.child.name, with.name);
        }
        // A "known as" name stands for the first name: also with the rest of the name after it
        // ("Eefa O'Neill-Byrne", "EefaONeill").
        let rest = r.child.name.split_once(char::is_whitespace).map_or("", |(_, rest)| rest).trim();
        for k in r.child.known_as.iter().filter(|k| named(k)) {
            s.name(k, with.name);
            if named(&r.child.name) && !rest.is_empty() {
                s.name(&format!("{k} {rest}"), with.name);
            }
        }
        if let Some(reference) = with.reference {
            s.reference(&r.reference, reference);
        }
        if r.child.dob_known() {
            s.date_of_birth(r.child.date_of_birth);
        }
        for adult in named_adults(case).into_iter().filter(|a| named(a)) {
            s.name(adult, ADULT);
        }
        s
    }

    /// `text` with every identifier replaced.
    pub fn apply(&self, text: &str) -> String {
        let toks = words(text);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut i = 0;
        while i < toks.len() {
            let mut best: Option<(usize, &str)> = None; // (tokens consumed, replacement)
            if let Some(dob) = self.dob
                && let Some(n) = date_at(text, &toks, i, dob)
            {
                best = Some((n, DATE_OF_BIRTH));
            }
            for e in &self.words {
                if best.is_some_and(|(n, _)| n >= e.seq.len()) {
                    continue;
                }
                if seq_at(text, &toks, i, &e.seq) && (!e.ordinary_word || reads_as_name(text, &toks, i)) {
                    best = Some((e.seq.len(), &e.with));
                }
            }
            match best {
                Some((n, with)) => {
                    out.push_str(&text[last..toks[i].start]);
                    out.push_str(with);
                    last = toks[i + n - 1].end;
                    i += n;
                }
                None => i += 1,
            }
        }
        out.push_str(&text[last..]);
        out
    }
}

/// The adults named in a case, whose names are identifying too.
pub fn named_adults(case: &Case) -> Vec<&str> {
    let r = &case.referral;
    let mut v: Vec<&str> = vec![r.officer_in_case.as_str()];
    v.extend(r.appropriate_adult.as_deref());
    if let Some(la) = &r.child.looked_after {
        v.extend(la.social_worker.as_deref());
    }
    if let super::referral::VictimViews::Contacted(c) = &case.victim {
        v.push(&c.contacted_by);
    }
    v.push(&case.needs.assessor);
    v.extend(case.gravity.inspector.as_ref().map(|i| i.name.as_str()));
    v.extend(case.research.searches.iter().map(|s| s.requested_by.as_str()));
    v.push(&case.decision.authorised_by);
    v.retain(|a| !a.trim().is_empty());
    v
}

/// The case's free text as it may be shown with privacy mode on: the child's name (whole, in
/// parts, or a "known as" name) becomes the reference, the date of birth "[date of birth]",
/// and named adults "[name]". The one function privacy mode calls for any text of the case.
pub fn for_privacy(text: &str, case: &Case) -> String {
    Scrubber::for_privacy(case).apply(text)
}

impl Scrubber {
    /// The projector's scrubber (privacy mode): the reference stands for the child.
    pub fn for_privacy(case: &Case) -> Self {
        Scrubber::for_case(case, &Replace { name: &case.referral.reference, reference: None })
    }
}

/// Who a child is, for keying a pseudonym: the name as read (case, accents and spacing aside)
/// and the date of birth. Two children with one name are two identities; one child's repeat
/// referrals are one.
pub fn identity_key(child: &super::referral::Child) -> String {
    let name: Vec<String> = words(&child.name).into_iter().map(|w| w.folded).collect();
    format!("{}|{}", name.join(" "), child.date_of_birth)
}

/// Folds one word for comparison: lower case, diacritics and zero-width characters removed.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            '\u{0300}'..='\u{036f}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => {}
            'à'..='å' | 'ā' | 'ă' | 'ą' | 'ǎ' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => out.push('c'),
            'ď' | 'đ' | 'ð' => out.push('d'),
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
            'ĥ' | 'ħ' => out.push('h'),
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' => out.push('i'),
            'ĵ' => out.push('j'),
            'ķ' => out.push('k'),
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => out.push('l'),
            'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ŕ' | 'ŗ' | 'ř' => out.push('r'),
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ţ' | 'ť' | 'ŧ' | 'ț' => out.push('t'),
            'þ' => out.push_str("th"),
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' => out.push('u'),
            'ŵ' => out.push('w'),
            'ý' | 'ÿ' | 'ŷ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    folded: String,
}

fn in_word(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{0300}'..='\u{036f}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}')
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (in_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word { start: s, end: i, folded: fold(&text[s..i]) });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word { start: s, end: text.len(), folded: fold(&text[s..]) });
    }
    out.retain(|w| !w.folded.is_empty());
    out
}

/// Whether a name part that is also an ordinary word, at `toks[i]`, is written as a name: after
/// a title ("Mr Worker", "ms worker"), or with a capital ("Worker said", "WORKER", "Young came")
/// where it does not follow a role word or an article ("the Social Worker", "the Worker").
fn reads_as_name(text: &str, toks: &[Word], i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| &toks[p]).filter(|p| joins(&text[p.end..toks[i].start]));
    if prev.is_some_and(|p| HONORIFICS.contains(&p.folded.as_str())) {
        return true;
    }
    let capital = text[toks[i].start..].chars().next().is_some_and(char::is_uppercase);
    let is_role = |w: &Word| ROLE_WORDS.contains(&w.folded.as_str());
    let after_role = prev.is_some_and(|p| is_role(p) || ["the", "a", "an"].contains(&p.folded.as_str()));
    // A role word before another is a role's title ("Case manager", "Youth Worker"), even
    // when someone present has it as a surname.
    let next = toks.get(i + 1).filter(|n| joins(&text[toks[i].end..n.start]));
    let titled = is_role(&toks[i]) && next.is_some_and(is_role);
    capital && !after_role && !titled
}

/// What may stand between the parts of one name or reference: a little space or punctuation.
fn joins(sep: &str) -> bool {
    sep.chars().count() <= 3
        && sep
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '-' | '_' | '/' | '.' | '\'' | '’' | '\u{2010}'..='\u{2015}'))
}

fn seq_at(text: &str, toks: &[Word], i: usize, seq: &[String]) -> bool {
    if i + seq.len() > toks.len() {
        return false;
    }
    seq.iter()
        .enumerate()
        .all(|(k, s)| toks[i + k].folded == *s && (k == 0 || joins(&text[toks[i + k - 1].end..toks[i + k].start])))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let w = if word == "sept" { "sep" } else { word };
    MONTHS.iter().position(|m| m.starts_with(w)).map(|p| p as u32 + 1)
}

/// A day of the month as written: "14", "04", "14th", "1st".
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_matches(word: &str, dob: NaiveDate) -> bool {
    if !word.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match word.len() {
        4 => word.parse::<i32>() == Ok(dob.year()),
        2 => word.parse::<i32>() == Ok(dob.year().rem_euclid(100)),
        _ => false,
    }
}

fn num(word: &str) -> Option<u32> {
    (word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit())).then(|| word.parse().ok()).flatten()
}

/// How many words at `i` spell out `dob`, if they do.
fn date_at(text: &str, toks: &[Word], i: usize, dob: NaiveDate) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.folded.as_str());
    let sep = |k: usize| &text[toks[i + k - 1].end..toks[i + k].start];
    let date_sep = |k: usize| {
        let s = sep(k).trim();
        sep(k).chars().count() <= 3 && (s.is_empty() || matches!(s, "/" | "." | "-" | "," | "\\"))
    };
    let (d, m) = (dob.day(), dob.month());
    let w0 = w(0)?;
    // Numbers: d m y, m d y, y m d.
    if let (Some(a), Some(b), Some(c)) = (w(0), w(1), w(2))
        && date_sep(1)
        && date_sep(2)
    {
        let dm = |x: &str, y: &str| num(x) == Some(d) && num(y) == Some(m);
        if ((dm(a, b) || dm(b, a)) && year_matches(c, dob)) || (a.len() == 4 && year_matches(a, dob) && dm(c, b)) {
            return Some(3);
        }
    }
    // Run together: 14052012, 20120514, 140512.
    if w0.bytes().all(|b| b.is_ascii_digit())
        && (w0 == dob.format("%d%m%Y").to_string()
            || w0 == dob.format("%Y%m%d").to_string()
            || w0 == dob.format("%d%m%y").to_string())
    {
        return Some(1);
    }
    // Words, day first: 14 May 2012, 14th of May, 2012, 4 Mar 12.
    if day(w0) == Some(d) {
        let mut k = 1;
        if w(k) == Some("of") && date_sep(k) {
            k += 1;
        }
        if w(k).and_then(month) == Some(m) && date_sep(k) {
            if w(k + 1).is_some_and(|y| year_matches(y, dob)) && date_sep(k + 1) {
                return Some(k + 2);
            }
            return Some(k + 1);
        }
    }
    // Words, month first: May 14, 2012; May 14th 2012.
    if month(w0) == Some(m) && w(1).and_then(day) == Some(d) && date_sep(1) {
        if w(2).is_some_and(|y| year_matches(y, dob)) && date_sep(2) {
            return Some(3);
        }
        return Some(2);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dob() -> NaiveDate {
        NaiveDate::from_ymd_opt(2012, 5, 14).unwrap()
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("ZOË"), "zoe");
        assert_eq!(fold("ØDEGÅRD"), "odegard");
        assert_eq!(fold("Zoe\u{308}"), "zoe");
        assert_eq!(fold("Jo\u{200b}rdan"), "jordan");
    }

    #[test]
    fn every_written_date_of_birth_is_scrubbed_and_other_dates_are_not() {
        let mut s = Scrubber::new();
        s.date_of_birth(dob());
        for t in [
            "2012-05-14",
            "14/5/2012",
            "14/05/2012",
            "14th May 2012",
            "14 May 2012",
            "May 14, 2012",
            "May 14th 2012",
            "14.05.2012",
            "14-05-2012",
            "14/05/12",
            "5/14/2012",
            "14 of May 2012",
            "14th of May, 2012",
            "14 MAY 2012",
            "14052012",
            "20120514",
            "14 May",
        ] {
            assert_eq!(s.apply(&format!("born {t}.")), "born [date of birth].", "{t}");
        }
        for t in ["15/05/2012", "2013-05-14", "14 June 2012", "May 2012", "14/05/2013", "1405"] {
            assert_eq!(s.apply(t), t, "{t} is not the date of birth");
        }
    }

    #[test]
    fn names_whole_and_in_parts_any_case_and_accent_words_only() {
        let mut s = Scrubber::new();
        s.name("Zoë Ødegård", "C-1").reference("JDP-ADV-0001", "R-1");
        assert_eq!(s.apply("ZOË ØDEGÅRD and Zoe Odegard, zoe."), "C-1 and C-1, C-1.");
        assert_eq!(s.apply("Zoey and Odegards"), "Zoey and Odegards", "whole words only");
        assert_eq!(s.apply("JDP ADV 0001; jdp/adv/0001; JDPADV0001; JDP-ADV-0001"), "R-1; R-1; R-1; R-1");
        assert_eq!(s.apply("JDP-ADV-0002"), "JDP-ADV-0002");
    }

    #[test]
    fn a_name_matches_without_its_punctuation_spaced_or_run_together() {
        let mut s = Scrubber::new();
        s.name("Aoife O'Neill-Byrne", "C");
        for (t, want) in [
            ("ONeill", "C"),
            ("O Neill", "C"),
            ("O'Neill", "C"),
            ("NeillByrne", "C"),
            ("AoifeONeillByrne", "C"),
            ("AoifeONeill", "C"),
            ("AoifeByrne", "C"),
            ("Neill", "C"),
            ("Oneill Byrne", "C C"),
            ("ONEILL-BYRNE", "C-C"),
        ] {
            assert_eq!(s.apply(&format!("saw {t}.")), format!("saw {want}."), "{t}");
        }
        assert_eq!(s.apply("O is a letter; Byrnes and Neills"), "O is a letter; Byrnes and Neills");
    }

    /// A role-word surname ("Sam Case") before another role word is the role's title ("Case
    /// manager"), not the person: the newcomer's anonymised case read "[name] manager".
    #[test]
    fn a_role_word_surname_before_another_role_word_is_a_role_title() {
        let mut s = Scrubber::new();
        s.name("Sam Case", ADULT);
        for (text, want) in [
            ("Case manager: Jo Okafor", "Case manager: Jo Okafor"),
            ("the Case Manager said", "the Case Manager said"),
            ("Case Manager agreed", "Case Manager agreed"),
            ("Case said so", "[name] said so"),
            ("Mr Case manager", "Mr [name] manager"),
            ("Sam Case, manager", "[name], manager"),
        ] {
            assert_eq!(s.apply(text), want, "{text}");
        }
    }

    /// A surname that is also a role word ("Sam Worker") is replaced wherever it is written as a
    /// name — capitalised, or after a title — and left where it is the ordinary word.
    #[test]
    fn a_role_word_surname_is_replaced_where_it_reads_as_a_name() {
        let mut s = Scrubber::new();
        s.name("Sam Worker", ADULT);
        for (text, want) in [
            ("Mr Worker came", "Mr [name] came"),
            ("ms worker came", "ms [name] came"),
            ("told Worker so", "told [name] so"),
            ("Worker said", "[name] said"),
            ("It was. Worker said", "It was. [name] said"),
            ("WORKER said", "[name] said"),
            ("Worker, Sam agrees", "[name], [name] agrees"),
            ("S. Worker agrees", "S. [name] agrees"),
            ("Worker (SW) agrees", "[name] (SW) agrees"),
            ("Worker's view: NFA", "[name]'s view: NFA"),
            ("Per Worker: fine", "Per [name]: fine"),
            ("Sam Worker said", "[name] said"),
            ("the social worker said", "the social worker said"),
            ("the Social Worker said", "the Social Worker said"),
            ("the SOCIAL WORKER said", "the SOCIAL WORKER said"),
            ("the Worker said", "the Worker said"),
            ("told worker so", "told worker so"),
            ("Mr. Worker came", "Mr. [name] came"),
        ] {
            assert_eq!(s.apply(text), want, "{text}");
        }
        // A role word that opens its part of the name is a role, not a surname.
        let mut s = Scrubber::new();
        s.name("Mother (Ms Reid)", ADULT);
        s.name("Jo Bell, victim liaison officer", ADULT);
        assert_eq!(
            s.apply("told Mother; Victim contacted; victim liaison officer"),
            "told Mother; Victim contacted; victim liaison officer"
        );
        assert_eq!(s.apply("Ms Reid and Jo Bell"), "[name] and [name]");
        // A name of role words alone names nobody.
        let mut s = Scrubber::new();
        s.name("Duty Social Worker", ADULT);
        assert_eq!(s.apply("Mr Worker and the Duty Social Worker"), "Mr Worker and the Duty Social Worker");
    }

    /// A name that is also an ordinary word ("Tom Young", "PC 12 King", "Rose") is replaced where
    /// it is written as a name and left where it is the word (tester report 6).
    #[test]
    fn a_name_that_is_an_ordinary_word_is_replaced_where_it_reads_as_a_name() {
        let mut s = Scrubber::new();
        s.name("Tom Young", "C");
        s.name("PC 12 King", ADULT);
        s.name("Rose Tan", ADULT);
        for (text, want) in [
            ("the young person; Tom was young", "the young person; C was young"),
            ("a king-size bed; a rose bush", "a king-size bed; a rose bush"),
            ("Young said; PC King came; Rose agreed", "C said; PC [name] came; [name] agreed"),
            ("YOUNG and KING", "C and [name]"),
            ("Tom Young and tom young", "C and C"),
        ] {
            assert_eq!(s.apply(text), want, "{text}");
        }
    }

    #[test]
    fn titles_alone_are_left() {
        let mut s = Scrubber::new();
        s.name("PC Tom Hale", ADULT);
        assert_eq!(
            s.apply("PC Hale spoke to the PC on duty; Tom agreed."),
            "PC [name] spoke to the PC on duty; [name] agreed."
        );
    }

    /// A single letter is never an identifier on its own (it would blank every "a" and "I"),
    /// but a name that starts with an initial is still matched whole.
    #[test]
    fn a_single_letter_is_left_and_a_name_with_an_initial_goes_whole() {
        let mut s = Scrubber::new();
        s.name("K", "[child]");
        assert_eq!(s.apply("K said plan K was fine"), "K said plan K was fine");
        let mut s = Scrubber::new();
        s.name("J Smith", "[child]");
        assert_eq!(s.apply("J Smith came; J. Smith too"), "[child] came; [child] too");
        // Two letters are enough to be a name part.
        let mut s = Scrubber::new();
        s.name("Jo Li", "[child]");
        assert_eq!(s.apply("Jo and Li"), "[child] and [child]");
    }

    /// Only a little space or punctuation joins the parts of a name or reference: words apart
    /// are replaced one by one, and what stands between them stays.
    #[test]
    fn parts_joined_by_other_separators_are_replaced_one_by_one() {
        let mut s = Scrubber::new();
        s.name("Jordan Reid", "[child]");
        assert_eq!(s.apply("Jordan Reid"), "[child]");
        assert_eq!(s.apply("Jordan; Reid"), "[child]; [child]");
        assert_eq!(s.apply("Jordan -- -- Reid"), "[child] -- -- [child]");
        let mut s = Scrubber::new();
        s.reference("JDP-ADV-0001", "[ref]");
        assert_eq!(s.apply("JDP ADV 0001 and JDP: ADV: 0001"), "[ref] and JDP: ADV: 0001");
    }

    /// Days and numbers in a date are one or two digits: "014" is not the 14th.
    #[test]
    fn days_and_numbers_have_at_most_two_digits() {
        assert_eq!(day("14"), Some(14));
        assert_eq!(day("014"), None);
        assert_eq!(day("014th"), None);
        assert_eq!(day("14xy"), None);
        assert_eq!(day("th"), None);
        assert_eq!(num("05"), Some(5));
        assert_eq!(num("014"), None);
        let mut s = Scrubber::new();
        s.date_of_birth(dob());
        assert_eq!(s.apply("on 014/05/2012 and 14/005/2012"), "on 014/05/2012 and 14/005/2012");
        assert_eq!(s.apply("on 014 May 2012"), "on 014 May 2012");
    }

    /// The year belongs to the date only when a date's separator joins it.
    #[test]
    fn a_year_after_another_separator_is_not_part_of_the_date() {
        let mut s = Scrubber::new();
        s.date_of_birth(dob());
        assert_eq!(s.apply("14 May 2012"), DATE_OF_BIRTH);
        assert_eq!(s.apply("14 May; 2012 was the year"), format!("{DATE_OF_BIRTH}; 2012 was the year"));
        assert_eq!(s.apply("14th of May; 2012"), format!("{DATE_OF_BIRTH}; 2012"));
        // Month first, likewise; and a word after a date with no year is not taken into it.
        assert_eq!(s.apply("May 14; 2012 was the year"), format!("{DATE_OF_BIRTH}; 2012 was the year"));
        assert_eq!(s.apply("May 14 at home"), format!("{DATE_OF_BIRTH} at home"));
        assert_eq!(s.apply("May 14th, 2012"), DATE_OF_BIRTH);
    }
}
