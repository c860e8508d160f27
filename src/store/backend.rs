//! One store interface, two backends: the embedded SQLite file (`Store`, the default) and a
//! PostgreSQL server (`pg::PgStore`). The trait holds what both backends do today — referrals,
//! drafts, sessions, the chain of decisions, the access log and `verify` — so the same code and the same tests
//! run against either. Commands that need more of the store than this run on SQLite only, and
//! say so on a server (see `cli::server`).
//!
//! Identity: on SQLite `by` is the operating-system account the caller names; on a server the
//! store writes as its database login (`session_user`) whatever `by` says, and the server
//! refuses any other name.

use chrono::{DateTime, Utc};

use super::pg::PgStore;
use super::{AccessEntry, Correction, Draft, RecordRow, Recorded, Result, Store, Summary, VerifyFailure, VerifyReport};
use crate::domain::record::DecisionSnapshot;
use crate::domain::referral::{Case, PanelSession, Referral};
use chrono::NaiveDate;

pub trait Backend {
    /// Which backend this is, for messages.
    fn kind(&self) -> &'static str;
    fn summary(&mut self) -> Result<Summary>;
    fn existing_references(&mut self, refs: &[&str]) -> Result<Vec<(String, String)>>;
    fn add_referrals(&mut self, referrals: &[Referral], by: &str, at: DateTime<Utc>) -> Result<Vec<i64>>;
    fn referral_id(&mut self, reference: &str) -> Result<Option<i64>>;
    fn record_decision(
        &mut self,
        referral_id: i64,
        snap: &DecisionSnapshot,
        correction: Option<Correction>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Recorded>;
    /// Saves a draft over version `expected` (None: no draft yet); `DraftChanged` if another
    /// screen or workstation saved or recorded the case meanwhile. Returns the new version.
    fn save_draft_if(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &Case,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64>;
    fn draft(&mut self, referral_id: i64) -> Result<Option<Draft>>;
    /// Saves the sitting for its date (saving again replaces the attendance); its id.
    fn save_session(&mut self, s: &PanelSession, held_on: NaiveDate, at: DateTime<Utc>) -> Result<i64>;
    fn session_on(&mut self, held_on: NaiveDate) -> Result<Option<PanelSession>>;
    /// Appends a sample, rating, review or other non-decision record to the chain.
    fn append_record(&mut self, kind: &str, body: String, by: &str, at: DateTime<Utc>) -> Result<Recorded>;
    fn decision(&mut self, seq: i64) -> Result<Option<RecordRow>>;
    fn decisions_for(&mut self, referral_id: i64) -> Result<Vec<RecordRow>>;
    fn log_access(&mut self, actor: &str, action: &str, target: &str, reason: &str, at: DateTime<Utc>) -> Result<()>;
    fn access_log(&mut self, limit: i64) -> Result<Vec<AccessEntry>>;
    fn verify(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>>;
}

impl Backend for Store {
    fn kind(&self) -> &'static str {
        "SQLite"
    }
    fn summary(&mut self) -> Result<Summary> {
        Store::summary(self)
    }
    fn existing_references(&mut self, refs: &[&str]) -> Result<Vec<(String, String)>> {
        Store::existing_references(self, refs)
    }
    fn add_referrals(&mut self, referrals: &[Referral], by: &str, at: DateTime<Utc>) -> Result<Vec<i64>> {
        Store::add_referrals(self, referrals, by, at)
    }
    fn referral_id(&mut self, reference: &str) -> Result<Option<i64>> {
        Store::referral_id(self, reference)
    }
    fn record_decision(
        &mut self,
        referral_id: i64,
        snap: &DecisionSnapshot,
        correction: Option<Correction>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Recorded> {
        Store::record_decision(self, referral_id, snap, correction, by, at)
    }
    fn save_draft_if(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &Case,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        Store::save_draft_if(self, referral_id, step, case, expected, at)
    }
    fn draft(&mut self, referral_id: i64) -> Result<Option<Draft>> {
        Store::draft(self, referral_id)
    }
    fn save_session(&mut self, s: &PanelSession, held_on: NaiveDate, at: DateTime<Utc>) -> Result<i64> {
        Store::save_session(self, s, held_on, at)
    }
    fn session_on(&mut self, held_on: NaiveDate) -> Result<Option<PanelSession>> {
        Store::session_on(self, held_on)
    }
    fn append_record(&mut self, kind: &str, body: String, by: &str, at: DateTime<Utc>) -> Result<Recorded> {
        Store::append_record(self, kind, body, by, at)
    }
    fn decision(&mut self, seq: i64) -> Result<Option<RecordRow>> {
        Store::decision(self, seq)
    }
    fn decisions_for(&mut self, referral_id: i64) -> Result<Vec<RecordRow>> {
        Store::decisions_for(self, referral_id)
    }
    fn log_access(&mut self, actor: &str, action: &str, target: &str, reason: &str, at: DateTime<Utc>) -> Result<()> {
        Store::log_access(self, actor, action, target, reason, at)
    }
    fn access_log(&mut self, limit: i64) -> Result<Vec<AccessEntry>> {
        Store::access_log(self, limit)
    }
    fn verify(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        Store::verify(self)
    }
}

impl Backend for PgStore {
    fn kind(&self) -> &'static str {
        "PostgreSQL"
    }
    fn summary(&mut self) -> Result<Summary> {
        PgStore::summary(self)
    }
    fn existing_references(&mut self, refs: &[&str]) -> Result<Vec<(String, String)>> {
        PgStore::existing_references(self, refs)
    }
    fn add_referrals(&mut self, referrals: &[Referral], _by: &str, at: DateTime<Utc>) -> Result<Vec<i64>> {
        PgStore::add_referrals(self, referrals, at)
    }
    fn referral_id(&mut self, reference: &str) -> Result<Option<i64>> {
        PgStore::referral_id(self, reference)
    }
    fn record_decision(
        &mut self,
        referral_id: i64,
        snap: &DecisionSnapshot,
        correction: Option<Correction>,
        _by: &str,
        at: DateTime<Utc>,
    ) -> Result<Recorded> {
        PgStore::record_decision(self, referral_id, snap, correction, at)
    }
    fn save_draft_if(
        &mut self,
        referral_id: i64,
        step: &str,
        case: &Case,
        expected: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        PgStore::save_draft_if(self, referral_id, step, case, expected, at)
    }
    fn draft(&mut self, referral_id: i64) -> Result<Option<Draft>> {
        PgStore::draft(self, referral_id)
    }
    fn save_session(&mut self, s: &PanelSession, held_on: NaiveDate, at: DateTime<Utc>) -> Result<i64> {
        PgStore::save_session(self, s, held_on, at)
    }
    fn session_on(&mut self, held_on: NaiveDate) -> Result<Option<PanelSession>> {
        PgStore::session_on(self, held_on)
    }
    fn append_record(&mut self, kind: &str, body: String, _by: &str, at: DateTime<Utc>) -> Result<Recorded> {
        PgStore::append_record(self, kind, body, at)
    }
    fn decision(&mut self, seq: i64) -> Result<Option<RecordRow>> {
        PgStore::decision(self, seq)
    }
    fn decisions_for(&mut self, referral_id: i64) -> Result<Vec<RecordRow>> {
        PgStore::decisions_for(self, referral_id)
    }
    fn log_access(&mut self, _actor: &str, action: &str, target: &str, reason: &str, at: DateTime<Utc>) -> Result<()> {
        PgStore::log_access(self, action, target, reason, at)
    }
    fn access_log(&mut self, limit: i64) -> Result<Vec<AccessEntry>> {
        PgStore::access_log(self, limit)
    }
    fn verify(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        PgStore::verify(self)
    }
}

/// What an export reads, from either backend, inside the transaction that logged it.
pub trait DecisionSource {
    fn pseudonym_key(&mut self) -> Result<Option<String>>;
    /// Every decision decided within the period, in chain order, one at a time to `each`.
    fn each_decision(
        &mut self,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        each: &mut dyn FnMut(RecordRow) -> Result<()>,
    ) -> Result<u64>;
}

impl DecisionSource for &Store {
    fn pseudonym_key(&mut self) -> Result<Option<String>> {
        self.meta("pseudonym_key")
    }
    fn each_decision(
        &mut self,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        each: &mut dyn FnMut(RecordRow) -> Result<()>,
    ) -> Result<u64> {
        Store::each_decision(self, from, to, each)
    }
}
