//! `jdp copy --from PATH --to postgres://…`: a panel's file store moved to an empty server
//! database as it is — every referral, draft, record and access-log entry with its own id, hash
//! and author — in one transaction that verifies the copy (the same head as the file's) before
//! it commits. The derived caches (open tasks) and the screen's settings are not copied: the
//! server store derives the one and the workstation keeps the other.

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::Value;

use super::super::{Result, Store, StoreError, VerifyReport};
use super::PgStore;

/// The tables copied, in an order that satisfies their references, each with its columns
/// (as both backends name them) and its key.
const TABLES: &[(&str, &str, &str)] = &[
    ("panel_sessions", "id, held_on, members, apologies, observers, created_at, chair", "id"),
    (
        "referrals",
        "id, reference, age_at_offence, offence, offence_date, referral_date, synthetic, body, added_at, reference_key",
        "id",
    ),
    (
        "records",
        "seq, kind, referral_id, session_id, supersedes, correction_reason, recorded_at, recorded_by, decided_on, \
         reference, outcome, base_score, final_score, indicated, departure, disagreement, inspector, looked_after, \
         age_at_offence, sex, ethnicity, offence, offence_group, offence_date, referral_date, victim_status, \
         previous_count, synthetic, body, prev_hash, hash, format, personal_digest, personal, personal_salt, \
         panel_version, victim_rj, assessed_on",
        "seq",
    ),
    ("drafts", "referral_id, step, body, saved_at, version, saved_by", "referral_id"),
    ("correction_drafts", "referral_id, supersedes, reason, step, body, saved_at", "referral_id"),
    ("access_log", "id, at, actor, action, target, reason, settings, prev_hash, hash", "id"),
    ("signatures", "id, head_seq, head_hash, access_head, public_key, signature, signed_at", "id"),
];

/// An SQLite value as a PostgreSQL parameter of the column's type.
#[derive(Debug)]
struct Cell(Value);

impl ToSql for Cell {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (&self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Integer(i), _) => i.to_sql(ty, out),
            (Value::Text(t), _) => t.as_str().to_sql(ty, out),
            (Value::Blob(b), _) => b.as_slice().to_sql(ty, out),
            (Value::Real(_), _) => Err("a real number where jdp stores none".into()),
        }
    }
    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::TEXT, Type::BYTEA, Type::BOOL].contains(ty)
    }
    to_sql_checked!();
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub referrals: i64,
    pub records: i64,
    pub access_entries: i64,
    /// The head both stores verify to.
    pub head: VerifyReport,
}

impl PgStore {
    /// Copies the file store `from` into this (empty) server database, with each decision's
    /// anonymised case (labelled by the panel named with `use_panel`); verifies the copy inside
    /// the transaction and commits only if it ends at the file's own verified head.
    pub fn copy_from(&mut self, from: &Store) -> Result<Copied> {
        let head = from
            .verify()?
            .map_err(|f| StoreError::Refused(format!("the file store does not verify ({f}); nothing was copied")))?;
        let panel = self.anonymising_panel()?;
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&super::CHAIN_LOCK])?;
        let empty: bool = tx
            .query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM referrals) AND NOT EXISTS (SELECT 1 FROM records)
                    AND NOT EXISTS (SELECT 1 FROM access_log)",
                &[],
            )?
            .get(0);
        if !empty {
            return Err(StoreError::Refused(
                "the server database already holds referrals, records or access-log entries: jdp copies a file \
                 store only into an empty one; nothing was copied"
                    .into(),
            ));
        }
        // Only the database's owner may write rows naming someone else (see migration 3).
        tx.batch_execute("SET LOCAL jdp.copying = 'on'")?;
        let mut counts = Vec::new();
        for (table, columns, key) in TABLES {
            counts.push(copy_table(&from.conn, &mut tx, table, columns, key)?);
        }
        // Each decision as a scrutiny login will read it, made from the file's records.
        for seq in from.seqs_of("decision")? {
            if let Some(case) = crate::store::scrutiny::anonymised_from(seq, &panel, |s| from.decision(s))? {
                super::cases::keep(&mut tx, seq, &case)?;
            }
        }
        // The file's settings and anchors replace the new database's (its pseudonym key among
        // them: pseudonyms stay the same after the move).
        let mut stmt = from.conn.prepare("SELECT key, value FROM meta WHERE key <> 'open_tasks_head' ORDER BY key")?;
        let meta = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (k, v) in &meta {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[k, v],
            )?;
        }
        for (table, column) in [("referrals", "id"), ("panel_sessions", "id"), ("signatures", "id")] {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
                ),
                &[],
            )?;
        }
        match super::verify::verify_in(&mut tx, None, None)? {
            Ok(report) if report == head => {}
            Ok(report) => {
                return Err(StoreError::Refused(format!(
                    "the copy ends at {} but the file at {}; nothing was copied",
                    report.minute(),
                    head.minute()
                )));
            }
            Err(f) => return Err(StoreError::Refused(format!("the copy does not verify ({f}); nothing was copied"))),
        }
        tx.commit()?;
        self.at_rest();
        Ok(Copied { referrals: counts[1], records: counts[2], access_entries: counts[5], head })
    }
}

