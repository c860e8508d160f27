//! The tamper-evident chain. Each record's hash is SHA-256(previous hash ‖ canonical bytes).
//!
//! Canonical bytes, version 1: for each column of `COLUMNS`, in that order, one type byte then
//! the value — `0x00` NULL; `0x01` integer as 8 bytes big-endian two's complement; `0x02` text as
//! a 4-byte big-endian byte length then the UTF-8 bytes. Column names are not written; the
//! order is the contract. The first record links to 32 zero bytes.
//!
//! Canonical bytes, version 2 (records whose `format` is 2): the version-1 bytes (with `body`
//! holding the record without the child's personal details, see `domain::erasure`), then
//! `format` (integer 2) and `personal_digest` (text), encoded the same way. The personal details
//! themselves and their salt are not hashed: their digest is, so they can be erased after
//! retention while the record's hash still checks.

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];
pub const GENESIS: Hash = [0; 32];

/// Every stored column of a record except the two hashes, in canonical order.
pub const COLUMNS: [&str; 29] = [
    "seq",
    "kind",
    "referral_id",
    "session_id",
    "supersedes",
    "correction_reason",
    "recorded_at",
    "recorded_by",
    "decided_on",
    "reference",
    "outcome",
    "base_score",
    "final_score",
    "indicated",
    "departure",
    "disagreement",
    "inspector",
    "looked_after",
    "age_at_offence",
    "sex",
    "ethnicity",
    "offence",
    "offence_group",
    "offence_date",
    "referral_date",
    "victim_status",
    "previous_count",
    "synthetic",
    "body",
];

/// The record format that keeps personal details apart, hashed by digest.
pub const FORMAT_PERSONAL_APART: i64 = 2;

/// The columns hashed after `COLUMNS` in a format-2 record, in canonical order.
pub const FORMAT_2_COLUMNS: [&str; 2] = ["format", "personal_digest"];

/// The salted digest of a record's personal details (hex): what the chain hashes in their place.
/// The salt (32 random bytes, hex) keeps the digest from confirming a guessed name and date of
/// birth.
pub fn personal_digest(salt: &str, personal: &str) -> String {
    hex::encode(personal_digest_raw(salt.as_bytes(), personal.as_bytes()))
}

fn personal_digest_raw(salt: &[u8], personal: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"jdp personal details v2\0");
    h.update(salt);
    h.update([0]);
    h.update(personal);
    h.finalize().into()
}

/// Whether `digest` (hex, as stored) is the digest of `personal` with `salt`: compared as bytes,
/// as `verify` reads them, with nothing allocated per record.
fn personal_digest_is(salt: &[u8], personal: &[u8], digest: &[u8]) -> bool {
    let mut hex = [0u8; 64];
    hex::encode_to_slice(personal_digest_raw(salt, personal), &mut hex).is_ok() && hex[..] == *digest
}

/// What is wrong with a record's personal details as stored beside it (format 2), for `verify`
/// on either backend: they must match their digest, or be gone with their salt through an
/// erasure the access log records.
pub fn personal_problem(
    personal: Option<&[u8]>,
    salt: Option<&[u8]>,
    digest: Option<&[u8]>,
    erasure_logged: bool,
) -> Option<&'static str> {
    match (personal, salt, digest) {
        (Some(p), Some(s), Some(d)) if personal_digest_is(s, p, d) => None,
        (Some(_), _, _) | (None, Some(_), _) => {
            Some("its personal details do not match their digest (changed after they were recorded)")
        }
        (None, None, _) if !erasure_logged => {
            Some("its personal details were removed, but no erasure of this record is in the access log")
        }
        (None, None, _) => None,
    }
}

/// The content digest (hex) of a record's fields: SHA-256(32 zero bytes ‖ canonical bytes),
/// what a linked erasure record carries of the format-1 record it erased, as that record reads
/// after erasure.
pub fn content_digest(fields: &[Field]) -> String {
    hex::encode(hash_fields(&GENESIS, fields))
}

#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Null,
    Int(i64),
    Text(String),
}

impl From<Option<String>> for Field {
    fn from(v: Option<String>) -> Self {
        v.map_or(Field::Null, Field::Text)
    }
}
impl From<Option<i64>> for Field {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Field::Null, Field::Int)
    }
}
impl From<String> for Field {
    fn from(v: String) -> Self {
        Field::Text(v)
    }
}
impl From<&str> for Field {
    fn from(v: &str) -> Self {
        Field::Text(v.to_string())
    }
}
impl From<i64> for Field {
    fn from(v: i64) -> Self {
        Field::Int(v)
    }
}
impl From<bool> for Field {
    fn from(v: bool) -> Self {
        Field::Int(i64::from(v))
    }
}

impl rusqlite::ToSql for Field {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(match self {
            Field::Null => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Null),
            Field::Int(i) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Field::Text(s) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// Appends one value's canonical bytes. Real and blob values never belong in a hashed column.
pub fn encode(buf: &mut Vec<u8>, value: ValueRef<'_>) -> Result<(), &'static str> {
    canonical(value, |b| buf.extend_from_slice(b))
}

/// Passes one value's canonical bytes to `out`, a piece at a time.
fn canonical(value: ValueRef<'_>, mut out: impl FnMut(&[u8])) -> Result<(), &'static str> {
    match value {
        ValueRef::Null => out(&[0]),
        ValueRef::Integer(i) => {
            out(&[1]);
            out(&i.to_be_bytes());
        }
        ValueRef::Text(t) => {
            let len = u32::try_from(t.len()).map_err(|_| "a text value longer than 4 GiB")?;
            out(&[2]);
            out(&len.to_be_bytes());
            out(t);
        }
        ValueRef::Real(_) => return Err("a real number in a hashed column"),
        ValueRef::Blob(_) => return Err("binary data in a hashed column"),
    }
    Ok(())
}

/// A record's hash, fed one value at a time: the same as `link(prev, canonical bytes)` without
/// holding the canonical bytes (a sample's body can be megabytes).
pub struct Hasher(Sha256);

impl Hasher {
    pub fn new(prev: &Hash) -> Self {
        let mut h = Sha256::new();
        h.update(prev);
        Hasher(h)
    }

    pub fn add(&mut self, value: ValueRef<'_>) -> Result<(), &'static str> {
        canonical(value, |b| self.0.update(b))
    }

    pub fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

pub fn field_ref(f: &Field) -> ValueRef<'_> {
    match f {
        Field::Null => ValueRef::Null,
        Field::Int(i) => ValueRef::Integer(*i),
        Field::Text(s) => ValueRef::Text(s.as_bytes()),
    }
}

pub fn link(prev: &Hash, canonical: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical);
    h.finalize().into()
}

pub fn hash_fields(prev: &Hash, fields: &[Field]) -> Hash {
    let mut h = Hasher::new(prev);
    for f in fields {
        h.add(field_ref(f)).expect("owned fields are never real or blob");
    }
    h.finish()
}
