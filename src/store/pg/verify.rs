//! `jdp verify` on a server: the same walk as the SQLite store's (`store::verify`), over the
//! same canonical bytes, with the same failures in the same words.

use postgres::types::Type;

use super::super::chain::{self, COLUMNS, GENESIS, Hash};
use super::super::records;
use super::super::schema::{newest_statement, words};
use super::super::verify::{
    AccessRow, AccessWalk, CONTENT_CHANGED, INDEX_COLUMNS_CHANGED, LINK_BROKEN, head_failure, missing,
    referral_facts_failure,
};
use super::super::{Result, StoreError, Verdict, VerifyFailure, VerifyReport};
use super::PgStore;

/// The guards `verify` requires, each with what it refuses: (table, trigger, refuses).
const GUARDS: &[(&str, &str, &str)] = &[
    ("records", "records_no_update", "edits of recorded decisions"),
    ("records", "records_no_delete", "deletion of recorded decisions"),
    ("records", "records_no_truncate", "emptying the records"),
    ("access_log", "access_log_no_update", "edits of the access log"),
    ("access_log", "access_log_no_delete", "deletion from the access log"),
    ("access_log", "access_log_no_truncate", "emptying the access log"),
    ("records", "records_by_login", "records in any name but the login's"),
    ("access_log", "access_log_by_login", "access-log entries in any name but the login's"),
    ("records", "records_scrutiny_kinds", "decisions recorded by a scrutiny login"),
    ("signatures", "signatures_no_update", "edits of signed heads"),
    ("signatures", "signatures_no_delete", "removal of signed heads"),
    ("signatures", "signatures_no_truncate", "emptying the signed heads"),
    ("scrutiny_cases", "scrutiny_cases_no_update", "edits of the anonymised cases scrutiny reads"),
    ("scrutiny_cases", "scrutiny_cases_no_delete", "removal of the anonymised cases scrutiny reads"),
    ("scrutiny_cases", "scrutiny_cases_no_truncate", "emptying the anonymised cases scrutiny reads"),
];

/// A guard's trigger as the newest migration that made it did (whitespace made single spaces,
/// no closing semicolon): what the server's own account of it must say.
fn expected_trigger(name: &str) -> Option<String> {
    newest_statement(super::MIGRATIONS.iter().map(|(_, sql)| *sql), &format!("CREATE TRIGGER {name} "), ";")
}

/// Every function jdp's migrations make, with its source as the newest of them wrote it (the
/// text between its `$$`, which the server keeps as written).
fn expected_functions() -> std::collections::BTreeMap<&'static str, &'static str> {
    let mut out = std::collections::BTreeMap::new();
    for (_, sql) in super::MIGRATIONS {
        let mut rest = *sql;
        while let Some(at) = rest.find(" FUNCTION jdp_") {
            let from = &rest[at + " FUNCTION ".len()..];
            let name_end = from.find('(').unwrap_or(0);
            let is_definition = rest[..at].ends_with("CREATE") || rest[..at].ends_with("CREATE OR REPLACE");
            let body = from.find("$$").and_then(|open| {
                let body = &from[open + 2..];
                body.find("$$").map(|close| &body[..close])
            });
            if let (true, Some(body)) = (is_definition, body) {
                out.insert(&from[..name_end], body);
            }
            rest = &from[name_end..];
        }
    }
    out
}

/// Records fetched from the server at a time: with the batches read ahead on both connections,
/// 250 keeps a million-record walk's client at about 25 MB (1,000 held over 60 MB) and takes no
/// longer.
const BATCH: i32 = 250;

impl PgStore {
    pub fn verify(&mut self) -> Result<Verdict> {
        self.verified(None)
    }

    /// Verifies the chain and that it still passes through a head written in the minutes (as
    /// `Store::verify_expecting`, in the same words).
    pub fn verify_expecting(&mut self, expected: &super::super::MinutedHead) -> Result<Verdict> {
        self.verified(Some(expected))
    }

