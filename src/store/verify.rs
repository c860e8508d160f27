//! Walking the chain: every record's link, content and position, and the head anchor.

use rusqlite::OptionalExtension;

use super::chain::{self, COLUMNS, GENESIS, Hash};
use super::{Result, Store, StoreError};

/// What verify found: the chain sound (how far it was checked), or the first failure.
pub type Verdict = std::result::Result<VerifyReport, VerifyFailure>;

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
        if self.seq == 0 {
            // Not a record: a guard, the access log, the settings or a signature.
            write!(f, "{} (the {} record(s) of the chain are sound)", self.problem, self.checked)
        } else {
            write!(f, "record {}: {} ({} record(s) before it are sound)", self.seq, self.problem, self.checked)
        }
    }
}

impl Store {
    /// What the chain of records cannot show by itself: the guards that keep the records and
    /// the access log append-only, the referral facts each decision relied on, the access log's
    /// own chain and its end, and the store's settings. `checked` is the number of sound records.
    fn verify_beyond_records(&self, checked: i64) -> Result<std::result::Result<(), VerifyFailure>> {
        let store_fail = |problem: String| Ok(Err(VerifyFailure { seq: 0, problem, checked }));
        // 1. The guards.
        for (name, on) in super::schema::GUARDS {
            let sql: Option<String> = self
                .conn
                .query_row("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1", [name], |r| r.get(0))
                .optional()?;
            let flat = sql.map(|sql| sql.split_whitespace().collect::<Vec<_>>().join(" "));
            let intact = flat.is_some() && flat == super::schema::guard_sql(name);
            if !intact {
                return store_fail(format!(
                    "the guard {name} (which refuses {}) is missing or changed: records or access-log entries could have \
                     been edited without leaving a trace in the hashes' order",
                    on.to_lowercase()
                ));
            }
        }
        // 2. The referral facts each decision relied on (carried, hashed, in the record).
        let bad: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT r.seq, f.reference FROM records r LEFT JOIN referrals f ON f.id = r.referral_id
                 WHERE r.kind = 'decision' AND (f.id IS NULL OR f.reference IS NOT r.reference
                   OR f.referral_date IS NOT r.referral_date OR f.offence_date IS NOT coalesce(r.offence_date, ''))
                 ORDER BY r.seq LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((seq, found)) = bad {
            return Ok(Err(referral_facts_failure(seq, found)));
        }
        // 3. The access log's chain, its end, and the settings of its newest entry.
        let after: i64 = self.meta("access_chained_after")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut stmt = self.conn.prepare(
            "SELECT id, at, actor, action, target, reason, settings, prev_hash, hash FROM access_log
             WHERE id > ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([after])?;
        let mut walk = AccessWalk::after(after);
        while let Some(row) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<String> {
                row.get::<_, Option<String>>(i).map(Option::unwrap_or_default)
            };
            let read = AccessRow {
                id: row.get(0)?,
                text: [text(1)?, text(2)?, text(3)?, text(4)?, text(5)?],
                settings: row.get(6)?,
                prev_hash: row.get(7)?,
                hash: row.get(8)?,
            };
            if let Some(problem) = walk.next(read) {
                return store_fail(problem);
            }
        }
        let anchored = self.meta("access_head")?.unwrap_or_default();
        if let Some(problem) = walk.end(&anchored, || super::access::settings_digest(&self.conn))? {
            return store_fail(problem);
        }
        Ok(Ok(()))
    }
}

/// What either backend says of a record whose index columns no longer match its body.
pub(crate) const INDEX_COLUMNS_CHANGED: &str = "its index columns (panel definition version, restorative justice, \
     assessment date) do not match its record (changed after it was recorded)";
/// A record whose stored link is not the hash of the record before it.
pub(crate) const LINK_BROKEN: &str = "does not link to the record before it (changed, reordered or inserted)";
/// What either backend says of a record whose content no longer hashes to its hash.
pub(crate) const CONTENT_CHANGED: &str = "its content does not match its hash (changed after it was recorded)";

/// What either backend says of the record expected where the chain goes on at `next`.
pub(crate) fn missing(next: i64) -> String {
    format!("is missing (the next record is {next})")
}

/// Where the records walked (ending at `last`, whose hash is `prev`) and the chain's head
/// anchor (`head_seq`, `head_hash`) disagree: the failure (either backend).
pub(crate) fn head_failure(last: i64, prev: &Hash, head_seq: i64, head_hash: &str) -> Option<VerifyFailure> {
    let failure = |seq, problem: String, checked| Some(VerifyFailure { seq, problem, checked });
    if head_seq > last {
        return failure(last + 1, format!("is missing: the chain ends at {last} but its head says {head_seq}"), last);
    }
    if head_seq < last {
        return failure(
            head_seq + 1,
            format!("was added outside jdp: the chain's head is record {head_seq}"),
            head_seq,
        );
    }
    if head_hash != hex::encode(prev) {
        return failure(last, "does not match the chain's head hash".into(), last - 1);
    }
    None
}

