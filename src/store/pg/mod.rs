//! The store on a PostgreSQL server (`--db postgres://…`): the same tables, guards and hash
//! chain as the embedded SQLite store, so `jdp verify` means the same on both.
//!
//! What differs, and why:
//! - One writer at a time per chain: every write takes a transaction-scoped advisory lock
//!   (`pg_advisory_xact_lock`) before reading the chain's head, so two workstations recording at
//!   once append one after the other to one chain (SQLite gets the same from `BEGIN IMMEDIATE`).
//! - Identity is the database login (`session_user`): the store writes it as `recorded_by` and
//!   as the access log's actor, and a trigger refuses any other name.
//! - The schema is brought up to date by refinery; a server whose schema is newer than this jdp
//!   knows is refused, as a newer SQLite file is.
//!
//! One server database holds one panel's store (one chain) for now.

mod cases;
mod copy;
mod demo;
mod reading;
mod retention;
mod roles;
mod screen;
mod signatures;
mod verify;

pub use cases::KeptCases;
pub use reading::PgChain;

pub use roles::Role;

use chrono::{DateTime, Utc};
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, GenericClient, NoTls, Transaction};

/// A parsed connection string, and the host it names (for saying which server, never with
/// its password).
pub use postgres::config::{Config, Host};

use super::chain::{self, COLUMNS, Field, Hash};
use super::records::{self, Correction, IndexColumns, RecordRow, Recorded};
use super::{AccessEntry, DraftKind, Result, StoreError, Summary, json};
use crate::domain::record::DecisionSnapshot;
use crate::domain::referral::Referral;

/// The key of the advisory lock every writer holds while it appends to the chains.
const CHAIN_LOCK: i64 = 0x4A44_5021;

/// The migrations, in order: never edit a shipped one, add one.
pub(super) const MIGRATIONS: &[(&str, &str)] = &[
    ("V1__jdp_store", include_str!("schema.sql")),
    ("V2__people_and_roles", include_str!("roles.sql")),
    ("V3__copy_keeps_names", include_str!("copy_guard.sql")),
    ("V4__scrutiny_kinds", include_str!("scrutiny_kinds.sql")),
    ("V5__shared_screens", include_str!("shared_screens.sql")),
    ("V6__scrutiny_reads", include_str!("scrutiny_reads.sql")),
    ("V7__scrutiny_cases", include_str!("scrutiny_cases.sql")),
    ("V8__scrutiny_settings", include_str!("scrutiny_settings.sql")),
    ("V9__figures_index", include_str!("figures_index.sql")),
    ("V10__signatures_guard", include_str!("signatures_guard.sql")),
    ("V11__records_erasure", include_str!("records_erasure.sql")),
    ("V12__records_lz4", include_str!("records_lz4.sql")),
    ("V13__correction_versions", include_str!("correction_versions.sql")),
    ("V14__scrutiny_months", include_str!("scrutiny_months.sql")),
    ("V15__signatures_unread", include_str!("signatures_unread.sql")),
];

/// The schema version this jdp brings a server database to.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Whether `db` names a server (`postgres://` or `postgresql://`) rather than a file.
pub fn is_server_url(db: &str) -> bool {
    let lower = db.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A server's error, in words: the server's own message when it sent one. A connection lost
/// (closed, an I/O failure, the server shutting down) is `Unreachable`: nothing was written.
pub(crate) fn server_error(e: postgres::Error) -> StoreError {
    let lost = e.is_closed()
        || match e.code() {
            Some(c) => c.code().starts_with("08") || c.code().starts_with("57P"),
            None => std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()),
        };
    if lost {
        let detail = e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_string());
        return StoreError::Unreachable(detail);
    }
    match e.as_db_error() {
        // The server's grants, not jdp, decide what a role may do: say so in words.
        Some(db) if *db.code() == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
            StoreError::NotPermitted(db.message().to_string())
        }
        Some(db) => StoreError::Server(db.message().to_string()),
        None => StoreError::Server(e.to_string()),
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        server_error(e)
    }
}

/// A chain field as a PostgreSQL parameter: integers as BIGINT, text as TEXT, NULL as NULL.
#[derive(Debug)]
pub(crate) struct PgField<'a>(pub &'a Field);

impl ToSql for PgField<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Field::Null => Ok(IsNull::Yes),
            Field::Int(i) => i.to_sql(ty, out),
            Field::Text(s) => s.as_str().to_sql(ty, out),
        }
    }
    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty) || <&str as ToSql>::accepts(ty)
    }
    to_sql_checked!();
}

pub struct PgStore {
    client: Client,
    /// The database login: who every record and access-log entry names.
    user: String,
    /// The versions this workstation last read or saved, as `Store`'s.
    seen: super::Seen,
    /// How to connect again after the connection is lost (held in memory only, never shown).
    config: postgres::Config,
    /// The panel definition decisions are recorded under (`use_panel`), for their anonymised
    /// cases; jdp's built-in one where none is named.
    panel: Option<crate::domain::PanelDefinition>,
    /// The task board's inputs as read at the chain's head `.0`: records are only ever
    /// appended, each moving the head, so a board is read again only when the chain has grown.
    task_inputs: Option<(i64, crate::store::backend::TaskInputs)>,
    /// Statements prepared on this connection (see `Prepared`).
    prepared: Prepared,
}