    /// The walk, on one snapshot (the records and the head anchor as of one moment), held to a
    /// minuted head where one is given.
    fn verified(&mut self, expected: Option<&super::super::MinutedHead>) -> Result<Verdict> {
        let Self { client, config, .. } = self;
        let mut tx = super::snapshot(client)?;
        let mut verdict = verify_helped(&mut tx, config)?;
        if let Some(expected) = expected {
            verdict = super::super::verify::against_minuted(verdict, expected, |seq| {
                Ok(tx.query_one("SELECT hash FROM records WHERE seq = $1", &[&seq])?.get(0))
            })?;
        }
        tx.commit()?;
        Ok(verdict)
    }
}

/// `verify_in`, with helpers on the same snapshot for a long chain: a second connection reads
/// the later half, and a third checks the referral facts meanwhile (each connection's server
/// work on a core of its own, none of it waiting for the walk to end). Without them (the server
/// refuses another connection), one connection does it all, as it would anyway.
fn verify_helped(tx: &mut postgres::Transaction, config: &postgres::Config) -> Result<Verdict> {
    let last: i64 = tx.query_one("SELECT coalesce(max(seq), 0) FROM records", &[])?.get(0);
    if last < SPLIT_FROM {
        return verify_in(tx, None, None);
    }
    let Ok(mut second) = super::connect(config) else { return verify_in(tx, None, None) };
    let mut third = super::connect(config).ok();
    let snapshot: String = tx.query_one("SELECT pg_export_snapshot()", &[])?.get(0);
    let mut helper = joined(&mut second, &snapshot)?;
    let mut facts = match third.as_mut() {
        Some(c) => {
            let mut t = joined(c, &snapshot)?;
            // The walk's two connections keep the cores busy: the check's own parallel workers
            // would only take turns with them, at more work in all.
            t.batch_execute("SET LOCAL max_parallel_workers_per_gather = 0")?;
            Some(t)
        }
        None => None,
    };
    verify_in(tx, Some((&mut helper, last / 2)), facts.as_mut())
}

/// A read-only transaction on `c` that sees the snapshot another exported.
fn joined<'c>(c: &'c mut postgres::Client, snapshot: &str) -> Result<postgres::Transaction<'c>> {
    let mut t = super::snapshot(c)?;
    t.batch_execute(&format!("SET TRANSACTION SNAPSHOT '{}'", snapshot.replace('\'', "''")))?;
    Ok(t)
}

/// What one part of the chain (the records one connection reads, in order) came to.
struct Part {
    /// Its first record's number and the hash it says it links to: held to the part before it.
    first: Option<(i64, Vec<u8>)>,
    /// Its last record's number and hash, or the first problem found (record, what is wrong).
    end: std::result::Result<Option<(i64, Hash)>, (i64, String)>,
}

