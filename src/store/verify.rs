//! Walking the chain: every record's link, content and position, and the head anchor.

use super::chain::{self, COLUMNS, GENESIS, Hash};
use super::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub checked: i64,
    pub head: String,
}

impl VerifyReport {
    /// The head as `SEQ:HASH`: the exact string to write in the panel's minutes, and to give
    /// back to `jdp verify --expect`.
    pub fn minute(&self) -> String {
        format!("{}:{}", self.checked, self.head)
    }
}

/// A head written in the minutes, `SEQ:HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutedHead {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for MinutedHead {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || format!("\"{s}\" is not a head as jdp verify prints it (SEQ:HASH, e.g. 12:3fa4…)");
        let (seq, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
        let hash = hash.trim().to_ascii_lowercase();
        if seq < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Self { seq, hash })
    }
}

/// The first record that is wrong, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub seq: i64,
    pub problem: String,
    pub checked: i64,
}

impl std::fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record {}: {} ({} record(s) before it are sound)", self.seq, self.problem, self.checked)
    }
}

impl Store {
    /// Verifies the chain and that it still passes through a head written in the minutes: a
    /// rollback to an older state, or a rewrite of everything after that point, fails here even
    /// when the rewritten chain is internally consistent.
    pub fn verify_expecting(&self, expected: &MinutedHead) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        let report = match self.verify()? {
            Ok(r) => r,
            Err(f) => return Ok(Err(f)),
        };
        let fail = |problem: String| {
            Ok(Err(VerifyFailure { seq: expected.seq, problem, checked: report.checked.min(expected.seq - 1).max(0) }))
        };
        if expected.seq == 0 {
            return Ok(Ok(report));
        }
        if expected.seq > report.checked {
            return fail(format!(
                "is missing: the minuted head is record {} but the chain now ends at record {} (rolled back or truncated)",
                expected.seq, report.checked
            ));
        }
        let stored: Vec<u8> =
            self.conn.query_row("SELECT hash FROM records WHERE seq = ?1", [expected.seq], |r| r.get(0))?;
        if hex::encode(stored) != expected.hash {
            return fail("differs from the minuted head: the chain was rewritten from here or before".into());
        }
        Ok(Ok(report))
    }

    pub fn verify(&self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        let sql = format!("SELECT {}, prev_hash, hash FROM records ORDER BY seq", COLUMNS.join(", "));
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut expected_seq = 1i64;
        let mut prev: Hash = GENESIS;
        let mut buf = Vec::with_capacity(4096);
        let fail = |seq, problem: String, checked| Ok(Err(VerifyFailure { seq, problem, checked }));
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let checked = expected_seq - 1;
            if seq != expected_seq {
                return fail(expected_seq, format!("is missing (the next record is {seq})"), checked);
            }
            let stored_prev = row.get_ref(COLUMNS.len())?.as_blob_or_null().ok().flatten().unwrap_or_default();
            if stored_prev != prev {
                return fail(
                    seq,
                    "does not link to the record before it (changed, reordered or inserted)".into(),
                    checked,
                );
            }
            buf.clear();
            for i in 0..COLUMNS.len() {
                if let Err(why) = chain::encode(&mut buf, row.get_ref(i)?) {
                    return fail(seq, format!("holds {why} in {}", COLUMNS[i]), checked);
                }
            }
            let computed = chain::link(&prev, &buf);
            let stored = row.get_ref(COLUMNS.len() + 1)?.as_blob_or_null().ok().flatten().unwrap_or_default();
            if stored != computed {
                return fail(
                    seq,
                    "its content does not match its hash (changed after it was recorded)".into(),
                    checked,
                );
            }
            prev = computed;
            expected_seq += 1;
        }
        let last = expected_seq - 1;
        let head_seq: i64 = self.meta("head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(-1);
        let head_hash = self.meta("head_hash")?.unwrap_or_default();
        if head_seq > last {
            return fail(last + 1, format!("is missing: the chain ends at {last} but its head says {head_seq}"), last);
        }
        if head_seq < last {
            return fail(
                head_seq + 1,
                format!("was added outside jdp: the chain's head is record {head_seq}"),
                head_seq,
            );
        }
        if head_hash != hex::encode(prev) {
            return fail(last, "does not match the chain's head hash".into(), last - 1);
        }
        Ok(Ok(VerifyReport { checked: last, head: head_hash }))
    }
}