/// Statements prepared once per connection, by name: each unprepared statement is two round
/// trips to the server, and a writer's round trips under the chains' lock are what limit how
/// many decisions several desks record at once.
#[derive(Default)]
struct Prepared(std::collections::HashMap<&'static str, postgres::Statement>);

impl Prepared {
    fn get(
        &mut self,
        c: &mut impl GenericClient,
        name: &'static str,
        sql: impl FnOnce() -> String,
    ) -> Result<postgres::Statement> {
        if let Some(s) = self.0.get(name) {
            return Ok(s.clone());
        }
        let s = c.prepare(&sql())?;
        self.0.insert(name, s.clone());
        Ok(s)
    }
}

/// Takes the chains' lock for the rest of the transaction: writers append one at a time.
fn lock_chains(tx: &mut Transaction, prepared: &mut Prepared) -> Result<()> {
    let lock = prepared.get(tx, "lock", || "SELECT pg_advisory_xact_lock($1)".into())?;
    tx.execute(&lock, &[&CHAIN_LOCK])?;
    Ok(())
}

fn hash_of(seq: i64, bytes: Vec<u8>) -> Result<Hash> {
    bytes.try_into().map_err(|_| StoreError::Refused(format!("record {seq} has a malformed hash")))
}

impl PgStore {
    /// Connects to the server named by `url` and brings its schema up to date (refusing a newer
    /// one).
    pub fn open(url: &str) -> Result<Self> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Refused(format!("not a PostgreSQL connection string jdp can use: {e}")))?;
        Self::open_config(config)
    }

    /// Another panel's store on the same server, as the same login (a force-wide report reads
    /// each panel's database in turn).
    pub fn other_panel(&self, database: &str) -> Result<Self> {
        let mut config = self.config.clone();
        config.dbname(database);
        Self::open_config(config)
    }

    fn open_config(config: postgres::Config) -> Result<Self> {
        let mut client = connect(&config)?;
        migrate(&mut client)?;
        let user: String = client.query_one("SELECT session_user::text", &[])?.get(0);
        Ok(Self {
            client,
            user,
            seen: Default::default(),
            config,
            panel: None,
            task_inputs: None,
            prepared: Prepared::default(),
        })
    }

    /// Connects again if the connection was lost (the server restarted, the network came back);
    /// `Unreachable` while it still cannot be reached. The drafts this workstation has seen are
    /// remembered across it.
    pub fn reconnect(&mut self) -> Result<()> {
        if !self.client.is_closed() {
            return Ok(());
        }
        self.client = connect(&self.config).map_err(|e| match e {
            StoreError::Server(m) => StoreError::Unreachable(m),
            other => other,
        })?;
        // Statements belong to the connection that prepared them.
        self.prepared = Prepared::default();
        Ok(())
    }

    /// The database login this store writes as.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The panel's database, and its server where that is another machine (never the password
    /// or the rest of the connection string).
    pub fn place(&self) -> String {
        let db = self.config.get_dbname().unwrap_or(&self.user);
        match self.config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) if host != "localhost" => format!("{db} on {host}"),
            _ => db.to_string(),
        }
    }

    /// Runs `f` in a transaction holding the chains' lock: writers append one at a time.
    fn write<T>(&mut self, f: impl FnOnce(&mut Transaction) -> Result<T>) -> Result<T> {
        let mut tx = self.client.transaction()?;
        lock_chains(&mut tx, &mut self.prepared)?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// After a bulk load (demo data, a copy), the store at rest at once rather than when
    /// autovacuum next looks: the report's and sampling's index-only reads (migration 9) need
    /// the new rows marked visible to all, and the planner their statistics. Only the tables'
    /// owner may; for anyone else the server skips it with a warning. The load is committed
    /// already, so the outcome changes nothing written.
    fn at_rest(&mut self) {
        let _ = self.client.batch_execute("VACUUM (ANALYZE) records, referrals, scrutiny_cases");
    }

    pub fn meta(&mut self, key: &str) -> Result<Option<String>> {
        meta(&mut self.client, key)
    }

    pub fn is_synthetic(&mut self) -> Result<bool> {
        Ok(self.meta("synthetic")?.as_deref() == Some("1"))
    }

    /// In one round trip: the queue reads it at every page.
    pub fn summary(&mut self) -> Result<Summary> {
        let r = self.client.query_one(
            "SELECT (SELECT count(*) FROM referrals), (SELECT count(*) FROM drafts),
                    (SELECT value FROM meta WHERE key = 'head_seq'), (SELECT value FROM meta WHERE key = 'synthetic'),
                    (SELECT value FROM meta WHERE key = 'head_hash')",
            &[],
        )?;
        Ok(Summary {
            referrals: r.get(0),
            in_progress: r.get(1),
            records: r.get::<_, Option<String>>(2).and_then(|s| s.parse().ok()).unwrap_or(0),
            synthetic: r.get::<_, Option<String>>(3).as_deref() == Some("1"),
            head_hash: r.get::<_, Option<String>>(4).unwrap_or_default(),
        })
    }

    /// References from `refs` already in the store (case and spaces aside), each with the
    /// reference as stored.
    pub fn existing_references(&mut self, refs: &[&str]) -> Result<Vec<(String, String)>> {
        let stmt = self.client.prepare("SELECT reference FROM referrals WHERE reference_key = $1 LIMIT 1")?;
        let mut out = Vec::new();
        for r in refs {
            let key = crate::domain::referral::reference_key(r);
            if let Some(row) = self.client.query_opt(&stmt, &[&key])? {
                out.push((r.to_string(), row.get(0)));
            }
        }
        Ok(out)
    }

    /// Adds referrals all or nothing; returns their ids in order.
    pub fn add_referrals(&mut self, referrals: &[Referral], at: DateTime<Utc>) -> Result<Vec<i64>> {
        let stamp = records::timestamp(at);
        let by = self.user.clone();
        self.write(|tx| {
            if !referrals.is_empty() {
                claim_kind(tx, false, &by, &stamp)?;
            }
            let mut ids = Vec::with_capacity(referrals.len());
            for r in referrals {
                let c = super::referrals::ReferralColumns::of(r);
                if tx.query_opt("SELECT 1 FROM referrals WHERE reference_key = $1", &[&c.key])?.is_some() {
                    return Err(StoreError::Refused(format!(
                        "referral {} is already in the store (as a reference differing only by case or spaces)",
                        r.reference
                    )));
                }
                let row = tx.query_one(
                    "INSERT INTO referrals (reference, age_at_offence, offence, offence_date, referral_date, synthetic,
                                            body, added_at, reference_key)
                     VALUES ($1, $2, $3, $4, $5, false, $6, $7, $8) RETURNING id",
                    &[
                        &r.reference,
                        &c.age_at_offence,
                        &c.offence,
                        &c.offence_date,
                        &c.referral_date,
                        &json(r)?,
                        &stamp,
                        &c.key,
                    ],
                )?;
                ids.push(row.get(0));
            }
            log_in(tx, &stamp, &by, "import", &format!("{} referral(s)", ids.len()), "import")?;
            Ok(ids)
        })
    }

    pub fn referral_id(&mut self, reference: &str) -> Result<Option<i64>> {
        Ok(self.client.query_opt("SELECT id FROM referrals WHERE reference = $1", &[&reference])?.map(|r| r.get(0)))
    }

    /// Records a decision (or a correction of one) for a referral, as the database login.
    /// Returns only after the transaction commits.
    pub fn record_decision(
        &mut self,
        referral_id: i64,
        snap: &DecisionSnapshot,
        correction: Option<Correction>,
        at: DateTime<Utc>,
    ) -> Result<Recorded> {
        let split = records::split_decision(snap)?;
        let by = self.user.clone();
        let stamp = records::timestamp(at);
        // Everything that depends on neither the chain's head nor who wrote last is done before
        // the writers' lock: a correction's original (a record never changes; whether it has been
        // corrected since is checked under the lock) and what a scrutiny login will read of the
        // decision, kept in the record's own transaction.
        let panel = self.anonymising_panel()?;
        let original = match &correction {
            Some(c) => decision_in(&mut self.client, c.supersedes)?,
            None => None,
        };
        let why_and_original = correction.as_ref().zip(original.as_ref()).map(|(c, o)| (c.reason, &o.snapshot));
        let scrutiny_case = json(&crate::domain::case_view::anonymised(snap, why_and_original, &panel))?;
        // Under the lock, two round trips: one read of all it needs, one statement for all it writes.
        let Self { client, prepared, .. } = self;
        let mut tx = client.transaction()?;
        lock_chains(&mut tx, prepared)?;
        let read = prepared.get(&mut tx, "decision_read", || DECISION_READ.into())?;
        let r = tx.query_one(&read, &[&referral_id, &correction.as_ref().map(|c| c.supersedes)])?;
        let (reference, synthetic): (String, bool) = match r.get::<_, Option<String>>(0) {
            Some(reference) => (reference, r.get(1)),
            None => return Err(StoreError::Refused(format!("no referral with id {referral_id}"))),
        };
        if reference != snap.case.referral.reference {
            return Err(StoreError::Refused(format!(
                "the decision is for {} but referral {referral_id} is {reference}",
                snap.case.referral.reference
            )));
        }
        match &correction {
            Some(c) => {
                let target = original
                    .as_ref()
                    .map(|o| crate::domain::record::Superseded { referral_id: o.referral_id, superseded_by: r.get(3) });
                crate::domain::record::check_correction(referral_id, c.supersedes, c.reason, target)
                    .map_err(StoreError::Refused)?;
            }
            None => {
                if let Some(seq) = r.get::<_, Option<i64>>(2) {
                    return Err(StoreError::AlreadyDecided { referral_id, reference, seq });
                }
            }
        }
        let kind = DraftKind::recorded(correction.is_some());
        let stored = r.get(if correction.is_some() { 10 } else { 9 });
        if super::unseen_version(stored, self.seen.version(kind, referral_id)) {
            return Err(draft_changed(&mut tx, kind, referral_id)?);
        }
        let (last, prev) = match r.get::<_, Option<i64>>(4) {
            None => (0, chain::GENESIS),
            Some(seq) => (seq, hash_of(seq, r.get(5))?),
        };
        let seq = last + 1;
        let row = DecisionRow::new(&prev, seq, referral_id, (snap, split), correction.as_ref(), &stamp, &by, synthetic);
        let hash = row.hash;
        let (action, reason) = match &correction {
            Some(c) => ("correct", format!("supersedes record {}", c.supersedes)),
            None => ("record", "joint decision".to_string()),
        };
        let target = format!("record {seq} ({reference})");
        let entry = LogEntry::after(r.get(6), r.get(7), r.get(8), [&stamp, &by, action, &target, &reason]);
        let write = prepared.get(&mut tx, "decision_write", decision_write)?;
        let (head_seq, head_hash, access_head) = (seq.to_string(), hex::encode(hash), entry.head());
        let (entry_prev, entry_hash) = (entry.prev.to_vec(), entry.hash.to_vec());
        row.with_params(|params| {
            let mut all = params.to_vec();
            all.extend([
                &seq as &(dyn ToSql + Sync),
                &scrutiny_case,
                &referral_id,
                &entry.id,
                &stamp,
                &by,
                &action,
                &target,
                &reason,
                &entry.settings,
                &entry_prev,
                &entry_hash,
                &head_seq,
                &head_hash,
                &access_head,
            ]);
            tx.execute(&write, &all)
        })?;
        tx.commit()?;
        self.seen.settled(referral_id);
        Ok(Recorded { seq, hash })
    }

    /// Appends a sample, rating, review or other non-decision record to the chain, as the login.
    pub fn append_record(&mut self, kind: &str, body: String, at: DateTime<Utc>) -> Result<Recorded> {
        let mut all = self.append_records(kind, vec![body], at)?;
        Ok(all.remove(0))
    }

    /// Several records of one kind in one transaction: all of them, or none (as
    /// `Store::append_records`).
    pub fn append_records(&mut self, kind: &str, bodies: Vec<String>, at: DateTime<Utc>) -> Result<Vec<Recorded>> {
        let all = self.append_records_after(kind, bodies, at, None)?;
        Ok(all.expect("appended whatever the head"))
    }

    /// As `Store::append_record_after`: appended only if the chain's head is still `after`.
    pub fn append_record_after(
        &mut self,
        kind: &str,
        body: String,
        at: DateTime<Utc>,
        after: i64,
    ) -> Result<Option<Recorded>> {
        Ok(self.append_records_after(kind, vec![body], at, Some(after))?.map(|mut all| all.remove(0)))
    }

    fn append_records_after(
        &mut self,
        kind: &str,
        bodies: Vec<String>,
        at: DateTime<Utc>,
        after: Option<i64>,
    ) -> Result<Option<Vec<Recorded>>> {
        let synthetic = self.is_synthetic()?;
        let by = self.user.clone();
        self.write(|tx| {
            let (mut last, mut prev) = head(tx)?;
            if after.is_some_and(|a| a != last) {
                return Ok(None);
            }
            let stamp = records::timestamp(at);
            let mut out = Vec::with_capacity(bodies.len());
            let insert = tx.prepare(&plain_insert())?;
            for body in bodies {
                let seq = last + 1;
                let fields = records::plain_fields(seq, kind, body, &stamp, &by, synthetic);
                let hash = append_plain(tx, &insert, &prev, &fields)?;
                log_in(tx, &stamp, &by, kind, &format!("record {seq}"), kind)?;
                (last, prev) = (seq, hash);
                out.push(Recorded { seq, hash });
            }
            set_head(tx, last, &prev)?;
            Ok(Some(out))
        })
    }

    /// Saves the sitting for its date (one per date, under the writers' lock; saving again
    /// replaces the attendance), as `Store::save_session`.
    pub fn save_session(
        &mut self,
        s: &crate::domain::referral::PanelSession,
        held_on: chrono::NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let stamp = records::timestamp(at);
        let day = held_on.to_string();
        let (members, apologies, observers) = (json(&s.members)?, json(&s.apologies)?, json(&s.observers)?);
        let chair = s.chair.trim();
        self.write(|tx| {
            let existing: Option<i64> =
                tx.query_opt("SELECT id FROM panel_sessions WHERE held_on = $1", &[&day])?.map(|r| r.get(0));
            Ok(match existing {
                Some(id) => {
                    tx.execute(
                        "UPDATE panel_sessions SET members = $2, apologies = $3, observers = $4, chair = $5 WHERE id = $1",
                        &[&id, &members, &apologies, &observers, &chair],
                    )?;
                    id
                }
                None => tx
                    .query_one(
                        "INSERT INTO panel_sessions (held_on, members, apologies, observers, created_at, chair)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        &[&day, &members, &apologies, &observers, &stamp, &chair],
                    )?
                    .get(0),
            })
        })
    }

    pub fn session_on(&mut self, held_on: chrono::NaiveDate) -> Result<Option<crate::domain::referral::PanelSession>> {
        let row = self.client.query_opt(
            "SELECT members, apologies, observers, chair FROM panel_sessions WHERE held_on = $1",
            &[&held_on.to_string()],
        )?;
        let bad = |e: serde_json::Error| StoreError::Refused(format!("the panel session cannot be read: {e}"));
        row.map(|r| {
            Ok(crate::domain::referral::PanelSession {
                held_on: Some(held_on),
                chair: r.get(3),
                members: serde_json::from_str(r.get(0)).map_err(bad)?,
                apologies: serde_json::from_str(r.get(1)).map_err(bad)?,
                observers: serde_json::from_str(r.get(2)).map_err(bad)?,
            })
        })
        .transpose()
    }

    /// A decision record by its chain position, with whether a later correction supersedes it.
    pub fn decision(&mut self, seq: i64) -> Result<Option<RecordRow>> {
        decision_in(&mut self.client, seq)
    }

    /// Every decision for a referral, oldest first.
    pub fn decisions_for(&mut self, referral_id: i64) -> Result<Vec<RecordRow>> {
        let sql = format!("{RECORD_SELECT} WHERE referral_id = $1 AND kind = 'decision' ORDER BY records.seq");
        self.client.query(sql.as_str(), &[&referral_id])?.iter().map(row_to_record).collect()
    }

    /// Saves a draft only if the stored one is still version `expected` (`None`: there was no
    /// draft), in one statement, so two workstations saving at once never overwrite each other:
    /// the later is refused with `DraftChanged`. Returns the new version.
    pub fn save_draft_if(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &crate::domain::referral::Case,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let body = json(case)?;
        let stamp = records::timestamp(at);
        let version = expected.unwrap_or(0) + 1;
        let saved = match expected {
            // A decided referral takes no draft (decided meanwhile by another desk).
            None => self.client.execute(
                "INSERT INTO drafts (referral_id, step, body, saved_at, version)
                 SELECT $1, $2, $3, $4, 1
                 WHERE NOT EXISTS (SELECT 1 FROM records WHERE referral_id = $1 AND kind = 'decision')
                 ON CONFLICT (referral_id) DO NOTHING",
                &[&referral_id, &step, &body, &stamp],
            )?,
            Some(v) => self.client.execute(
                "UPDATE drafts SET step = $2, body = $3, saved_at = $4, version = $5
                 WHERE referral_id = $1 AND version = $6",
                &[&referral_id, &step, &body, &stamp, &version, &v],
            )?,
        };
        if saved == 1 {
            self.seen.saw(DraftKind::Case, referral_id, Some(version));
            return Ok(version);
        }
        let decided = self.client.query_opt(
            "SELECT r.seq, f.reference FROM records r JOIN referrals f ON f.id = r.referral_id
             WHERE r.referral_id = $1 AND r.kind = 'decision' ORDER BY r.seq LIMIT 1",
            &[&referral_id],
        )?;
        if let Some(r) = decided {
            return Err(StoreError::DecidedMeanwhile { referral_id, reference: r.get(1), seq: r.get(0) });
        }
        Err(draft_changed(&mut self.client, DraftKind::Case, referral_id)?)
    }

    pub fn draft(&mut self, referral_id: i64) -> Result<Option<super::Draft>> {
        let row = self.client.query_opt(
            "SELECT step, body, saved_at, version, saved_by FROM drafts WHERE referral_id = $1",
            &[&referral_id],
        )?;
        let Some(r) = row else {
            self.seen.saw(DraftKind::Case, referral_id, None);
            return Ok(None);
        };
        let body: String = r.get(1);
        let case =
            serde_json::from_str(&body).map_err(|e| StoreError::Refused(format!("the draft cannot be read: {e}")))?;
        let d = super::Draft { step: r.get(0), case, saved_at: r.get(2), version: r.get(3), saved_by: r.get(4) };
        self.seen.saw(DraftKind::Case, referral_id, Some(d.version));
        Ok(Some(d))
    }

    /// Writes an access-log entry and runs `f` (the disclosure: an export) in one transaction,
    /// reading through that transaction: no entry, no disclosure; a failed disclosure takes its
    /// entry with it.
    pub fn disclose<T>(
        &mut self,
        action: &str,
        target: &str,
        reason: &str,
        at: DateTime<Utc>,
        f: impl FnOnce(&mut dyn super::DecisionSource) -> Result<T>,
    ) -> Result<T> {
        let stamp = records::timestamp(at);
        let by = self.user.clone();
        self.write(|tx| {
            log_in(tx, &stamp, &by, action, target, reason)?;
            f(&mut Reader(tx))
        })
    }

    pub fn log_access(&mut self, action: &str, target: &str, reason: &str, at: DateTime<Utc>) -> Result<()> {
        let stamp = records::timestamp(at);
        let by = self.user.clone();
        self.write(|tx| log_in(tx, &stamp, &by, action, target, reason))
    }

    /// The newest entries first.
    pub fn access_log(&mut self, limit: i64) -> Result<Vec<AccessEntry>> {
        let rows = self
            .client
            .query("SELECT at, actor, action, target, reason FROM access_log ORDER BY id DESC LIMIT $1", &[&limit])?;
        Ok(rows
            .iter()
            .map(|r| AccessEntry {
                at: r.get(0),
                actor: r.get(1),
                action: r.get(2),
                target: r.get(3),
                reason: r.get(4),
            })
            .collect())
    }
}