/// The records `filter` selects, in order, walked through a portal on `reader`: read in batches
/// (a million records never sit in memory at once), the next fetched on another thread while
/// this one checks. `start` is the chain's start (the first number and the hash it links to);
/// a later part (None) begins wherever its first record does, which the caller holds to the part
/// before it. `stop` is another part's failure: this one need read no further.
fn walk_part(
    reader: &mut postgres::Transaction,
    filter: (&str, Option<i64>),
    start: Option<(i64, Hash)>,
    erasures: &Erasures,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<Part> {
    use std::sync::atomic::Ordering;
    let sql = format!(
        "SELECT {}, prev_hash, hash, format, personal_digest, personal, personal_salt,
                panel_version, victim_rj, assessed_on
         FROM records WHERE {} ORDER BY seq",
        COLUMNS.join(", "),
        filter.0
    );
    let n = COLUMNS.len();
    let portal = match filter.1 {
        Some(bound) => reader.bind(sql.as_str(), &[&bound])?,
        None => reader.bind(sql.as_str(), &[])?,
    };
    std::thread::scope(|scope| {
        let (send, batches) = std::sync::mpsc::sync_channel::<Result<Vec<postgres::Row>>>(2);
        let portal = &portal;
        scope.spawn(move || {
            loop {
                let rows = reader.query_portal(portal, BATCH).map_err(StoreError::from);
                let more = matches!(&rows, Ok(r) if !r.is_empty());
                // A failure found stops the reading: the receiver is gone.
                if send.send(rows).is_err() || !more {
                    break;
                }
            }
        });
        let mut first = None;
        let mut at = start;
        for rows in batches {
            let rows = rows?;
            if rows.is_empty() || stop.load(Ordering::Relaxed) {
                break;
            }
            for row in &rows {
                let seq: i64 = row.get(0);
                let stored_prev: &[u8] = row.get(n);
                let failed = match at {
                    Some((expected_seq, _)) if seq != expected_seq => Some((expected_seq, missing(seq))),
                    Some((_, prev)) if stored_prev != prev => Some((seq, LINK_BROKEN.into())),
                    Some(_) => None,
                    // A later part's first record: its number and link are the caller's to hold.
                    None => {
                        first = Some((seq, stored_prev.to_vec()));
                        None
                    }
                };
                let failed = failed.or_else(|| match check_row(row, erasures) {
                    RowCheck::Sound(hash) => {
                        at = Some((seq + 1, hash));
                        None
                    }
                    RowCheck::Fails(problem) => Some((seq, problem)),
                });
                if let Some(failed) = failed {
                    return Ok(Part { first, end: Err(failed) });
                }
            }
        }
        Ok(Part { first, end: Ok(at.map(|(next, hash)| (next - 1, hash))) })
    })
}

type Erasures =
    (std::collections::HashSet<i64>, std::collections::HashMap<i64, (i64, super::super::retention::LinkedErasure)>);

/// Chains at least this long are read in two halves at once where a second connection is to
/// hand: each half's server work on a core of its own. Shorter ones are read before two more
/// connections could be made; the length is its own, not a number of batches, so a change of
/// batch size moves nothing else.
const SPLIT_FROM: i64 = 4_000;

/// The walk, inside a transaction of the caller's (`copy` verifies what it wrote before it
/// commits). `split`: a second connection's transaction on the same snapshot, which reads the
/// records after the one given meanwhile; `facts`: a third's, which checks the referral facts
/// meanwhile (else `tx` checks them after the walk). Failures are named in the same order
/// either way: the chain's first, then the guards', the facts' and the access log's.
pub(super) fn verify_in(
    tx: &mut postgres::Transaction,
    split: Option<(&mut postgres::Transaction, i64)>,
    facts: Option<&mut postgres::Transaction>,
) -> Result<Verdict> {
    std::thread::scope(|scope| {
        let facts = facts.map(|t| scope.spawn(move || referral_facts(t)));
        let (last, head) = match walk_chain(tx, split)? {
            Ok(end) => end,
            Err(f) => return Ok(Err(f)),
        };
        let facts = match facts {
            Some(checking) => checking.join().expect("the facts' check does not panic")?,
            None => referral_facts(tx)?,
        };
        if let Err(f) = beyond_records(tx, last, facts)? {
            return Ok(Err(f));
        }
        Ok(Ok(VerifyReport { checked: last, head }))
    })
}

/// The chain's records walked and held to the head anchor: the last record and the head.
fn walk_chain(
    tx: &mut postgres::Transaction,
    split: Option<(&mut postgres::Transaction, i64)>,
) -> Result<std::result::Result<(i64, String), VerifyFailure>> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let erasures = erasures(tx)?;
    let stop = AtomicBool::new(false);
    let start = Some((1, GENESIS));
    let (earlier, later) = match split {
        None => (walk_part(tx, ("true", None), start, &erasures, &stop)?, None),
        Some((helper, mid)) => {
            let (erasures, stop) = (&erasures, &stop);
            std::thread::scope(|scope| {
                let later = scope.spawn(move || walk_part(helper, ("seq > $1", Some(mid)), None, erasures, stop));
                let earlier = walk_part(tx, ("seq <= $1", Some(mid)), start, erasures, stop);
                // The earlier half's failure is the one to name: the later need go no further.
                if !matches!(&earlier, Ok(Part { end: Ok(_), .. })) {
                    stop.store(true, Ordering::Relaxed);
                }
                let later = later.join().expect("a part's walk does not panic");
                Ok::<_, StoreError>((earlier?, Some(later)))
            })?
        }
    };
    let fail = |seq: i64, problem: String| Ok(Err(VerifyFailure { seq, problem, checked: seq - 1 }));
    let (mut last, mut prev) = match earlier.end {
        Err((seq, problem)) => return fail(seq, problem),
        Ok(end) => end.unwrap_or((0, GENESIS)),
    };
    if let Some(later) = later {
        let later = later?;
        // Where the halves meet, as the walk would have held it had one connection read both.
        if let Some((seq, linked_to)) = later.first {
            if seq != last + 1 {
                return fail(last + 1, missing(seq));
            }
            if linked_to != prev {
                return fail(seq, LINK_BROKEN.into());
            }
        }
        match later.end {
            Err((seq, problem)) => return fail(seq, problem),
            Ok(Some(end)) => (last, prev) = end,
            Ok(None) => {}
        }
    }
    let head_seq: i64 = super::meta(tx, "head_seq")?.and_then(|s| s.parse().ok()).unwrap_or(-1);
    let head_hash = super::meta(tx, "head_hash")?.unwrap_or_default();
    if let Some(f) = head_failure(last, &prev, head_seq, &head_hash) {
        return Ok(Err(f));
    }
    Ok(Ok((last, head_hash)))
}

