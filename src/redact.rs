//! Removing a child's identifiers from text: for pseudonymised exports and for privacy mode on
//! a projected screen. Pure string work.

use crate::domain::referral::Case;

/// Replaces each whole-word, ASCII-case-insensitive occurrence of `needle` in `text`.
pub fn scrub(text: &str, needle: &str, with: &str) -> String {
    if needle.len() < 2 {
        return text.to_string();
    }
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    let word = |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i + n.len() <= t.len() {
        if t[i..i + n.len()].eq_ignore_ascii_case(n)
            && !word(i.checked_sub(1).and_then(|p| t.get(p)))
            && !word(t.get(i + n.len()))
            && text.is_char_boundary(i)
            && text.is_char_boundary(i + n.len())
        {
            out.push_str(&text[last..i]);
            out.push_str(with);
            i += n.len();
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// What to put in place of a child's identifiers in free text.
pub struct Replace<'a> {
    /// For the name, whole or any part of it ("Jordan said…").
    pub name: &'a str,
    /// For the local reference; `None` leaves it (privacy mode shows the reference).
    pub reference: Option<&'a str>,
}

/// Every way a child is identified in the case's text, with its replacement, longest first so a
/// full name goes before its parts. The one list export, privacy mode and scrutiny all use.
pub fn identifiers(case: &Case, with: &Replace) -> Vec<(String, String)> {
    let r = &case.referral;
    let dob = r.child.date_of_birth;
    let mut pairs: Vec<(String, String)> = vec![(r.child.name.clone(), with.name.to_string())];
    pairs.extend(r.child.name.split_whitespace().map(|p| (p.to_string(), with.name.to_string())));
    if let Some(reference) = with.reference {
        pairs.push((r.reference.clone(), reference.to_string()));
    }
    for format in ["%Y-%m-%d", "%d/%m/%Y", "%-d %B %Y"] {
        pairs.push((dob.format(format).to_string(), "[date of birth]".into()));
    }
    pairs.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    pairs
}

/// Replaces each identifier in `text` (whole words, any ASCII case).
pub fn apply(text: &str, pairs: &[(String, String)]) -> String {
    pairs.iter().fold(text.to_string(), |acc, (k, v)| scrub(&acc, k, v))
}

/// The case's free text as it may be shown with privacy mode on: the child's name (whole or in
/// parts) becomes the reference, the date of birth becomes "[date of birth]".
pub fn for_projector(text: &str, case: &Case) -> String {
    apply(text, &identifiers(case, &Replace { name: &case.referral.reference, reference: None }))
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn scrub_whole_words_only_any_ascii_case() {
        assert_eq!(scrub("Jordan and JORDAN met Jordanne", "Jordan", "C-1"), "C-1 and C-1 met Jordanne");
        assert_eq!(scrub("born 2012-05-14.", "2012-05-14", "[dob]"), "born [dob].");
        assert_eq!(scrub("Zoë and ZOë", "Zoë", "C"), "C and C");
        assert_eq!(scrub("a", "a", "b"), "a", "single letters are left alone");
    }
}