/// Reads decisions inside a transaction (a disclosure's).
struct Reader<'t, 'a>(&'t mut Transaction<'a>);

impl super::DecisionSource for Reader<'_, '_> {
    fn pseudonym_key(&mut self) -> Result<Option<String>> {
        meta(self.0, "pseudonym_key")
    }
    fn each_decision(
        &mut self,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        each: &mut dyn FnMut(RecordRow) -> Result<()>,
    ) -> Result<u64> {
        use postgres::fallible_iterator::FallibleIterator;
        let from = from.map_or("0000-01-01".to_string(), |d| d.to_string());
        let to = to.map_or("9999-12-31".to_string(), |d| d.to_string());
        let sql =
            format!("{RECORD_SELECT} WHERE kind = 'decision' AND decided_on BETWEEN $1 AND $2 ORDER BY records.seq");
        // Row by row from the server: a whole export is never held in memory.
        let mut rows = self.0.query_raw(sql.as_str(), [&from as &(dyn ToSql + Sync), &to])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            each(row_to_record(&row)?)?;
            n += 1;
        }
        Ok(n)
    }
}

use records::RECORD_SELECT;

/// The decision record `seq` (None: not a decision), read by `c` (the store's connection, or a
/// transaction of its).
fn decision_in(c: &mut impl GenericClient, seq: i64) -> Result<Option<RecordRow>> {
    let sql = format!("{RECORD_SELECT} WHERE seq = $1 AND kind = 'decision'");
    c.query_opt(sql.as_str(), &[&seq])?.map(|r| row_to_record(&r)).transpose()
}

