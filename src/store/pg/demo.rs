//! `jdp demo-data` on a server: synthetic decisions through the same chain and the same rows a
//! recorded decision makes (`DecisionRow`), each with its anonymised case, written with binary
//! COPY in transactions of `BATCH` decisions under the writers' lock, so a demonstration server
//! of a million decisions takes minutes, not hours. Refuses a store that holds real referrals.

use chrono::{DateTime, Utc};
use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

use super::{DecisionRow, PgStore, claim_kind, head, log_in, set_head};
use crate::demo::DemoDecision;
use crate::domain::PanelDefinition;
use crate::store::records::{Correction, split_decision, timestamp};
use crate::store::referrals::ReferralColumns;
use crate::store::{Result, json};

/// Decisions per transaction: large enough that COPY pays, small enough that the client holds
/// little (a batch of decisions and their anonymised cases).
const BATCH: usize = 2_000;

const REFERRAL_COLUMNS: &str =
    "id, reference, age_at_offence, offence, offence_date, referral_date, synthetic, body, added_at, reference_key";

impl PgStore {
    /// Inserts every item, as the login; returns the number of decision records written
    /// (corrections too).
    pub fn insert_demo(&mut self, items: &mut dyn Iterator<Item = DemoDecision>, at: DateTime<Utc>) -> Result<u64> {
        let stamp = timestamp(at);
        let by = self.user.clone();
        let panel = self.anonymising_panel()?;
        let mut written = 0u64;
        loop {
            let batch: Vec<DemoDecision> = (&mut *items).take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            written += self.write(|tx| {
                // Demo or live is decided by a store's first content, in the same transaction.
                claim_kind(tx, true, &by, &stamp)?;
                write_batch(tx, &batch, &panel, &stamp, &by)
            })?;
        }
        let target = format!("{written} synthetic record(s)");
        self.write(|tx| log_in(tx, &stamp, &by, "demo-data", &target, "demonstration data"))?;
        self.at_rest();
        Ok(written)
    }
}

fn write_batch(
    tx: &mut Transaction,
    batch: &[DemoDecision],
    panel: &PanelDefinition,
    stamp: &str,
    by: &str,
) -> Result<u64> {
    let ids: Vec<i64> = tx
        .query(
            "SELECT nextval(pg_get_serial_sequence('referrals', 'id')) FROM generate_series(1, $1::bigint)",
            &[&(batch.len() as i64)],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let types = column_types(tx, "referrals", REFERRAL_COLUMNS)?;
    let mut w = BinaryCopyInWriter::new(tx.copy_in(&copy_sql("referrals", REFERRAL_COLUMNS))?, &types);
    for (id, item) in ids.iter().zip(batch) {
        let r = &item.referral;
        let c = ReferralColumns::of(r);
        let body = json(r)?;
        w.write(&[
            id,
            &r.reference,
            &c.age_at_offence,
            &c.offence,
            &c.offence_date,
            &c.referral_date,
            &true,
            &body,
            &stamp,
            &c.key,
        ])?;
    }
    w.finish()?;

    let (mut seq, mut prev) = head(tx)?;
    let columns = DecisionRow::columns().join(", ");
    let types = column_types(tx, "records", &columns)?;
    let mut cases: Vec<(i64, String)> = Vec::with_capacity(batch.len() * 2);
    let mut w = BinaryCopyInWriter::new(tx.copy_in(&copy_sql("records", &columns))?, &types);
    for (id, item) in ids.iter().zip(batch) {
        seq += 1;
        let split = split_decision(&item.decision)?;
        let row = DecisionRow::new(&prev, seq, *id, (&item.decision, split), None, stamp, by, true);
        row.with_params(|p| w.write(p))?;
        prev = row.hash;
        cases.push((seq, json(&crate::domain::case_view::anonymised(&item.decision, None, panel))?));
        if let Some((snap, reason)) = &item.correction {
            let c = Correction { supersedes: seq, reason };
            seq += 1;
            let row = DecisionRow::new(&prev, seq, *id, (snap, split_decision(snap)?), Some(&c), stamp, by, true);
            row.with_params(|p| w.write(p))?;
            prev = row.hash;
            let anonymised = crate::domain::case_view::anonymised(snap, Some((reason.as_str(), &item.decision)), panel);
            cases.push((seq, json(&anonymised)?));
        }
    }
    w.finish()?;

    let types = column_types(tx, "scrutiny_cases", "seq, anonymised")?;
    let mut w = BinaryCopyInWriter::new(tx.copy_in(&copy_sql("scrutiny_cases", "seq, anonymised"))?, &types);
    for (seq, case) in &cases {
        w.write(&[seq as &(dyn ToSql + Sync), case])?;
    }
    w.finish()?;
    set_head(tx, seq, &prev)?;
    Ok(cases.len() as u64)
}

fn copy_sql(table: &str, columns: &str) -> String {
    format!("COPY {table} ({columns}) FROM STDIN (FORMAT binary)")
}

/// The server's own types for `columns` of `table`, as binary COPY needs them.
fn column_types(tx: &mut Transaction, table: &str, columns: &str) -> Result<Vec<Type>> {
    let stmt = tx.prepare(&format!("SELECT {columns} FROM {table} LIMIT 0"))?;
    Ok(stmt.columns().iter().map(|c| c.type_().clone()).collect())
}
