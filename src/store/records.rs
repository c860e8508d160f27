//! Appending to the chain: decisions and corrections (and, later, samples and reviews). A record
//! is reported as recorded only after its transaction commits.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::chain::{self, COLUMNS, Field, Hash};
use super::{Result, Store, StoreError};
use crate::domain::record::DecisionSnapshot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub seq: i64,
    pub hash: Hash,
}

impl Recorded {
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }
}

pub struct Correction<'a> {
    pub supersedes: i64,
    pub reason: &'a str,
}

/// One stored decision record, as read back.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub seq: i64,
    pub kind: String,
    pub referral_id: Option<i64>,
    pub supersedes: Option<i64>,
    pub correction_reason: Option<String>,
    pub superseded_by: Option<i64>,
    pub recorded_at: String,
    pub recorded_by: String,
    pub snapshot: DecisionSnapshot,
    pub synthetic: bool,
    pub hash: String,
    /// The child's personal details were erased after retention: the snapshot shows
    /// `domain::erasure::ERASED` in their place.
    pub erased: bool,
    /// The age at the offence as recorded (kept when the date of birth is erased).
    pub age_at_offence: Option<i64>,
}

/// The chain's current end, read inside the writing transaction.
pub(crate) fn head(tx: &Transaction) -> Result<(i64, Hash)> {
    let row: Option<(i64, Vec<u8>)> = tx
        .query_row("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        None => (0, chain::GENESIS),
        Some((seq, h)) => {
            (seq, h.try_into().map_err(|_| StoreError::Refused(format!("record {seq} has a malformed hash")))?)
        }
    })
}

fn insert_sql() -> String {
    let cols = COLUMNS.join(", ");
    let marks = (1..=COLUMNS.len() + 2).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    format!("INSERT INTO records ({cols}, prev_hash, hash) VALUES ({marks})")
}

/// Appends one record after `prev`, returning its hash. `fields` must follow `COLUMNS`.
/// Each value is dropped once SQLite has its copy, so a large body is never held three times
/// (ours, the bound copy, and the row SQLite builds from it).
pub(crate) fn append(tx: &Transaction, prev: &Hash, fields: Vec<Field>) -> Result<Hash> {
    debug_assert_eq!(fields.len(), COLUMNS.len());
    let hash = chain::hash_fields(prev, &fields);
    let mut stmt = tx.prepare_cached(&insert_sql())?;
    let n = fields.len();
    for (i, f) in fields.into_iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, &f)?;
    }
    stmt.raw_bind_parameter(n + 1, prev.as_slice())?;
    stmt.raw_bind_parameter(n + 2, hash.as_slice())?;
    stmt.raw_execute()?;
    Ok(hash)
}

/// A decision's personal details, kept apart from its record (format 2): the chain hashes
/// their salted digest, so they can be erased after retention.
pub(crate) struct Personal {
    pub json: String,
    pub salt: String,
    pub digest: String,
}

/// Splits a decision into the body the chain hashes (personal details replaced by the erased
/// text) and its personal details.
pub(crate) fn split_decision(snap: &DecisionSnapshot) -> Result<(String, Personal)> {
    use crate::domain::erasure::{Shape, split};
    let mut doc = serde_json::to_value(snap).map_err(|e| StoreError::Refused(format!("cannot store a record: {e}")))?;
    let personal = serde_json::Value::Object(split(&mut doc, Shape::Record)).to_string();
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Refused(format!("no random source for the salt: {e}")))?;
    let salt = hex::encode(salt);
    let digest = chain::personal_digest(&salt, &personal);
    Ok((doc.to_string(), Personal { json: personal, salt, digest }))
}

/// A decision's index columns outside the chain (unhashed, for the reports), each derived from
/// the decision: `verify` checks them against its hashed body (`schema::INDEX_COLUMNS_FROM_BODY`).
pub(crate) struct IndexColumns<'a> {
    pub panel_version: &'a str,
    pub victim_rj: Option<&'static str>,
    pub assessed_on: Option<String>,
}