/// The first decision (by record) whose referral facts are no longer what it relied on, and the
/// referral's reference now (None: the referral is gone).
fn referral_facts(tx: &mut postgres::Transaction) -> Result<Option<(i64, Option<String>)>> {
    // The first by min(), not ORDER BY … LIMIT 1: a limit has the server probe the referrals
    // once a decision (a million lookups); a whole answer lets it merge the two in id order.
    let bad = tx.query_opt(
        "WITH first AS (
           SELECT min(r.seq) AS seq FROM records r LEFT JOIN referrals f ON f.id = r.referral_id
           WHERE r.kind = 'decision' AND (f.id IS NULL OR f.reference IS DISTINCT FROM r.reference
             OR f.referral_date IS DISTINCT FROM r.referral_date
             OR f.offence_date IS DISTINCT FROM coalesce(r.offence_date, '')))
         SELECT r.seq, f.reference FROM first JOIN records r ON r.seq = first.seq
           LEFT JOIN referrals f ON f.id = r.referral_id",
        &[],
    )?;
    Ok(bad.map(|row| (row.get(0), row.get(1))))
}

/// The records the access log says were erased after retention, and the linked erasure records
/// by the record each erases (as `Store::erased_in_log` and `retention::linked_erasures`).
fn erasures(tx: &mut postgres::Transaction) -> Result<Erasures> {
    use super::super::retention::{ERASE_ACTION, LinkedErasure, records_in};
    let after: i64 = super::meta(tx, "access_chained_after")?.and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut erased = std::collections::HashSet::new();
    for row in tx.query("SELECT target FROM access_log WHERE id > $1 AND action = $2", &[&after, &ERASE_ACTION])? {
        erased.extend(records_in(row.get(0)));
    }
    let mut linked = std::collections::HashMap::new();
    for row in tx.query("SELECT seq, body FROM records WHERE kind = 'erasure'", &[])? {
        if let Ok(link) = serde_json::from_str::<LinkedErasure>(row.get(1)) {
            linked.insert(link.erases, (row.get::<_, i64>(0), link));
        }
    }
    Ok((erased, linked))
}

/// What one record's own checks found: the hash the next record must link to, or the first
/// problem (its details kept apart, its index columns, its content against its hash).
enum RowCheck {
    Sound(Hash),
    Fails(String),
}