fn copy_table(
    from: &rusqlite::Connection,
    tx: &mut postgres::Transaction,
    table: &str,
    columns: &str,
    key: &str,
) -> Result<i64> {
    let n = columns.split(',').count();
    let marks = (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let insert = tx.prepare(&format!("INSERT INTO {table} ({columns}) VALUES ({marks})"))?;
    let mut stmt = from.prepare(&format!("SELECT {columns} FROM {table} ORDER BY {key}"))?;
    let mut rows = stmt.query([])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let cells = (0..n).map(|i| row.get::<_, Value>(i).map(Cell)).collect::<rusqlite::Result<Vec<_>>>()?;
        let params: Vec<&(dyn ToSql + Sync)> = cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
        tx.execute(&insert, &params)?;
        count += 1;
    }
    Ok(count)
}

impl PgStore {
    /// Copies this server store into `to`, a new, empty file store, marked there as a copy
    /// (meta `copy_of`: `label` and the head): the server's store is verified, and copied, as of
    /// one moment; the file is verified to the same head afterwards. The login must be able to
    /// read the store's pseudonym key (the owner, a chair or an admin).
    pub fn copy_into(&mut self, to: &mut Store, label: &str) -> Result<Copied> {
        let mut tx = super::snapshot(&mut self.client)?;
        let head = super::verify::verify_in(&mut tx, None, None)?.map_err(|f| {
            StoreError::Refused(format!("the server's store does not verify ({f}); nothing was copied"))
        })?;
        if super::meta(&mut tx, "pseudonym_key")?.is_none() {
            return Err(StoreError::Refused(
                "this login cannot read the store's pseudonym key, so its copy could not make the same pseudonyms: \
                 a copy is made by the database's owner, a chair or an admin; nothing was copied"
                    .into(),
            ));
        }
        let meta_rows: Vec<(String, String)> =
            tx.query("SELECT key, value FROM meta ORDER BY key", &[])?.iter().map(|r| (r.get(0), r.get(1))).collect();
        let mut counts = Vec::new();
        let marker = format!("{label}, verified at {}", head.minute());
        to.write(|stx| {
            let empty: bool = stx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM referrals) AND NOT EXISTS (SELECT 1 FROM records)
                    AND NOT EXISTS (SELECT 1 FROM access_log)",
                [],
                |r| r.get(0),
            )?;
            if !empty {
                return Err(StoreError::Refused(
                    "the file store already holds referrals, records or access-log entries: jdp copies a server's \
                     store only into a new one; nothing was copied"
                        .into(),
                ));
            }
            for (table, columns, key) in TABLES {
                let n = columns.split(',').count();
                let marks = (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
                let mut insert = stx.prepare(&format!("INSERT INTO {table} ({columns}) VALUES ({marks})"))?;
                let rows = tx.query(&format!("SELECT {columns} FROM {table} ORDER BY {key}"), &[])?;
                for row in &rows {
                    let values = (0..n).map(|i| value_of(row, i)).collect::<Vec<_>>();
                    insert.execute(rusqlite::params_from_iter(values))?;
                }
                counts.push(rows.len() as i64);
            }
            for (k, v) in &meta_rows {
                stx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [k, v],
                )?;
            }
            stx.execute(
                "INSERT INTO meta (key, value) VALUES ('copy_of', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&marker],
            )?;
            Ok(())
        })?;
        tx.commit()?;
        match to.verify()? {
            Ok(report) if report == head => {}
            Ok(report) => {
                return Err(StoreError::Refused(format!(
                    "the copy ends at {} but the server at {}",
                    report.minute(),
                    head.minute()
                )));
            }
            Err(f) => return Err(StoreError::Refused(format!("the copy does not verify ({f})"))),
        }
        Ok(Copied { referrals: counts[1], records: counts[2], access_entries: counts[5], head })
    }
}

/// A server's value as SQLite stores it: integers and booleans as integers, text, bytes.
fn value_of(row: &postgres::Row, i: usize) -> Value {
    let ty = row.columns()[i].type_();
    let v = if *ty == Type::BOOL {
        row.get::<_, Option<bool>>(i).map(|b| Value::Integer(i64::from(b)))
    } else if *ty == Type::INT8 {
        row.get::<_, Option<i64>>(i).map(Value::Integer)
    } else if *ty == Type::BYTEA {
        row.get::<_, Option<Vec<u8>>>(i).map(Value::Blob)
    } else {
        row.get::<_, Option<String>>(i).map(Value::Text)
    };
    v.unwrap_or(Value::Null)
}