fn row_to_record(r: &postgres::Row) -> Result<RecordRow> {
    let seq: i64 = r.get(0);
    let body: String = r.get(7);
    let personal: Option<String> = r.get(11);
    let format: Option<i64> = r.get(12);
    let snapshot = records::read_snapshot(seq, &body, personal.as_deref())?;
    Ok(RecordRow {
        seq,
        kind: r.get(1),
        referral_id: r.get(2),
        supersedes: r.get(3),
        correction_reason: r.get(4),
        recorded_at: r.get(5),
        recorded_by: r.get(6),
        snapshot,
        synthetic: r.get::<_, i64>(8) != 0,
        hash: hex::encode(r.get::<_, Vec<u8>>(9)),
        superseded_by: r.get(10),
        erased: format == Some(chain::FORMAT_PERSONAL_APART) && personal.is_none(),
        age_at_offence: r.get(13),
    })
}

/// A decision record as the server stores it: the chained fields of format 2 (the body without
/// personal details, then the format and the personal digest, as `records::append_v2` hashes
/// them on a file), then the personal details, the links and the index columns beside them.
struct DecisionRow {
    fields: Vec<Field>,
    personal: records::Personal,
    prev: Vec<u8>,
    hash: Hash,
    panel_version: String,
    victim_rj: Option<&'static str>,
    assessed_on: Option<String>,
}