/// A decision `seq` whose referral (found under `reference`, or not at all) no longer holds the
/// facts the decision relied on (either backend).
pub(crate) fn referral_facts_failure(seq: i64, reference: Option<String>) -> VerifyFailure {
    let problem = match reference {
        None => "relied on a referral that is no longer in the database".to_string(),
        Some(_) => "relied on referral facts (reference, referral or offence date) that have since been changed in \
                    the referrals table"
            .to_string(),
    };
    VerifyFailure { seq, problem, checked: seq - 1 }
}

/// One access-log entry as either backend reads it.
pub(crate) struct AccessRow {
    pub id: i64,
    /// at, actor, action, target, reason
    pub text: [String; 5],
    pub settings: Option<String>,
    pub prev_hash: Option<Vec<u8>>,
    pub hash: Option<Vec<u8>>,
}

/// The access log's chain walked entry by entry from `access_chained_after` (either backend):
/// each entry's place, link and hash, then its end against the anchor and the settings.
pub(crate) struct AccessWalk {
    prev: Hash,
    last: (i64, Hash, Option<String>),
    expected: i64,
}

impl AccessWalk {
    pub fn after(after: i64) -> Self {
        Self { prev: GENESIS, last: (after, GENESIS, None), expected: after + 1 }
    }

    /// The next entry read; its problem, if it has one.
    pub fn next(&mut self, row: AccessRow) -> Option<String> {
        let id = row.id;
        let entry = |p: &str| format!("access-log entry {id}: {p}");
        if id != self.expected {
            return Some(format!("access-log entry {} is missing (deleted; the next is {id})", self.expected));
        }
        let (Some(settings), Some(stored_prev), Some(stored)) = (row.settings, row.prev_hash, row.hash) else {
            return Some(entry("has lost its hash (rewritten outside jdp)"));
        };
        if stored_prev != self.prev {
            return Some(entry("does not link to the entry before it (an entry was deleted, changed or inserted)"));
        }
        let [at, actor, action, target, reason] = &row.text;
        let fields = super::access::entry_fields(id, at, actor, action, target, reason, &settings);
        let computed = chain::hash_fields(&self.prev, &fields);
        if stored != computed {
            return Some(entry("its content does not match its hash (changed after it was written)"));
        }
        self.prev = computed;
        self.last = (id, computed, Some(settings));
        self.expected += 1;
        None
    }

    /// The log's end against its `anchored` head, and the newest entry's settings against the
    /// store's settings now (read only if there is an entry): the problem, if any.
    pub fn end(self, anchored: &str, settings_now: impl FnOnce() -> Result<String>) -> Result<Option<String>> {
        let (last_id, last_hash, last_settings) = self.last;
        if anchored != format!("{last_id}:{}", hex::encode(last_hash)) {
            let anchored_id: i64 = anchored.split(':').next().and_then(|s| s.parse().ok()).unwrap_or(-1);
            return Ok(Some(if anchored_id > last_id {
                format!("access-log entries {}–{anchored_id} are missing (the log was cut short)", last_id + 1)
            } else {
                format!(
                    "the access log's end does not match its anchor ({anchored}): entries were added or rewritten outside jdp"
                )
            }));
        }
        if let Some(settings) = last_settings
            && settings != settings_now()?
        {
            return Ok(Some(format!(
                "the store's settings (synthetic, training or pseudonym key) were changed outside jdp after access-log entry {last_id}"
            )));
        }
        Ok(None)
    }
}

/// Whether a linked erasure record can vouch for record `seq` whose content no longer hashes to
/// its `stored` hash (either backend): it comes later in the chain, names that hash, and the
/// access log records the erasure. The caller also compares the record's content as it now
/// reads with the digest the erasure carries.
pub(crate) fn vouched(
    link: Option<&(i64, super::retention::LinkedErasure)>,
    seq: i64,
    stored: &[u8],
    logged: bool,
) -> bool {
    link.is_some_and(|(by, link)| *by > seq && link.hash == hex::encode(stored)) && logged
}

/// The digest of a record's content as it reads now, over what its hash covers: its columns,
/// and for format 2 the format columns that follow them in the row (`extra`).
fn content_of(row: &rusqlite::Row, extra: std::ops::Range<usize>) -> rusqlite::Result<String> {
    let mut h = chain::Hasher::new(&GENESIS);
    for i in (0..COLUMNS.len()).chain(extra) {
        if h.add(row.get_ref(i)?).is_err() {
            return Ok(String::new());
        }
    }
    Ok(hex::encode(h.finish()))
}

