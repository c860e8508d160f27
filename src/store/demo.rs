//! Filling a store with synthetic decisions in large transactions, through the same chain
//! `append` a single decision uses. Refuses a store that holds real referrals.

use chrono::{DateTime, Utc};

use super::chain::Field;
use super::records::{Correction, IndexColumns, append_v2, decision_fields, head, set_head, split_decision, timestamp};
use super::referrals::insert_referral;
use super::{Result, Store};
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
        let stamp = timestamp(at);
        let mut items = items.peekable();
        let mut written = 0u64;
        let mut first = true;
        while items.peek().is_some() {
            written += self.write(|tx| {
                if first {
                    // Demo or live is decided by a store's first content, in the same
                    // transaction as that content: a failed run leaves no flagged-empty store.
                    super::referrals::claim_kind(tx, true, by, &stamp)?;
                }
                let (mut seq, mut prev) = head(tx)?;
                let mut n = 0u64;
                for item in items.by_ref().take(BATCH) {
                    let id = insert_referral(tx, &item.referral, true, &stamp)?;
                    seq += 1;
                    let (body, personal) = split_decision(&item.decision)?;
                    let fields: Vec<Field> = decision_fields(seq, id, &item.decision, body, None, &stamp, by, true);
                    prev = append_v2(tx, &prev, fields, &personal, &IndexColumns::of(&item.decision))?;
                    n += 1;
                    if let Some((snap, reason)) = &item.correction {
                        let c = Correction { supersedes: seq, reason };
                        seq += 1;
                        let (body, personal) = split_decision(snap)?;
                        let fields = decision_fields(seq, id, snap, body, Some(&c), &stamp, by, true);
                        prev = append_v2(tx, &prev, fields, &personal, &IndexColumns::of(snap))?;
                        n += 1;
                    }
                }
                set_head(tx, seq, &prev)?;
                Ok(n)
            })?;
            first = false;
        }
        self.checkpoint()?;
        self.log_access(by, "demo-data", &format!("{written} synthetic record(s)"), "demonstration data", at)?;
        Ok(written)
    }
}
