//! Signed heads on a server: the same heads, signed with the same key kept outside the database
//! (`crate::signing`), and checked by `jdp verify` in the same words as on a file
//! (`store::signatures`). A signature names no login: the key is the person's.

use ed25519_dalek::VerifyingKey;

use super::super::signatures::{Head, SignatureReport, SignedHead, check_signatures};
use super::super::{Result, VerifyFailure};
use super::PgStore;

impl PgStore {
    /// The current ends of the record chain and the access log, in one statement (one
    /// snapshot: a writer moves both in one transaction).
    pub fn head(&mut self) -> Result<Head> {
        let r = self.client.query_one(
            "SELECT (SELECT value FROM meta WHERE key = 'head_seq'), (SELECT value FROM meta WHERE key = 'head_hash'),
                    (SELECT value FROM meta WHERE key = 'access_head')",
            &[],
        )?;
        Ok(Head {
            seq: r.get::<_, Option<String>>(0).and_then(|s| s.parse().ok()).unwrap_or(0),
            hash: r.get::<_, Option<String>>(1).unwrap_or_default(),
            access_head: r.get::<_, Option<String>>(2).unwrap_or_default(),
        })
    }

    /// Stores a signature made over a head (the login must be one that signs: chair,
    /// scrutiny or admin).
    pub fn add_signature(&mut self, signed: &SignedHead) -> Result<()> {
        self.client.execute(
            "INSERT INTO signatures (head_seq, head_hash, access_head, public_key, signature, signed_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &signed.head.seq,
                &signed.head.hash,
                &signed.head.access_head,
                &signed.public_key,
                &signed.signature,
                &signed.signed_at,
            ],
        )?;
        Ok(())
    }

    pub fn signatures(&mut self) -> Result<Vec<SignedHead>> {
        signatures_in(&mut self.client)
    }

    /// Checks every stored signature made by one of `known` keys, as a file's are, in one
    /// snapshot.
    pub fn verify_signatures(
        &mut self,
        known: &[VerifyingKey],
    ) -> Result<std::result::Result<SignatureReport, VerifyFailure>> {
        let mut tx = super::snapshot(&mut self.client)?;
        let signatures = signatures_in(&mut tx)?;
        let head_seq: i64 = super::meta(&mut tx, "head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let tx = std::cell::RefCell::new(tx);
        let hash = |sql: &str, key: i64| -> Result<Option<Vec<u8>>> {
            Ok(tx.borrow_mut().query_opt(sql, &[&key])?.and_then(|r| r.get(0)))
        };
        let verdict = check_signatures(
            signatures,
            known,
            head_seq,
            |seq| hash("SELECT hash FROM records WHERE seq = $1", seq),
            |id| hash("SELECT hash FROM access_log WHERE id = $1", id),
        )?;
        tx.into_inner().commit()?;
        Ok(verdict)
    }
}

/// Every stored signature, oldest first, read by `c` (the connection, or a snapshot of it).
fn signatures_in(c: &mut impl postgres::GenericClient) -> Result<Vec<SignedHead>> {
    let rows = c.query(
        "SELECT head_seq, head_hash, access_head, public_key, signature, signed_at FROM signatures ORDER BY id",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| SignedHead {
            head: Head { seq: r.get(0), hash: r.get(1), access_head: r.get(2) },
            public_key: r.get(3),
            signature: r.get(4),
            signed_at: r.get(5),
        })
        .collect())
}
