//! Maps between byte spans, key paths (`gravity.offences[3].base_score`) and line:column, using
//! toml's spanned document tree, so every error can name both where it is and what it is.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub struct Document<'i> {
    text: &'i str,
    root: Option<Spanned<DeTable<'i>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn join(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn split(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            out.push(Seg::Key(rest[..open].to_string()));
            rest = &rest[open..];
            while let Some(close) = rest.find(']') {
                if let Ok(i) = rest[1..close].parse() {
                    out.push(Seg::Index(i));
                }
                rest = &rest[close + 1..];
            }
        } else {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

impl<'i> Document<'i> {
    /// Parses for locating only; syntax errors are reported by the deserialiser.
    pub fn new(text: &'i str) -> Self {
        Self { text, root: DeTable::parse(text).ok() }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rfind('\n').map_or(before.chars().count(), |nl| before[nl + 1..].chars().count()) + 1;
        (line, col)
    }

    /// The deepest key path whose key or value covers `offset`.
    pub fn path_at(&self, offset: usize) -> String {
        let Some(root) = &self.root else { return String::new() };
        let mut segs = Vec::new();
        walk_table(root.get_ref(), offset, &mut segs);
        join(&segs)
    }

    /// Where the value at `path` is; falls back to the nearest ancestor that exists. For a
    /// table, its key (the header line) is the more useful place to point at.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let mut best = None;
        let mut cur: Option<&Spanned<DeValue>> = None;
        for seg in split(path) {
            let found = match &seg {
                Seg::Key(k) => {
                    let table = match cur {
                        None => Some(root.get_ref()),
                        Some(v) => match v.get_ref() {
                            DeValue::Table(t) => Some(t),
                            _ => None,
                        },
                    };
                    table.and_then(|t| t.iter().find(|(key, _)| key.get_ref() == k)).map(|(key, v)| {
                        let span = if matches!(v.get_ref(), DeValue::Table(_)) { key.span() } else { v.span() };
                        (span, v)
                    })
                }
                Seg::Index(i) => match cur.map(|v| v.get_ref()) {
                    Some(DeValue::Array(a)) => a.get(*i).map(|v| (v.span(), v)),
                    _ => None,
                },
            };
            let Some((span, v)) = found else { break };
            best = Some(span);
            cur = Some(v);
        }
        best
    }
}

impl Document<'_> {
    /// Calls `f(path, key, value)` for every string value in the document, in file order.
    pub fn visit_strings(&self, f: &mut dyn FnMut(&str, &str, &str)) {
        fn visit(path: &mut String, key: &str, v: &DeValue, f: &mut dyn FnMut(&str, &str, &str)) {
            match v {
                DeValue::String(s) => f(path, key, s),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let len = path.len();
                        path.push_str(&format!("[{i}]"));
                        visit(path, key, item.get_ref(), f);
                        path.truncate(len);
                    }
                }
                DeValue::Table(t) => table(path, t, f),
                _ => {}
            }
        }
        fn table(path: &mut String, t: &DeTable, f: &mut dyn FnMut(&str, &str, &str)) {
            for (k, v) in t.iter() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k.get_ref());
                visit(path, k.get_ref(), v.get_ref(), f);
                path.truncate(len);
            }
        }
        if let Some(root) = &self.root {
            table(&mut String::new(), root.get_ref(), f);
        }
    }
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn walk_table(table: &DeTable, offset: usize, segs: &mut Vec<Seg>) {
    for (key, value) in table.iter() {
        if contains(&key.span(), offset) {
            segs.push(Seg::Key(key.get_ref().to_string()));
            return;
        }
        if contains(&value.span(), offset) || covers_inside(value, offset) {
            segs.push(Seg::Key(key.get_ref().to_string()));
            walk_value(value, offset, segs);
            return;
        }
    }
}

fn walk_value(value: &Spanned<DeValue>, offset: usize, segs: &mut Vec<Seg>) {
    match value.get_ref() {
        DeValue::Table(t) => walk_table(t, offset, segs),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if contains(&item.span(), offset) || covers_inside(item, offset) {
                    segs.push(Seg::Index(i));
                    walk_value(item, offset, segs);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Tables built from `[header]` sections have spans that need not cover their keys, so look inside.
fn covers_inside(value: &Spanned<DeValue>, offset: usize) -> bool {
    match value.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .any(|(k, v)| contains(&k.span(), offset) || contains(&v.span(), offset) || covers_inside(v, offset)),
        DeValue::Array(items) => items.iter().any(|v| contains(&v.span(), offset) || covers_inside(v, offset)),
        _ => false,
    }
}