impl DecisionRow {
    #[allow(clippy::too_many_arguments)]
    /// `split` is `records::split_decision(snap)`, made by the caller (before the writers' lock
    /// where it can be: it depends on neither the chain's head nor the record's place).
    fn new(
        prev: &Hash,
        seq: i64,
        referral_id: i64,
        (snap, (body, personal)): (&DecisionSnapshot, (String, records::Personal)),
        correction: Option<&Correction>,
        stamp: &str,
        by: &str,
        synthetic: bool,
    ) -> Self {
        let mut fields = records::decision_fields(seq, referral_id, snap, body, correction, stamp, by, synthetic);
        fields.push(Field::Int(chain::FORMAT_PERSONAL_APART));
        fields.push(Field::Text(personal.digest.clone()));
        let hash = chain::hash_fields(prev, &fields);
        let index = IndexColumns::of(snap);
        DecisionRow {
            fields,
            personal,
            prev: prev.to_vec(),
            hash,
            panel_version: index.panel_version.to_string(),
            victim_rj: index.victim_rj,
            assessed_on: index.assessed_on,
        }
    }

    /// The columns `with_params` gives, in order.
    fn columns() -> Vec<&'static str> {
        let beside = ["personal", "personal_salt", "prev_hash", "hash", "panel_version", "victim_rj", "assessed_on"];
        COLUMNS.iter().chain(chain::FORMAT_2_COLUMNS.iter()).chain(beside.iter()).copied().collect()
    }

    fn marks() -> String {
        (1..=Self::columns().len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    }

    /// Runs `f` with the row's values as parameters, in the order of `columns`.
    fn with_params<T>(&self, f: impl FnOnce(&[&(dyn ToSql + Sync)]) -> T) -> T {
        let wrapped: Vec<PgField> = self.fields.iter().map(PgField).collect();
        let hash = self.hash.to_vec();
        let mut params: Vec<&(dyn ToSql + Sync)> = wrapped.iter().map(|f| f as &(dyn ToSql + Sync)).collect();
        params.extend([
            &self.personal.json as &(dyn ToSql + Sync),
            &self.personal.salt,
            &self.prev,
            &hash,
            &self.panel_version,
            &self.victim_rj,
            &self.assessed_on,
        ]);
        f(&params)
    }
}

