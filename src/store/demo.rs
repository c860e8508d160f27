//! Filling a store with synthetic decisions in large transactions, through the same chain
//! `append` a single decision uses. Refuses a store that holds real referrals.

use chrono::{DateTime, Utc};

use super::chain::Field;
use super::records::{Correction, append, decision_fields, head, set_head, timestamp};
use super::referrals::insert_referral;
use super::{Result, Store, StoreError, json};
use crate::demo::DemoDecision;

const BATCH: usize = 20_000;

impl Store {
    /// Inserts every item; returns the number of decision records written (corrections too).
    pub fn insert_demo(
        &mut self,
        items: impl Iterator<Item = DemoDecision>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        let real: i64 = self.conn.query_row("SELECT count(*) FROM referrals WHERE synthetic = 0", [], |r| r.get(0))?;
        if real > 0 {
            return Err(StoreError::Refused(format!(
                "this database holds {real} real referral(s); demo data goes in a database of its own (use --db)"
            )));
        }
        let stamp = timestamp(at);
        let mut items = items.peekable();
        let mut written = 0u64;
        self.write(|tx| {
            tx.execute("UPDATE meta SET value = '1' WHERE key = 'synthetic'", [])?;
            Ok(())
        })?;
        while items.peek().is_some() {
            written += self.write(|tx| {
                let (mut seq, mut prev) = head(tx)?;
                let mut n = 0u64;
                for item in items.by_ref().take(BATCH) {
                    let id = insert_referral(tx, &item.referral, true, &stamp)?;
                    seq += 1;
                    let fields: Vec<Field> =
                        decision_fields(seq, id, &item.decision, json(&item.decision)?, None, &stamp, by, true);
                    prev = append(tx, &prev, &fields)?;
                    n += 1;
                    if let Some((snap, reason)) = &item.correction {
                        let c = Correction { supersedes: seq, reason };
                        seq += 1;
                        let fields = decision_fields(seq, id, snap, json(snap)?, Some(&c), &stamp, by, true);
                        prev = append(tx, &prev, &fields)?;
                        n += 1;
                    }
                }
                set_head(tx, seq, &prev)?;
                Ok(n)
            })?;
        }
        self.log_access(by, "demo-data", &format!("{written} synthetic record(s)"), "demonstration data", at)?;
        Ok(written)
    }
}