impl<'a> IndexColumns<'a> {
    pub fn of(snap: &'a DecisionSnapshot) -> Self {
        IndexColumns {
            panel_version: &snap.panel_version,
            victim_rj: snap.victim_rj(),
            assessed_on: snap.case.needs.assessed_on.map(|d| d.to_string()),
        }
    }
}

/// A decision's index columns as its hashed body says they should read: the rule of
/// `schema::INDEX_COLUMNS_FROM_BODY` (which the file's verify runs in SQL), read from the body
/// alone by the server's verify, with the domain's rule on the victim (`VictimViews::rj_counted`).
/// Only the panel version, the victim and the assessment date are decoded; everything else is
/// skipped, so a million records are checked without building a million decisions. None where
/// the body is not JSON of this shape (its hash says what changed).
pub(crate) fn index_columns_from_body(body: &[u8]) -> Option<[Option<String>; 3]> {
    use crate::domain::referral::VictimViews;
    #[derive(serde::Deserialize)]
    struct Body {
        panel_version: Option<String>,
        case: Option<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        victim: Option<VictimViews>,
        needs: Option<Needs>,
    }
    #[derive(serde::Deserialize)]
    struct Needs {
        assessed_on: Option<String>,
    }
    let b: Body = serde_json::from_slice(body).ok()?;
    let (victim, needs) = b.case.map_or((None, None), |c| (c.victim, c.needs));
    // The domain's rule on the victim as the body holds it (its personal details erased or
    // held apart: the rule reads none of them).
    let victim_rj = victim.and_then(|v| v.rj_counted().map(str::to_string));
    Some([b.panel_version, victim_rj, needs.and_then(|n| n.assessed_on)])
}

/// Appends a format-2 record: `fields` follow `COLUMNS` (the body without personal details),
/// then the format and the personal digest are hashed; the details and salt are stored unhashed,
/// and so are the decision's index columns.
pub(crate) fn append_v2(
    tx: &Transaction,
    prev: &Hash,
    mut fields: Vec<Field>,
    personal: &Personal,
    index: &IndexColumns,
) -> Result<Hash> {
    debug_assert_eq!(fields.len(), COLUMNS.len());
    fields.push(Field::Int(chain::FORMAT_PERSONAL_APART));
    fields.push(Field::Text(personal.digest.clone()));
    let hash = chain::hash_fields(prev, &fields);
    let mut stmt = tx.prepare_cached(&insert_v2_sql())?;
    let n = fields.len();
    // Each value is dropped once SQLite has its copy, as in `append`.
    for (i, f) in fields.into_iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, &f)?;
    }
    stmt.raw_bind_parameter(n + 1, personal.json.as_str())?;
    stmt.raw_bind_parameter(n + 2, personal.salt.as_str())?;
    stmt.raw_bind_parameter(n + 3, prev.as_slice())?;
    stmt.raw_bind_parameter(n + 4, hash.as_slice())?;
    stmt.raw_bind_parameter(n + 5, index.panel_version)?;
    stmt.raw_bind_parameter(n + 6, index.victim_rj)?;
    stmt.raw_bind_parameter(n + 7, index.assessed_on.as_deref())?;
    stmt.raw_execute()?;
    Ok(hash)
}