/// Before a store's first content: demonstration and live data never share a store (the rule
/// both backends follow, `referrals::kind_claim`); an empty store's flag is set to what it takes,
/// in the same transaction as that content.
pub(super) fn claim_kind(tx: &mut Transaction, synthetic: bool, by: &str, stamp: &str) -> Result<()> {
    let content: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM referrals) OR EXISTS (SELECT 1 FROM records WHERE kind = 'decision')",
            &[],
        )?
        .get(0);
    let flagged = meta(tx, "synthetic")?.as_deref() == Some("1");
    if let Some(flag) = super::referrals::kind_claim(content, flagged, synthetic)? {
        tx.execute("UPDATE meta SET value = $1 WHERE key = 'synthetic'", &[&super::referrals::flag_value(flag)])?;
        log_in(tx, stamp, by, "settings", "the kind of store", super::referrals::kind_name(flag))?;
    }
    Ok(())
}

/// The statement appending a record of `COLUMNS` (no details kept apart).
fn plain_insert() -> String {
    let marks = (1..=COLUMNS.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    format!("INSERT INTO records ({}, prev_hash, hash) VALUES ({marks})", COLUMNS.join(", "))
}

/// Appends a record of `COLUMNS` after `prev` with `insert` (`plain_insert`); its hash.
fn append_plain<S: postgres::ToStatement + ?Sized>(
    tx: &mut Transaction,
    insert: &S,
    prev: &Hash,
    fields: &[Field],
) -> Result<Hash> {
    let hash = chain::hash_fields(prev, fields);
    let wrapped: Vec<PgField> = fields.iter().map(PgField).collect();
    let (prev_v, hash_v) = (prev.to_vec(), hash.to_vec());
    let mut params: Vec<&(dyn ToSql + Sync)> = wrapped.iter().map(|f| f as &(dyn ToSql + Sync)).collect();
    params.extend([&prev_v as &(dyn ToSql + Sync), &hash_v]);
    tx.execute(insert, &params)?;
    Ok(hash)
}

/// A read-only transaction on one snapshot of the store: whatever it reads (records, heads,
/// cases, signatures) is as of one moment, though writers go on.
fn snapshot(client: &mut Client) -> Result<postgres::Transaction<'_>> {
    Ok(client.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start()?)
}

