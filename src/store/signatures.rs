//! Signed heads. jdp signs the end of the record chain and of the access log with an Ed25519
//! key kept outside the database (see `crate::signing`); the signatures are stored here. An
//! insider who rewrites records and recomputes every hash cannot make a signature for the new
//! head without the key, and the old signatures no longer match the chain.

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use rusqlite::{OptionalExtension, params};

use super::records::timestamp;
use super::verify::VerifyFailure;
use super::{Result, Store};

/// The two ends a signature covers: the record chain's head and the access log's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    /// `ID:HASH` of the newest access-log entry.
    pub access_head: String,
}

impl Head {
    /// The exact bytes signed.
    pub fn message(&self) -> Vec<u8> {
        format!("jdp signed head v1\n{}:{}\n{}\n", self.seq, self.hash, self.access_head).into_bytes()
    }

    /// `SEQ:HASH`, the string for the minutes (as `jdp verify` prints it).
    pub fn minute(&self) -> String {
        format!("{}:{}", self.seq, self.hash)
    }
}

/// A head with its signature, as stored and as printed after a panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHead {
    pub head: Head,
    /// Hex of the 32-byte Ed25519 public key.
    pub public_key: String,
    /// Hex of the 64-byte signature.
    pub signature: String,
    pub signed_at: String,
}

impl std::fmt::Display for SignedHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "head {} signed {} by key {}",
            self.head.minute(),
            &self.signature[..16.min(self.signature.len())],
            &self.public_key[..16.min(self.public_key.len())]
        )
    }
}

/// What checking the stored signatures found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignatureReport {
    /// Signatures by a known key, valid, over heads the chain still passes through.
    pub checked: usize,
    /// Signatures by keys this jdp does not know (another laptop's): not checked.
    pub unknown_key: usize,
    /// The newest checked signature.
    pub latest: Option<SignedHead>,
}

impl Store {
    /// The current ends of the record chain and the access log, to be signed.
    pub fn head(&self) -> Result<Head> {
        Ok(Head {
            seq: self.meta("head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0),
            hash: self.meta("head_hash")?.unwrap_or_default(),
            access_head: self.meta("access_head")?.unwrap_or_default(),
        })
    }

    /// Stores a signature made over `head` (see `crate::signing::sign_head`).
    pub fn add_signature(&mut self, signed: &SignedHead) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO signatures (head_seq, head_hash, access_head, public_key, signature, signed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    signed.head.seq,
                    signed.head.hash,
                    signed.head.access_head,
                    signed.public_key,
                    signed.signature,
                    signed.signed_at
                ],
            )?;
            Ok(())
        })
    }

    pub fn signatures(&self) -> Result<Vec<SignedHead>> {
        let mut stmt = self.conn.prepare(
            "SELECT head_seq, head_hash, access_head, public_key, signature, signed_at FROM signatures ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SignedHead {
                head: Head { seq: r.get(0)?, hash: r.get(1)?, access_head: r.get(2)? },
                public_key: r.get(3)?,
                signature: r.get(4)?,
                signed_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Checks every stored signature made by one of `known` keys (see [`check_signatures`]).
    pub fn verify_signatures(
        &self,
        known: &[VerifyingKey],
    ) -> Result<std::result::Result<SignatureReport, VerifyFailure>> {
        let head_seq: i64 = self.meta("head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let record = |seq: i64| -> Result<Option<Vec<u8>>> {
            Ok(self.conn.query_row("SELECT hash FROM records WHERE seq = ?1", [seq], |r| r.get(0)).optional()?)
        };
        let access = |id: i64| -> Result<Option<Vec<u8>>> {
            Ok(self
                .conn
                .query_row("SELECT hash FROM access_log WHERE id = ?1", [id], |r| r.get(0))
                .optional()?
                .flatten())
        };
        check_signatures(self.signatures()?, known, head_seq, record, access)
    }
}

/// Checks every signature made by one of `known` keys, on either backend: the signature must be
/// valid and the record chain and access log must still pass through the head it signed
/// (`record` and `access` give the stored hash of a record and of an access-log entry). Run after
/// `verify` has passed, so the chains themselves are sound; `head_seq` is what it checked.
pub fn check_signatures(
    signatures: Vec<SignedHead>,
    known: &[VerifyingKey],
    head_seq: i64,
    mut record: impl FnMut(i64) -> Result<Option<Vec<u8>>>,
    mut access: impl FnMut(i64) -> Result<Option<Vec<u8>>>,
) -> Result<std::result::Result<SignatureReport, VerifyFailure>> {
    let fail = |problem: String| Ok(Err(VerifyFailure { seq: 0, problem, checked: head_seq }));
    let mut report = SignatureReport::default();
    for (i, s) in signatures.into_iter().enumerate() {
        let which = format!("signed head {} ({})", i + 1, s.head.minute());
        let Some(key) = known.iter().find(|k| hex::encode(k.as_bytes()) == s.public_key) else {
            report.unknown_key += 1;
            continue;
        };
        let sig = hex::decode(&s.signature).ok().and_then(|b| Signature::from_slice(&b).ok());
        if sig.is_none_or(|sig| key.verify(&s.head.message(), &sig).is_err()) {
            return fail(format!("{which}: the signature does not match the head it claims (forged or altered)"));
        }
        if s.head.seq > 0 && record(s.head.seq)?.map(hex::encode).as_deref() != Some(s.head.hash.as_str()) {
            return fail(format!(
                "{which}: the chain no longer passes through this signed head (records were rewritten or removed \
                 from record {} back)",
                s.head.seq
            ));
        }
        if let Some((id, hash)) = s.head.access_head.split_once(':')
            && let Ok(id) = id.parse::<i64>()
            && id > 0
            && access(id)?.map(hex::encode).as_deref() != Some(hash)
        {
            return fail(format!(
                "{which}: the access log no longer passes through this signed head (entries were rewritten or \
                 removed from entry {id} back)"
            ));
        }
        report.checked += 1;
        report.latest = Some(s);
    }
    Ok(Ok(report))
}

/// A signed head's `signed_at` stamp.
pub fn stamp(at: DateTime<Utc>) -> String {
    timestamp(at)
}