fn insert_v2_sql() -> String {
    let cols = COLUMNS.iter().chain(chain::FORMAT_2_COLUMNS.iter()).copied().collect::<Vec<_>>().join(", ");
    let n = COLUMNS.len() + chain::FORMAT_2_COLUMNS.len() + 7;
    let marks = (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    format!(
        "INSERT INTO records ({cols}, personal, personal_salt, prev_hash, hash, panel_version, victim_rj, assessed_on)
         VALUES ({marks})"
    )
}

/// A decision as stored: its body with its personal details put back (when not erased).
pub(crate) fn read_snapshot(seq: i64, body: &str, personal: Option<&str>) -> Result<DecisionSnapshot> {
    let bad = |e: serde_json::Error| StoreError::Refused(format!("record {seq} cannot be read: {e}"));
    match personal {
        None => serde_json::from_str(body).map_err(bad),
        Some(p) => {
            let mut doc: serde_json::Value = serde_json::from_str(body).map_err(bad)?;
            let details: serde_json::Map<String, serde_json::Value> = serde_json::from_str(p).map_err(bad)?;
            crate::domain::erasure::merge(&mut doc, &details);
            serde_json::from_value(doc).map_err(bad)
        }
    }
}

pub(crate) fn set_head(tx: &Transaction, seq: i64, hash: &Hash) -> Result<()> {
    let mut stmt = tx.prepare_cached("UPDATE meta SET value = ?2 WHERE key = ?1")?;
    stmt.execute(params!["head_seq", seq.to_string()])?;
    stmt.execute(params!["head_hash", hex::encode(hash)])?;
    Ok(())
}

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The columns of a decision record, in `COLUMNS` order.
pub(crate) fn decision_fields(
    seq: i64,
    referral_id: i64,
    snap: &DecisionSnapshot,
    body: String,
    correction: Option<&Correction>,
    recorded_at: &str,
    recorded_by: &str,
    synthetic: bool,
) -> Vec<Field> {
    let r = &snap.case.referral;
    let date = |d: Option<chrono::NaiveDate>| Field::from(d.map(|d| d.to_string()));
    vec![
        seq.into(),
        "decision".into(),
        referral_id.into(),
        Field::Null,
        Field::from(correction.map(|c| c.supersedes)),
        Field::from(correction.map(|c| c.reason.to_string())),
        recorded_at.into(),
        recorded_by.into(),
        snap.decided_on.to_string().into(),
        r.reference.as_str().into(),
        snap.outcome().into(),
        i64::from(snap.score.base).into(),
        i64::from(snap.score.final_score).into(),
        Field::from(snap.score.indicated.clone()),
        snap.score.departure.into(),
        snap.disagreement().into(),
        snap.inspector_authority().into(),
        r.child.looked_after.is_some().into(),
        Field::from(r.age_at_offence().map(i64::from)),
        serde_json::to_value(r.child.sex).ok().and_then(|v| v.as_str().map(str::to_string)).into(),
        r.child.ethnicity.as_str().into(),
        snap.score.offence.as_str().into(),
        snap.score.group.as_str().into(),
        date(r.offence_date()),
        r.referral_date.to_string().into(),
        snap.victim_status().into(),
        (r.previous_outcomes.len() as i64).into(),
        synthetic.into(),
        body.into(),
    ]
}

/// A record as both backends read it back: the columns `row_to_record` reads, in its order, and
/// the record superseding it (if any). Followed by each query's WHERE.
pub(crate) const RECORD_SELECT: &str =
    "SELECT seq, kind, referral_id, supersedes, correction_reason, recorded_at, recorded_by, body, synthetic, hash,
            (SELECT c.seq FROM records c WHERE c.supersedes = records.seq) AS superseded_by, personal, format,
            age_at_offence
     FROM records";

impl Store {
    /// Records a decision (or a correction of one) for a referral. Returns only after commit.
    pub fn record_decision(
        &mut self,
        referral_id: i64,
        snap: &DecisionSnapshot,
        correction: Option<Correction>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Recorded> {
        let (body, personal) = split_decision(snap)?;
        let kind = super::DraftKind::recorded(correction.is_some());
        let seen = self.seen.borrow().version(kind, referral_id);
        self.write(|tx| {
            let (reference, synthetic): (String, bool) = tx
                .query_row("SELECT reference, synthetic FROM referrals WHERE id = ?1", [referral_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::Refused(format!("no referral with id {referral_id}")))?;
            if reference != snap.case.referral.reference {
                return Err(StoreError::Refused(format!(
                    "the decision is for {} but referral {referral_id} is {reference}",
                    snap.case.referral.reference
                )));
            }
            match &correction {
                Some(c) => check_correction(tx, referral_id, c)?,
                None => refuse_second_decision(tx, referral_id, &reference)?,
            }
            let stored = super::referrals::stored_version(tx, kind, referral_id)?;
            if super::unseen_version(stored.as_ref().map(|s| s.0), seen) {
                return Err(super::draft_changed(referral_id, stored.map(|s| s.1)));
            }
            let (last, prev) = head(tx)?;
            let seq = last + 1;
            let stamp = timestamp(at);
            let fields = decision_fields(seq, referral_id, snap, body, correction.as_ref(), &stamp, by, synthetic);
            let hash = append_v2(tx, &prev, fields, &personal, &IndexColumns::of(snap))?;
            set_head(tx, seq, &hash)?;
            tx.execute("DELETE FROM drafts WHERE referral_id = ?1", [referral_id])?;
            tx.execute("DELETE FROM correction_drafts WHERE referral_id = ?1", [referral_id])?;
            let (action, reason) = match &correction {
                // The reason stays in the record, where erasure can reach it: the access log,
                // which is never erased, holds nothing typed about the child.
                Some(c) => ("correct", format!("supersedes record {}", c.supersedes)),
                None => ("record", "joint decision".to_string()),
            };
            super::access::log_in(tx, &stamp, by, action, &format!("record {seq} ({reference})"), &reason)?;
            Ok(Recorded { seq, hash })
        })
        .and_then(|rec| {
            self.seen.borrow_mut().settled(referral_id);
            self.checkpoint()?;
            Ok(rec)
        })
    }

    /// A decision record by its chain position, with whether a later correction supersedes it.
    pub fn decision(&self, seq: i64) -> Result<Option<RecordRow>> {
        self.conn
            .query_row(&format!("{RECORD_SELECT} WHERE seq = ?1 AND kind = 'decision'"), [seq], row_to_record)
            .optional()?
            .transpose()
    }

    /// Every decision (corrections included) decided within the period, in chain order, one at a
    /// time to `each`: a whole export is never held in memory. Returns how many were passed.
    pub fn each_decision(
        &self,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        mut each: impl FnMut(RecordRow) -> Result<()>,
    ) -> Result<u64> {
        let from = from.map_or("0000-01-01".to_string(), |d| d.to_string());
        let to = to.map_or("9999-12-31".to_string(), |d| d.to_string());
        let mut stmt = self.conn.prepare(&format!(
            "{RECORD_SELECT} WHERE kind = 'decision' AND decided_on BETWEEN ?1 AND ?2 ORDER BY seq"
        ))?;
        let mut rows = stmt.query([from, to])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            each(row_to_record(r)??)?;
            n += 1;
        }
        Ok(n)
    }

    /// Every decision for a referral, oldest first (corrections follow what they supersede).
    pub fn decisions_for(&self, referral_id: i64) -> Result<Vec<RecordRow>> {
        let mut stmt =
            self.conn.prepare(&format!("{RECORD_SELECT} WHERE referral_id = ?1 AND kind = 'decision' ORDER BY seq"))?;
        let rows = stmt.query_map([referral_id], row_to_record)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }
}

/// Inside the writing transaction: a referral has one current decision, and a later one is a
/// correction. Two screens on one database cannot both record a first decision.
fn refuse_second_decision(tx: &Transaction, referral_id: i64, reference: &str) -> Result<()> {
    let existing: Option<i64> = tx.query_row(
        "SELECT max(seq) FROM records WHERE referral_id = ?1 AND kind = 'decision'",
        [referral_id],
        |r| r.get(0),
    )?;
    match existing {
        Some(seq) => Err(StoreError::AlreadyDecided { referral_id, reference: reference.to_string(), seq }),
        None => Ok(()),
    }
}

fn check_correction(tx: &Transaction, referral_id: i64, c: &Correction) -> Result<()> {
    use crate::domain::record::{Superseded, check_correction};
    let target = tx
        .query_row(
            "SELECT referral_id, (SELECT c.seq FROM records c WHERE c.supersedes = records.seq)
             FROM records WHERE seq = ?1 AND kind = 'decision'",
            [c.supersedes],
            |r| Ok(Superseded { referral_id: r.get(0)?, superseded_by: r.get(1)? }),
        )
        .optional()?;
    check_correction(referral_id, c.supersedes, c.reason, target).map_err(StoreError::Refused)
}

fn row_to_record(r: &rusqlite::Row) -> rusqlite::Result<Result<RecordRow>> {
    let body: String = r.get(7)?;
    let hash: Vec<u8> = r.get(9)?;
    let seq: i64 = r.get(0)?;
    let personal: Option<String> = r.get(11)?;
    let format: Option<i64> = r.get(12)?;
    let snapshot = match read_snapshot(seq, &body, personal.as_deref()) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(RecordRow {
        seq,
        kind: r.get(1)?,
        referral_id: r.get(2)?,
        supersedes: r.get(3)?,
        correction_reason: r.get(4)?,
        recorded_at: r.get(5)?,
        recorded_by: r.get(6)?,
        snapshot,
        synthetic: r.get(8)?,
        hash: hex::encode(hash),
        superseded_by: r.get(10)?,
        erased: format == Some(chain::FORMAT_PERSONAL_APART) && personal.is_none(),
        age_at_offence: r.get(13)?,
    }))
}

/// The columns of a record that is not a decision (a sample, a review): the body says it all.
pub(crate) fn plain_fields(
    seq: i64,
    kind: &str,
    body: String,
    recorded_at: &str,
    recorded_by: &str,
    synthetic: bool,
) -> Vec<Field> {
    let mut f = vec![Field::Int(seq), kind.into()];
    f.extend(std::iter::repeat_n(Field::Null, 4));
    f.push(recorded_at.into());
    f.push(recorded_by.into());
    f.extend(std::iter::repeat_n(Field::Null, COLUMNS.len() - 10));
    f.push(synthetic.into());
    f.push(body.into());
    debug_assert_eq!(f.len(), COLUMNS.len());
    f
}

impl Store {
    /// Appends a sample, review or other non-decision record to the chain.
    pub fn append_record(&mut self, kind: &str, body: String, by: &str, at: DateTime<Utc>) -> Result<Recorded> {
        let mut all = self.append_records(kind, vec![body], by, at)?;
        Ok(all.remove(0))
    }

    /// Several records of one kind in one transaction: all of them, or none.
    pub fn append_records(
        &mut self,
        kind: &str,
        bodies: Vec<String>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<Recorded>> {
        let all = self.append_records_after(kind, bodies, by, at, None)?;
        Ok(all.expect("appended whatever the head"))
    }

    /// A record appended only if the chain's head is still record `after` (what the body was
    /// decided from); None, and nothing written, if another writer got there first.
    pub fn append_record_after(
        &mut self,
        kind: &str,
        body: String,
        by: &str,
        at: DateTime<Utc>,
        after: i64,
    ) -> Result<Option<Recorded>> {
        Ok(self.append_records_after(kind, vec![body], by, at, Some(after))?.map(|mut all| all.remove(0)))
    }

    fn append_records_after(
        &mut self,
        kind: &str,
        bodies: Vec<String>,
        by: &str,
        at: DateTime<Utc>,
        after: Option<i64>,
    ) -> Result<Option<Vec<Recorded>>> {
        let synthetic = self.is_synthetic()?;
        self.write(|tx| {
            let (mut last, mut prev) = head(tx)?;
            if after.is_some_and(|a| a != last) {
                return Ok(None);
            }
            let stamp = timestamp(at);
            let mut out = Vec::new();
            for body in bodies {
                let seq = last + 1;
                let hash = append(tx, &prev, plain_fields(seq, kind, body, &stamp, by, synthetic))?;
                super::access::log_in(tx, &stamp, by, kind, &format!("record {seq}"), kind)?;
                (last, prev) = (seq, hash);
                out.push(Recorded { seq, hash });
            }
            set_head(tx, last, &prev)?;
            Ok(Some(out))
        })
        .and_then(|recs| {
            self.checkpoint()?;
            Ok(recs)
        })
    }

    /// Runs `f` on a record's kind and body where SQLite holds them (no copy of the text: a
    /// sample's body can be megabytes); None if there is no record `seq`.
    pub fn with_record_body<T>(&self, seq: i64, f: impl FnOnce(&str, &str) -> T) -> Result<Option<T>> {
        let mut stmt = self.conn.prepare_cached("SELECT kind, body FROM records WHERE seq = ?1")?;
        let mut rows = stmt.query([seq])?;
        let Some(r) = rows.next()? else { return Ok(None) };
        let text = |i: usize| -> Result<&str> {
            r.get_ref(i)?.as_str().map_err(|e| StoreError::Refused(format!("record {seq}: {e}")))
        };
        Ok(Some(f(text(0)?, text(1)?)))
    }

    /// The record numbers of every record of a kind, oldest first (without their bodies).
    pub fn seqs_of(&self, kind: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached("SELECT seq FROM records WHERE kind = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([kind], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every record of a kind, oldest first (samples and reviews are few).
    pub fn bodies_of(&self, kind: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare("SELECT seq, body FROM records WHERE kind = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod index_rule {
    use super::*;
    use rand::SeedableRng;

    /// The server's verify reads a decision's index columns from its body with
    /// `index_columns_from_body`; the file's runs `schema::INDEX_COLUMNS_FROM_BODY` in SQL. For
    /// every kind of demo decision both agree with the decision's own columns.
    #[test]
    fn the_servers_reading_of_the_index_columns_is_the_files_sql_rule() {
        let panel = crate::config::parse_panel("default", crate::config::DEFAULT_PANEL).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let until = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let sqlite = rusqlite::Connection::open_in_memory().unwrap();
        let rule = format!(
            "SELECT {} FROM (SELECT ?1 AS body, ?2 AS panel_version, ?3 AS victim_rj, ?4 AS assessed_on)",
            crate::store::schema::INDEX_COLUMNS_FROM_BODY
        );
        let mut seen = std::collections::HashSet::new();
        for i in 0..300 {
            let mut d = crate::demo::generate(&mut rng, &panel, i, until);
            if i % 7 == 0 {
                d.decision.case.needs.assessed_on = None; // not assessed (the generator always is)
            }
            let (body, _) = split_decision(&d.decision).unwrap();
            let got = index_columns_from_body(body.as_bytes()).expect("a decision's body reads");
            let want = IndexColumns::of(&d.decision);
            assert_eq!(
                got,
                [Some(want.panel_version.to_string()), want.victim_rj.map(str::to_string), want.assessed_on],
                "decision {i}"
            );
            let holds: bool = sqlite.query_row(&rule, params![body, got[0], got[1], got[2]], |r| r.get(0)).unwrap();
            assert!(holds, "the file's rule holds for decision {i}");
            let wrong: bool = sqlite
                .query_row(&rule, params![body, got[0], got[1].as_ref().map_or("restorative", |_| "x"), got[2]], |r| {
                    r.get(0)
                })
                .unwrap();
            assert!(!wrong, "and refuses another restorative justice value, decision {i}");
            seen.insert((got[1].clone(), got[2].is_some()));
        }
        assert!(seen.iter().any(|(rj, _)| rj.is_some()) && seen.iter().any(|(rj, _)| rj.is_none()), "{seen:?}");
        assert!(seen.iter().any(|(_, a)| *a) && seen.iter().any(|(_, a)| !*a), "{seen:?}");
        assert_eq!(index_columns_from_body(b"not json"), None);
    }
}