fn meta(c: &mut impl GenericClient, key: &str) -> Result<Option<String>> {
    Ok(c.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?.map(|r| r.get(0)))
}

/// The chain's current end, read inside the writing transaction (after its lock).
fn head(tx: &mut Transaction) -> Result<(i64, Hash)> {
    match tx.query_opt("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1", &[])? {
        None => Ok((0, chain::GENESIS)),
        Some(r) => {
            let seq: i64 = r.get(0);
            Ok((seq, hash_of(seq, r.get(1))?))
        }
    }
}

fn set_head(tx: &mut Transaction, seq: i64, hash: &Hash) -> Result<()> {
    tx.execute("UPDATE meta SET value = $1 WHERE key = 'head_seq'", &[&seq.to_string()])?;
    tx.execute("UPDATE meta SET value = $1 WHERE key = 'head_hash'", &[&hex::encode(hash)])?;
    Ok(())
}

/// The digest of the store's settings, computed by the server (`jdp_settings_digest`, the same
/// bytes as `access::settings_digest_of`): a login that may not read the pseudonym key can still
/// chain its entries.
fn settings_digest(c: &mut impl GenericClient) -> Result<String> {
    Ok(c.query_one("SELECT jdp_settings_digest()", &[])?.get(0))
}

/// The refusal of a save (or recording) over what `kind` keeps for a referral, another
/// workstation having saved it since (`store::draft_changed`): who, and when.
pub(crate) fn draft_changed(c: &mut impl GenericClient, kind: DraftKind, referral_id: i64) -> Result<StoreError> {
    let sql = format!("SELECT saved_at, saved_by FROM {} WHERE referral_id = $1", kind.table());
    let stored = c.query_opt(sql.as_str(), &[&referral_id])?.map(|r| (r.get(0), r.get(1)));
    Ok(super::draft_changed(referral_id, stored))
}

/// Appends an access-log entry to its chain, inside the writing transaction.
fn log_in(tx: &mut Transaction, at: &str, actor: &str, action: &str, target: &str, reason: &str) -> Result<()> {
    let last = tx.query_opt("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1", &[])?;
    let (id, hash) = match &last {
        None => (None, None),
        Some(r) => (r.get(0), r.get(1)),
    };
    let settings = settings_digest(tx)?;
    let e = LogEntry::after(id, hash, settings, [at, actor, action, target, reason]);
    tx.execute(
        "INSERT INTO access_log (id, at, actor, action, target, reason, settings, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[&e.id, &at, &actor, &action, &target, &reason, &e.settings, &e.prev.to_vec(), &e.hash.to_vec()],
    )?;
    tx.execute("UPDATE meta SET value = $1 WHERE key = 'access_head'", &[&e.head()])?;
    Ok(())
}

/// The next access-log entry: its number, the hash it chains from and its own.
struct LogEntry {
    id: i64,
    prev: Hash,
    hash: Hash,
    settings: String,
}

impl LogEntry {
    /// The entry after the last (`id`, `hash`; none in a new log), with the store's settings
    /// digest: at, actor, action, target, reason.
    fn after(
        id: Option<i64>,
        hash: Option<Vec<u8>>,
        settings: String,
        [at, actor, action, target, reason]: [&str; 5],
    ) -> Self {
        let (id, prev) = match id {
            None => (1, chain::GENESIS),
            Some(id) => (id + 1, hash.and_then(|h| h.try_into().ok()).unwrap_or(chain::GENESIS)),
        };
        let hash =
            chain::hash_fields(&prev, &super::access::entry_fields(id, at, actor, action, target, reason, &settings));
        LogEntry { id, prev, hash, settings }
    }

    /// The log's head after it, as `meta.access_head` keeps it.
    fn head(&self) -> String {
        format!("{}:{}", self.id, hex::encode(self.hash))
    }
}