/// A verified chain against a head written in the minutes, on either backend: it must still pass
/// through that record with that hash (`hash_at` reads a record's stored hash).
pub(crate) fn against_minuted(
    verdict: Verdict,
    expected: &MinutedHead,
    hash_at: impl FnOnce(i64) -> Result<Vec<u8>>,
) -> Result<Verdict> {
    let report = match verdict {
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
    if hex::encode(hash_at(expected.seq)?) != expected.hash {
        return fail("differs from the minuted head: the chain was rewritten from here or before".into());
    }
    Ok(Ok(report))
}

impl Store {
    /// Verifies the chain and that it still passes through a head written in the minutes: a
    /// rollback to an older state, or a rewrite of everything after that point, fails here even
    /// when the rewritten chain is internally consistent.
    pub fn verify_expecting(&self, expected: &MinutedHead) -> Result<Verdict> {
        let verdict = self.verify()?;
        against_minuted(verdict, expected, |seq| {
            Ok(self.conn.query_row("SELECT hash FROM records WHERE seq = ?1", [seq], |r| r.get(0))?)
        })
    }

    pub fn verify(&self) -> Result<Verdict> {
        // Damage anywhere in the file is damage, not only in the records read below.
        self.integrity()?;
        let sql = format!(
            "SELECT {}, prev_hash, hash, format, personal_digest, personal, personal_salt,
                    CASE WHEN kind IS NOT 'decision' OR NOT json_valid(body) THEN 1
                         ELSE {} END
             FROM records ORDER BY seq",
            COLUMNS.join(", "),
            super::schema::INDEX_COLUMNS_FROM_BODY
        );
        let erased_by_log = self.erased_in_log()?;
        let linked = super::retention::linked_erasures(&self.conn)?;
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut expected_seq = 1i64;
        let mut prev: Hash = GENESIS;
        let fail = |seq, problem: String, checked| Ok(Err(VerifyFailure { seq, problem, checked }));
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let checked = expected_seq - 1;
            if seq != expected_seq {
                return fail(expected_seq, missing(seq), checked);
            }
            let stored_prev = row.get_ref(COLUMNS.len())?.as_blob_or_null().ok().flatten().unwrap_or_default();
            if stored_prev != prev {
                return fail(seq, LINK_BROKEN.into(), checked);
            }
            let mut hasher = chain::Hasher::new(&prev);
            for i in 0..COLUMNS.len() {
                if let Err(why) = hasher.add(row.get_ref(i)?) {
                    return fail(seq, format!("holds {why} in {}", COLUMNS[i]), checked);
                }
            }
            let n = COLUMNS.len();
            let format: Option<i64> = row.get(n + 2)?;
            match format {
                None => {}
                Some(chain::FORMAT_PERSONAL_APART) => {
                    let digest: Option<String> = row.get(n + 3)?;
                    let personal: Option<String> = row.get(n + 4)?;
                    let salt: Option<String> = row.get(n + 5)?;
                    for i in n + 2..n + 4 {
                        if let Err(why) = hasher.add(row.get_ref(i)?) {
                            return fail(
                                seq,
                                format!("holds {why} in {}", chain::FORMAT_2_COLUMNS[i - n - 2]),
                                checked,
                            );
                        }
                    }
                    let problem = chain::personal_problem(
                        personal.as_deref().map(str::as_bytes),
                        salt.as_deref().map(str::as_bytes),
                        digest.as_deref().map(str::as_bytes),
                        erased_by_log.contains(&seq),
                    );
                    if let Some(problem) = problem {
                        return fail(seq, problem.into(), checked);
                    }
                }
                Some(other) => return fail(seq, format!("has an unknown record format ({other})"), checked),
            }
            // The reports count decisions by this column: it must say what the hashed body says
            // (a body that is not JSON at all fails its hash below).
            let version_ok: bool = row.get(n + 6)?;
            if !version_ok {
                return fail(seq, INDEX_COLUMNS_CHANGED.into(), checked);
            }
            let mut computed = hasher.finish();
            let stored = row.get_ref(COLUMNS.len() + 1)?.as_blob_or_null().ok().flatten().unwrap_or_default();
            // A record whose hashed content was erased after retention no longer hashes to its
            // hash: a linked erasure record, later in the chain, vouches for it — its hash as it
            // was, and its content as it now reads — and is itself checked in its turn.
            let extra = if format.is_some() { n + 2..n + 4 } else { 0..0 };
            if stored != computed
                && vouched(linked.get(&seq), seq, stored, erased_by_log.contains(&seq))
                && linked[&seq].1.content == content_of(row, extra)?
            {
                computed = stored.try_into().unwrap_or(computed);
            }
            if stored != computed {
                return fail(seq, CONTENT_CHANGED.into(), checked);
            }
            prev = computed;
            expected_seq += 1;
        }
        let last = expected_seq - 1;
        let head_seq: i64 = self.meta("head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(-1);
        let head_hash = self.meta("head_hash")?.unwrap_or_default();
        if let Some(f) = head_failure(last, &prev, head_seq, &head_hash) {
            return Ok(Err(f));
        }
        drop(rows);
        if let Err(f) = self.verify_beyond_records(last)? {
            return Ok(Err(f));
        }
        Ok(Ok(VerifyReport { checked: last, head: head_hash }))
    }

    /// SQLite's own check of every page: a damaged file is said to be damaged (and which
    /// problem came first), wherever the damage is.
    fn integrity(&self) -> Result<()> {
        let path = self.path.as_ref().map_or("the database".to_string(), |p| p.display().to_string());
        let damaged = |detail: String| StoreError::Damaged { path: path.clone(), detail };
        let first: String = match self.conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0)) {
            Ok(s) => s,
            Err(e) => return Err(damaged(e.to_string())),
        };
        if first == "ok" { Ok(()) } else { Err(damaged(first)) }
    }
}