/// The checks of one record that need nothing but its row: its hash is computed from the hash
/// it says it links to, which the walk then holds to the record before it.
fn check_row(row: &postgres::Row, (erased_by_log, linked): &Erasures) -> RowCheck {
    let n = COLUMNS.len();
    let seq: i64 = row.get(0);
    let Ok(linked_to) = <[u8; 32]>::try_from(row.get::<_, &[u8]>(n)) else {
        // The walk names this first: the link is held to the record before it there.
        return RowCheck::Fails(LINK_BROKEN.into());
    };
    let mut hasher = chain::Hasher::new(&linked_to);
    for i in 0..n {
        add(&mut hasher, row, i);
    }
    let format: Option<i64> = row.get(n + 2);
    match format {
        None => {}
        Some(chain::FORMAT_PERSONAL_APART) => {
            add(&mut hasher, row, n + 2);
            add(&mut hasher, row, n + 3);
            // As bytes: the server has checked the text; a million details need no second look.
            let bytes = |i: usize| row.get::<_, Option<TextBytes>>(i).map(|t| t.0);
            let (digest, personal, salt) = (bytes(n + 3), bytes(n + 4), bytes(n + 5));
            if let Some(problem) = chain::personal_problem(personal, salt, digest, erased_by_log.contains(&seq)) {
                return RowCheck::Fails(problem.into());
            }
        }
        Some(other) => return RowCheck::Fails(format!("has an unknown record format ({other})")),
    }
    // The reports count decisions by these columns, of every format: they must say what the
    // hashed body says.
    if row.get::<_, &str>(1) == "decision" && !index_columns_match(row, n) {
        return RowCheck::Fails(INDEX_COLUMNS_CHANGED.into());
    }
    let computed = hasher.finish();
    let stored: &[u8] = row.get(n + 1);
    if stored == computed {
        return RowCheck::Sound(computed);
    }
    // As on the file: a record whose hashed content was erased after retention is vouched for
    // by its linked erasure record, later in the chain — its hash as it was and its content as
    // it now reads — and by the access log.
    let extra = if format.is_some() { n + 2..n + 4 } else { 0..0 };
    if super::super::verify::vouched(linked.get(&seq), seq, stored, erased_by_log.contains(&seq))
        && linked[&seq].1.content == content_of(row, extra)
        && let Ok(hash) = <[u8; 32]>::try_from(stored)
    {
        return RowCheck::Sound(hash);
    }
    RowCheck::Fails(CONTENT_CHANGED.into())
}

/// The digest of a record's canonical bytes as it reads now (`store::verify::content_of`).
fn content_of(row: &postgres::Row, extra: std::ops::Range<usize>) -> String {
    let mut h = chain::Hasher::new(&GENESIS);
    for i in (0..COLUMNS.len()).chain(extra) {
        add(&mut h, row, i);
    }
    hex::encode(h.finish())
}

/// Feeds column `i` of a record row to the hash as SQLite would read it: BIGINT as an integer,
/// TEXT as text, NULL as NULL.
fn add(h: &mut chain::Hasher, row: &postgres::Row, i: usize) {
    use rusqlite::types::ValueRef;
    if *row.columns()[i].type_() == Type::INT8 {
        match row.get::<_, Option<i64>>(i) {
            Some(v) => h.add(ValueRef::Integer(v)),
            None => h.add(ValueRef::Null),
        }
    } else {
        // As bytes: the server has checked the text's encoding, and the hash reads bytes.
        match row.get::<_, Option<TextBytes>>(i) {
            Some(v) => h.add(ValueRef::Text(v.0)),
            None => h.add(ValueRef::Null),
        }
    }
    .expect("integers and text always have canonical bytes");
}

/// Whether a decision's unhashed index columns say what its hashed body says (the file's
/// rule, `records::index_columns_from_body`).
fn index_columns_match(row: &postgres::Row, n: usize) -> bool {
    let Some(want) = records::index_columns_from_body(row.get::<_, TextBytes>(n - 1).0) else {
        // A body that cannot be read fails its hash (or is reported by a reader).
        return true;
    };
    let got: [Option<String>; 3] = [row.get(n + 6), row.get(n + 7), row.get(n + 8)];
    got == want
}