/// What recording a decision reads under the writers' lock, in one round trip: the referral
/// ($1), its decision if any, whether the original a correction supersedes ($2) has been
/// corrected already, the chain's head, the access log's last entry, the settings digest, and
/// the versions of the referral's draft and correction in progress.
const DECISION_READ: &str = "
    SELECT r.reference, r.synthetic,
           (SELECT max(seq) FROM records WHERE referral_id = $1 AND kind = 'decision'),
           (SELECT max(c.seq) FROM records c WHERE c.supersedes = $2),
           h.seq, h.hash, a.id, a.hash, jdp_settings_digest(),
           (SELECT version FROM drafts WHERE referral_id = $1),
           (SELECT version FROM correction_drafts WHERE referral_id = $1)
    FROM (SELECT 1) AS one
    LEFT JOIN referrals r ON r.id = $1
    LEFT JOIN LATERAL (SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1) h ON true
    LEFT JOIN LATERAL (SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1) a ON true";

/// What recording a decision writes, as one statement: the record ($1…, as `DecisionRow`), its
/// anonymised case, the referral's drafts gone, the access-log entry, and the chain's and the
/// log's heads. Triggers and foreign keys check each part as they would apart.
fn decision_write() -> String {
    let columns = DecisionRow::columns();
    let n = columns.len();
    let p = |k: usize| format!("${}", n + k);
    format!(
        "WITH rec AS (INSERT INTO records ({}) VALUES ({})),
              kept AS (INSERT INTO scrutiny_cases (seq, anonymised) VALUES ({}, {})),
              drafts_gone AS (DELETE FROM drafts WHERE referral_id = {}),
              correction_drafts_gone AS (DELETE FROM correction_drafts WHERE referral_id = {}),
              logged AS (INSERT INTO access_log (id, at, actor, action, target, reason, settings, prev_hash, hash)
                         VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}))
         UPDATE meta SET value = CASE key WHEN 'head_seq' THEN {} WHEN 'head_hash' THEN {} ELSE {} END
         WHERE key IN ('head_seq', 'head_hash', 'access_head')",
        columns.join(", "),
        DecisionRow::marks(),
        p(1),
        p(2),
        p(3),
        p(3),
        p(4),
        p(5),
        p(6),
        p(7),
        p(8),
        p(9),
        p(10),
        p(11),
        p(12),
        p(13),
        p(14),
        p(15)
    )
}

/// A connection to the server `config` names: TLS for `sslmode=require`, as below.
fn connect(config: &postgres::Config) -> Result<Client> {
    let connected = if config.get_ssl_mode() == postgres::config::SslMode::Require {
        config.connect(tls()?)
    } else {
        // Without sslmode=require jdp does not encrypt (a local socket, or a network the
        // server's administrator trusts): "prefer" falls back to this too.
        config.connect(NoTls)
    };
    connected.map_err(|e| match e.as_db_error() {
        Some(db) => StoreError::Server(format!("could not connect: {}", db.message())),
        None => StoreError::Server(format!("could not connect to the PostgreSQL server: {e}")),
    })
}

/// TLS for `sslmode=require`: rustls, trusting the certificate authorities this computer trusts
/// (or those in `SSL_CERT_FILE`), and checking the server's certificate is for the host named —
/// what libpq calls verify-full.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        return Err(StoreError::Refused(
            "sslmode=require: this computer trusts no certificate authorities (none found in its store or in \
             SSL_CERT_FILE), so the server's certificate cannot be checked; nothing was sent"
                .into(),
        ));
    }
    let config =
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| StoreError::Refused(format!("TLS cannot be set up: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Brings the schema up to date with refinery; refuses a schema newer than this jdp knows.
fn migrate(client: &mut Client) -> Result<()> {
    let ms = MIGRATIONS
        .iter()
        .map(|(name, sql)| refinery::Migration::unapplied(name, sql))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Refused(format!("jdp's own schema is malformed: {e}")))?;
    let runner = refinery::Runner::new(&ms).set_grouped(true);
    // Several workstations may open a new server at once: one migrates, the others wait.
    client.execute("SELECT pg_advisory_lock($1)", &[&(CHAIN_LOCK + 1)])?;
    let result = (|| {
        // refinery keeps its history in this table; none yet means a new database.
        let known: bool = client.query_one("SELECT to_regclass('refinery_schema_history') IS NOT NULL", &[])?.get(0);
        let found: Option<i64> = if known {
            client.query_one("SELECT max(version)::bigint FROM refinery_schema_history", &[])?.get(0)
        } else {
            None
        };
        if let Some(found) = found
            && found > PG_SCHEMA_VERSION
        {
            return Err(StoreError::Newer { path: "the PostgreSQL database".into(), found, known: PG_SCHEMA_VERSION });
        }
        // Up to date: nothing to do (and a login without the right to change the schema, which
        // refinery's own checks would need, is not asked to).
        if found == Some(PG_SCHEMA_VERSION) {
            return Ok(());
        }
        runner.run(client).map_err(|e| StoreError::Server(format!("could not prepare the database: {e}")))?;
        Ok(())
    })();
    client.execute("SELECT pg_advisory_unlock($1)", &[&(CHAIN_LOCK + 1)])?;
    result
}
