//! What the board report and scrutiny sampling read of the chain, and the one write a sample
//! makes, from either backend: the SQLite file (`Store`) or a server (`pg::PgChain`). The report
//! (`report::board`) and sampling (`scrutiny`) are written once against these traits, so the
//! same chain gives the same report, byte for byte, and the same seed the same sample, on both.
//!
//! Reads take `&self` (the report holds the store while it reads reviews and dates); a server's
//! connection needs `&mut`, so `PgChain` borrows the server store in a `RefCell` for the length
//! of one report or draw. No callback given to a read may read the store again.

use chrono::{DateTime, NaiveDate, Utc};

use super::{DecisionFigures, Recorded, Result, Store};
use crate::domain::sampling::DecisionFacts;

pub trait ChainRead {
    /// Every current decision decided within `from..=to`, in date order, one at a time to
    /// `each`: the covering index's columns and day intervals, never a body or a name.
    fn each_decision_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        each: &mut dyn FnMut(&DecisionFigures),
    ) -> Result<()>;
    /// Every current decision decided within `from..=to`, in no particular order, as sampling
    /// reads it.
    fn each_decision_fact(&self, from: NaiveDate, to: NaiveDate, each: &mut dyn FnMut(DecisionFacts)) -> Result<()>;
    /// The date a decision record was decided on (None for another kind of record or none).
    fn decided_on(&self, seq: i64) -> Result<Option<NaiveDate>>;
    /// The referral reference a decision record carries ("" if none, or if this login may not
    /// read references).
    fn reference_of(&self, seq: i64) -> Result<String>;
    /// The record numbers of every record of a kind, oldest first.
    fn seqs_of(&self, kind: &str) -> Result<Vec<i64>>;
    /// Every record of a kind, oldest first, with its body (samples, reviews, ratings, actions).
    fn bodies_of(&self, kind: &str) -> Result<Vec<(i64, String)>>;
    /// Runs `f` on a record's kind and body; false if there is no record `seq`.
    fn record_body(&self, seq: i64, f: &mut dyn FnMut(&str, &str)) -> Result<bool>;
    fn is_synthetic(&self) -> Result<bool>;
    /// Sixteen random hexadecimal digits (a sample's seed when none is given).
    fn random_seed(&self) -> Result<String>;
    /// The chain's head as the minutes write it, `SEQ:HASH`.
    fn head_minute(&self) -> Result<String>;
}

/// A record's body given to `f`, as `Store::with_record_body` does, on either backend.
pub fn with_body<S: ChainRead + ?Sized, T>(store: &S, seq: i64, f: impl FnOnce(&str, &str) -> T) -> Result<Option<T>> {
    let mut f = Some(f);
    let mut out = None;
    store.record_body(seq, &mut |kind, body| {
        if let Some(f) = f.take() {
            out = Some(f(kind, body));
        }
    })?;
    Ok(out)
}

/// What a sample or a review adds to the chain.
pub trait ChainWrite: ChainRead {
    /// Several records of a kind, all in one transaction (all or none).
    fn append_records(&mut self, kind: &str, bodies: Vec<String>, by: &str, at: DateTime<Utc>)
    -> Result<Vec<Recorded>>;
    fn append_record(&mut self, kind: &str, body: String, by: &str, at: DateTime<Utc>) -> Result<Recorded> {
        Ok(self.append_records(kind, vec![body], by, at)?.remove(0))
    }
}

impl ChainRead for Store {
    fn each_decision_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        each: &mut dyn FnMut(&DecisionFigures),
    ) -> Result<()> {
        Store::each_decision_figures(self, from, to, each)
    }
    fn each_decision_fact(&self, from: NaiveDate, to: NaiveDate, each: &mut dyn FnMut(DecisionFacts)) -> Result<()> {
        Store::each_decision_fact(self, from, to, each)
    }
    fn decided_on(&self, seq: i64) -> Result<Option<NaiveDate>> {
        Store::decided_on(self, seq)
    }
    fn reference_of(&self, seq: i64) -> Result<String> {
        Store::reference_of(self, seq)
    }
    fn seqs_of(&self, kind: &str) -> Result<Vec<i64>> {
        Store::seqs_of(self, kind)
    }
    fn bodies_of(&self, kind: &str) -> Result<Vec<(i64, String)>> {
        Store::bodies_of(self, kind)
    }
    fn record_body(&self, seq: i64, f: &mut dyn FnMut(&str, &str)) -> Result<bool> {
        Ok(Store::with_record_body(self, seq, f)?.is_some())
    }
    fn is_synthetic(&self) -> Result<bool> {
        Store::is_synthetic(self)
    }
    fn random_seed(&self) -> Result<String> {
        Store::random_seed(self)
    }
    fn head_minute(&self) -> Result<String> {
        let h = Store::head(self)?;
        Ok(format!("{}:{}", h.seq, h.hash))
    }
}

impl ChainWrite for Store {
    fn append_records(
        &mut self,
        kind: &str,
        bodies: Vec<String>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<Recorded>> {
        Store::append_records(self, kind, bodies, by, at)
    }
}

/// A store borrowed for one report or draw reads as the store itself.
impl<T: ChainRead + ?Sized> ChainRead for &mut T {
    fn each_decision_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        each: &mut dyn FnMut(&DecisionFigures),
    ) -> Result<()> {
        (**self).each_decision_figures(from, to, each)
    }
    fn each_decision_fact(&self, from: NaiveDate, to: NaiveDate, each: &mut dyn FnMut(DecisionFacts)) -> Result<()> {
        (**self).each_decision_fact(from, to, each)
    }
    fn decided_on(&self, seq: i64) -> Result<Option<NaiveDate>> {
        (**self).decided_on(seq)
    }
    fn reference_of(&self, seq: i64) -> Result<String> {
        (**self).reference_of(seq)
    }
    fn seqs_of(&self, kind: &str) -> Result<Vec<i64>> {
        (**self).seqs_of(kind)
    }
    fn bodies_of(&self, kind: &str) -> Result<Vec<(i64, String)>> {
        (**self).bodies_of(kind)
    }
    fn record_body(&self, seq: i64, f: &mut dyn FnMut(&str, &str)) -> Result<bool> {
        (**self).record_body(seq, f)
    }
    fn is_synthetic(&self) -> Result<bool> {
        (**self).is_synthetic()
    }
    fn random_seed(&self) -> Result<String> {
        (**self).random_seed()
    }
    fn head_minute(&self) -> Result<String> {
        (**self).head_minute()
    }
}

impl<T: ChainWrite + ?Sized> ChainWrite for &mut T {
    fn append_records(
        &mut self,
        kind: &str,
        bodies: Vec<String>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<Recorded>> {
        (**self).append_records(kind, bodies, by, at)
    }
}