/// The guards, the referral facts each decision relied on (`facts`, checked already), and the
/// access log's chain, its end and the settings of its newest entry.
fn beyond_records(
    tx: &mut postgres::Transaction,
    checked: i64,
    facts: Option<(i64, Option<String>)>,
) -> Result<std::result::Result<(), VerifyFailure>> {
    let store_fail = |problem: String| Ok(Err(VerifyFailure { seq: 0, problem, checked }));
    let functions = expected_functions();
    for (table, name, refuses) in GUARDS {
        let what = match *table {
            "signatures" => "signed heads could have been removed or altered without a trace",
            "scrutiny_cases" => "what scrutiny reads of a decision could have been altered",
            _ => "records or access-log entries could have been edited without leaving a trace in the hashes' order",
        };
        // The trigger as the server describes it, and the source of the function it runs.
        let found = tx.query_opt(
            "SELECT t.tgenabled IN ('O', 'A'), pg_get_triggerdef(t.oid), p.proname::text, p.prosrc
             FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
             WHERE t.tgname = $1 AND t.tgrelid = to_regclass($2)",
            &[name, table],
        )?;
        let Some(row) = found.filter(|r| r.get::<_, bool>(0)) else {
            return store_fail(format!("the guard {name} (which refuses {refuses}) is missing or disabled: {what}"));
        };
        let (def, function, source): (String, String, String) = (row.get(1), row.get(2), row.get(3));
        let def = words(&def).replace(&format!(" ON public.{table} "), &format!(" ON {table} "));
        let same = expected_trigger(name).is_some_and(|want| want == def)
            && functions.get(function.as_str()).is_some_and(|want| *want == source);
        if !same {
            return store_fail(format!(
                "the guard {name} (which refuses {refuses}) is not the one jdp made: its trigger or the function it \
                 runs has been replaced: {what}"
            ));
        }
    }
    // The functions the guards rely on (each other's helpers among them): each defined once,
    // where jdp put it, as jdp wrote it; none shadowed by a namesake elsewhere on the path.
    for (function, want) in &functions {
        let found = tx.query(
            "SELECT n.nspname::text, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE p.proname = $1",
            &[function],
        )?;
        let as_made =
            found.len() == 1 && found[0].get::<_, String>(0) == "public" && found[0].get::<_, String>(1) == *want;
        if !as_made {
            return store_fail(format!(
                "the function {function}, which jdp's guards rely on, is not the one jdp made (replaced, or defined \
                 again elsewhere): records or access-log entries could have been written without its checks"
            ));
        }
    }
    if let Some((seq, reference)) = facts {
        return Ok(Err(referral_facts_failure(seq, reference)));
    }
    let after: i64 = super::meta(tx, "access_chained_after")?.and_then(|s| s.parse().ok()).unwrap_or(0);
    let rows = tx.query(
        "SELECT id, at, actor, action, target, reason, settings, prev_hash, hash FROM access_log WHERE id > $1 ORDER BY id",
        &[&after],
    )?;
    let mut walk = AccessWalk::after(after);
    for row in &rows {
        let read = AccessRow {
            id: row.get(0),
            text: [row.get(1), row.get(2), row.get(3), row.get(4), row.get(5)],
            settings: row.get(6),
            prev_hash: row.get(7),
            hash: row.get(8),
        };
        if let Some(problem) = walk.next(read) {
            return store_fail(problem);
        }
    }
    let anchored = super::meta(tx, "access_head")?.unwrap_or_default();
    if let Some(problem) = walk.end(&anchored, || super::settings_digest(tx))? {
        return store_fail(problem);
    }
    Ok(Ok(()))
}

/// A TEXT column's bytes, not checked again as UTF-8 (the server checked them when they were
/// written): verify hashes a million bodies, and checking each twice is a twentieth of its work.
struct TextBytes<'a>(&'a [u8]);

impl<'a> postgres::types::FromSql<'a> for TextBytes<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(TextBytes(raw))
    }
    fn accepts(ty: &Type) -> bool {
        <&str as postgres::types::FromSql>::accepts(ty)
    }
}
