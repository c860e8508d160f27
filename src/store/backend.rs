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
use super::signatures::{Head, SignatureReport, SignedHead};
use super::{
    AccessEntry, Correction, CorrectionDraft, Draft, RecordRow, Recorded, ReferralRow, Result, Store, Summary, Verdict,
    VerifyFailure,
};
use crate::domain::record::DecisionSnapshot;
use crate::domain::referral::{Case, PanelSession, Referral};
use crate::domain::task_board::{BoardTask, TaskEvent};
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
    fn verify(&mut self) -> Result<Verdict>;
    /// `verify`, and that the chain still passes through a head written in the minutes.
    fn verify_expecting(&mut self, expected: &super::MinutedHead) -> Result<Verdict>;
    /// Each kept anonymised case held to its decision (`jdp verify --cases`). None on a file,
    /// which keeps none: it makes each case from its decision whenever it is read.
    fn verify_kept_cases(&mut self) -> Result<Option<std::result::Result<super::pg::KeptCases, super::VerifyFailure>>> {
        Ok(None)
    }
    /// Referrals (with their decisions) whose retention of `months` ended on or before `today`.
    fn retention_due(&mut self, months: u16, today: NaiveDate) -> Result<Vec<super::Due>>;
    /// Erases the child's personal details from every referral past retention
    /// (`retention::erase_in`), logged once; on a server as the login, which must own the panel.
    fn erase_after_retention(
        &mut self,
        months: u16,
        today: NaiveDate,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<super::Erasure>;
    /// The current ends of the record chain and the access log, read together, to be signed.
    fn head(&mut self) -> Result<Head>;
    /// Stores a signature made over a head (`crate::signing::Signer::sign_head`).
    fn add_signature(&mut self, signed: &SignedHead) -> Result<()>;
    /// Checks the stored signatures made by `known` keys (`signatures::check_signatures`).
    fn verify_signatures(
        &mut self,
        known: &[ed25519_dalek::VerifyingKey],
    ) -> Result<std::result::Result<SignatureReport, VerifyFailure>>;

    // ----- what the panel screen needs (src/tui/runner.rs) -----

    /// The file this store is (None: in memory, or a server).
    fn path(&self) -> Option<&std::path::Path> {
        None
    }
    /// The chain as the board report and sampling read it (and a sample is added to it).
    fn as_chain(&mut self) -> Box<dyn super::ChainWrite + '_>;
    /// Who this store writes as when it decides that itself (a server's login); None where the
    /// caller names the person (a file).
    fn login(&self) -> Option<&str> {
        None
    }
    /// Connects again where the connection was lost (a server); nothing to do for a file.
    fn reconnect(&mut self) -> Result<()> {
        Ok(())
    }
    /// Where this store is, for the screen's header (a server's database and host); None for a
    /// file, whose path the chair chose.
    fn place(&self) -> Option<String> {
        None
    }
    /// Whether this store lets its user record decisions (on a server, the login's grants:
    /// a member's may prepare but not record); a file's user may.
    fn records_decisions(&mut self) -> Result<bool> {
        Ok(true)
    }
    fn is_synthetic(&mut self) -> Result<bool>;
    fn is_training(&mut self) -> Result<bool>;
    /// A screen setting (on a server, the login's own).
    fn setting(&mut self, key: &str) -> Result<Option<String>>;
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
    fn remove_setting(&mut self, key: &str) -> Result<()>;
    fn referral(&mut self, id: i64) -> Result<Option<ReferralRow>>;
    fn referral_position(&mut self, id: i64) -> Result<i64>;
    fn referral_page(&mut self, offset: i64, limit: i64) -> Result<Vec<ReferralRow>>;
    /// Every referral not yet decided, longest waiting first, with its draft (the agenda).
    fn pending_referrals(&mut self) -> Result<Vec<ReferralRow>>;
    /// The draft this screen last saved, for "resume where you stopped".
    fn latest_draft(&mut self) -> Result<Option<(i64, Draft)>>;
    /// Saves a draft over the version this store last read (`draft`) or saved: `DraftChanged`,
    /// naming who saved it, if another screen or workstation saved or recorded it meanwhile.
    fn save_draft_as(&mut self, referral_id: i64, step: &str, case: &Case, by: &str, at: DateTime<Utc>) -> Result<()>;
    fn correction_draft(&mut self, referral_id: i64) -> Result<Option<CorrectionDraft>>;
    fn save_correction_draft(
        &mut self,
        referral_id: i64,
        d: &CorrectionDraft,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    fn task_board(&mut self, today: NaiveDate) -> Result<Vec<BoardTask>>;
    /// An id no other store shares (the start of its first record's hash), for calendar UIDs.
    fn store_id(&mut self) -> Result<String>;
    fn overdue_tasks(&mut self, today: NaiveDate) -> Result<usize>;
    fn close_task(&mut self, id: &str, event: TaskEvent, by: &str, at: DateTime<Utc>) -> Result<Recorded>;
    /// Writes an access-log entry and runs `write` (the disclosure) in one transaction: no
    /// entry, no disclosure; a failed disclosure takes its entry with it.
    fn disclose_with(
        &mut self,
        actor: &str,
        what: (&str, &str, &str),
        at: DateTime<Utc>,
        write: &mut dyn FnMut() -> Result<()>,
    ) -> Result<()>;

    /// Fills a demonstration store with synthetic decisions (corrections too), refusing one that
    /// holds real referrals; returns the number of decision records written.
    fn insert_demo(
        &mut self,
        items: &mut dyn Iterator<Item = crate::demo::DemoDecision>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<u64>;

    // ----- what the scrutiny screen and papers read -----

    /// The panel definition this store's decisions are recorded under: a server keeps each
    /// decision anonymised by it for its scrutiny logins (its labels); a file needs nothing.
    fn use_panel(&mut self, _panel: &crate::domain::PanelDefinition) {}
    /// The decision `seq` as a scrutiny reviewer reads it (None: not a decision). A file
    /// anonymises the record as it is read; a server reads what it kept when the decision was
    /// recorded, the only form of it a scrutiny login may read.
    fn anonymised_case(
        &mut self,
        seq: i64,
        panel: &crate::domain::PanelDefinition,
    ) -> Result<Option<crate::domain::case_view::Anonymised>>;
    /// The offence, outcome, score, age and month of each decision in `seqs`, for the scrutiny
    /// queue (from the anonymised columns).
    fn decision_summaries(&mut self, seqs: &[i64]) -> Result<Vec<super::scrutiny::DecisionSummary>>;

    // ----- what the minutes of a sitting read (`report::minutes`) -----

    /// The dates of the recorded sittings, oldest first.
    fn session_dates(&mut self) -> Result<Vec<NaiveDate>>;
    /// The decisions (and corrections) decided on `day`, in the chain's order.
    fn decisions_on(&mut self, day: NaiveDate) -> Result<Vec<RecordRow>>;
    /// The last decision or correction decided on `day`: the head the minutes print.
    fn sitting_head(&mut self, day: NaiveDate) -> Result<Option<(i64, String)>>;
    /// The last record decided or written on `day` (was anything done that day at all).
    fn head_after(&mut self, day: NaiveDate) -> Result<Option<(i64, String)>>;
    /// The task board's inputs as they stood when record `head` was written.
    fn task_inputs_at(&mut self, head: i64) -> Result<TaskInputs>;
    /// The key of the export's pseudonyms (None where the login may not read it).
    fn pseudonym_key(&mut self) -> Result<Option<String>>;
}

/// Every decision's tasks and every task closing: what the task board is derived from.
pub type TaskInputs = (Vec<crate::domain::task_board::DecisionTasks>, Vec<TaskEvent>);

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
    fn anonymised_case(
        &mut self,
        seq: i64,
        panel: &crate::domain::PanelDefinition,
    ) -> Result<Option<crate::domain::case_view::Anonymised>> {
        super::scrutiny::anonymised_from(seq, panel, |s| Store::decision(self, s))
    }
    fn decision_summaries(&mut self, seqs: &[i64]) -> Result<Vec<super::scrutiny::DecisionSummary>> {
        Store::decision_summaries(self, seqs)
    }
    fn session_dates(&mut self) -> Result<Vec<NaiveDate>> {
        Store::session_dates(self)
    }
    fn decisions_on(&mut self, day: NaiveDate) -> Result<Vec<RecordRow>> {
        let mut out = Vec::new();
        Store::each_decision(self, Some(day), Some(day), |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }
    fn sitting_head(&mut self, day: NaiveDate) -> Result<Option<(i64, String)>> {
        Store::sitting_head(self, day)
    }
    fn head_after(&mut self, day: NaiveDate) -> Result<Option<(i64, String)>> {
        Store::head_after(self, day)
    }
    fn task_inputs_at(&mut self, head: i64) -> Result<TaskInputs> {
        Store::task_inputs_at(self, head)
    }
    fn pseudonym_key(&mut self) -> Result<Option<String>> {
        Store::meta(self, "pseudonym_key")
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
    fn verify(&mut self) -> Result<Verdict> {
        Store::verify(self)
    }
    fn verify_expecting(&mut self, expected: &super::MinutedHead) -> Result<Verdict> {
        Store::verify_expecting(self, expected)
    }
    fn retention_due(&mut self, months: u16, today: NaiveDate) -> Result<Vec<super::Due>> {
        Store::retention_due(self, months, today)
    }
    fn erase_after_retention(
        &mut self,
        months: u16,
        today: NaiveDate,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<super::Erasure> {
        Store::erase_after_retention(self, months, today, by, reason, at)
    }
    fn head(&mut self) -> Result<Head> {
        Store::head(self)
    }
    fn add_signature(&mut self, signed: &SignedHead) -> Result<()> {
        Store::add_signature(self, signed)
    }
    fn verify_signatures(
        &mut self,
        known: &[ed25519_dalek::VerifyingKey],
    ) -> Result<std::result::Result<SignatureReport, VerifyFailure>> {
        Store::verify_signatures(self, known)
    }
    fn path(&self) -> Option<&std::path::Path> {
        Store::path(self)
    }
    fn as_chain(&mut self) -> Box<dyn super::ChainWrite + '_> {
        Box::new(self)
    }
    fn is_synthetic(&mut self) -> Result<bool> {
        Store::is_synthetic(self)
    }
    fn is_training(&mut self) -> Result<bool> {
        Store::is_training(self)
    }
    fn setting(&mut self, key: &str) -> Result<Option<String>> {
        Store::setting(self, key)
    }
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        Store::set_setting(self, key, value)
    }
    fn remove_setting(&mut self, key: &str) -> Result<()> {
        Store::remove_setting(self, key)
    }
    fn referral(&mut self, id: i64) -> Result<Option<ReferralRow>> {
        Store::referral(self, id)
    }
    fn referral_position(&mut self, id: i64) -> Result<i64> {
        Store::referral_position(self, id)
    }
    fn referral_page(&mut self, offset: i64, limit: i64) -> Result<Vec<ReferralRow>> {
        Store::referral_page(self, offset, limit)
    }
    fn pending_referrals(&mut self) -> Result<Vec<ReferralRow>> {
        Store::pending_referrals(self)
    }
    fn latest_draft(&mut self) -> Result<Option<(i64, Draft)>> {
        Store::latest_draft(self)
    }
    fn save_draft_as(&mut self, referral_id: i64, step: &str, case: &Case, by: &str, at: DateTime<Utc>) -> Result<()> {
        Store::save_draft_as(self, referral_id, step, case, by, at)
    }
    fn correction_draft(&mut self, referral_id: i64) -> Result<Option<CorrectionDraft>> {
        Store::correction_draft(self, referral_id)
    }
    fn save_correction_draft(
        &mut self,
        referral_id: i64,
        d: &CorrectionDraft,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        Store::save_correction_draft(self, referral_id, d, by, at)
    }
    fn task_board(&mut self, today: NaiveDate) -> Result<Vec<BoardTask>> {
        Store::task_board(self, today)
    }
    fn store_id(&mut self) -> Result<String> {
        Store::store_id(self)
    }
    fn overdue_tasks(&mut self, today: NaiveDate) -> Result<usize> {
        Store::overdue_tasks(self, today)
    }
    fn close_task(&mut self, id: &str, event: TaskEvent, by: &str, at: DateTime<Utc>) -> Result<Recorded> {
        Store::close_task(self, id, event, by, at)
    }
    fn disclose_with(
        &mut self,
        actor: &str,
        (action, target, reason): (&str, &str, &str),
        at: DateTime<Utc>,
        write: &mut dyn FnMut() -> Result<()>,
    ) -> Result<()> {
        Store::disclose(self, actor, action, target, reason, at, |_| write())
    }
    fn insert_demo(
        &mut self,
        items: &mut dyn Iterator<Item = crate::demo::DemoDecision>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        Store::insert_demo(self, items, by, at)
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
    fn use_panel(&mut self, panel: &crate::domain::PanelDefinition) {
        PgStore::use_panel(self, panel)
    }
    fn anonymised_case(
        &mut self,
        seq: i64,
        _panel: &crate::domain::PanelDefinition,
    ) -> Result<Option<crate::domain::case_view::Anonymised>> {
        PgStore::anonymised_case(self, seq)
    }
    fn decision_summaries(&mut self, seqs: &[i64]) -> Result<Vec<super::scrutiny::DecisionSummary>> {
        PgStore::decision_summaries(self, seqs)
    }
    fn session_dates(&mut self) -> Result<Vec<NaiveDate>> {
        PgStore::session_dates(self)
    }
    fn decisions_on(&mut self, day: NaiveDate) -> Result<Vec<RecordRow>> {
        PgStore::decisions_on(self, day)
    }
    fn sitting_head(&mut self, day: NaiveDate) -> Result<Option<(i64, String)>> {
        PgStore::sitting_head(self, day)
    }
    fn head_after(&mut self, day: NaiveDate) -> Result<Option<(i64, String)>> {
        PgStore::head_after(self, day)
    }
    fn task_inputs_at(&mut self, head: i64) -> Result<TaskInputs> {
        PgStore::task_inputs_at(self, head)
    }
    fn pseudonym_key(&mut self) -> Result<Option<String>> {
        PgStore::meta(self, "pseudonym_key")
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
    fn verify(&mut self) -> Result<Verdict> {
        PgStore::verify(self)
    }
    fn verify_expecting(&mut self, expected: &super::MinutedHead) -> Result<Verdict> {
        PgStore::verify_expecting(self, expected)
    }
    fn verify_kept_cases(&mut self) -> Result<Option<std::result::Result<super::pg::KeptCases, super::VerifyFailure>>> {
        PgStore::verify_kept_cases(self).map(Some)
    }
    fn retention_due(&mut self, months: u16, today: NaiveDate) -> Result<Vec<super::Due>> {
        PgStore::retention_due(self, months, today)
    }
    fn erase_after_retention(
        &mut self,
        months: u16,
        today: NaiveDate,
        _by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<super::Erasure> {
        PgStore::erase_after_retention(self, months, today, reason, at)
    }
    fn head(&mut self) -> Result<Head> {
        PgStore::head(self)
    }
    fn add_signature(&mut self, signed: &SignedHead) -> Result<()> {
        PgStore::add_signature(self, signed)
    }
    fn verify_signatures(
        &mut self,
        known: &[ed25519_dalek::VerifyingKey],
    ) -> Result<std::result::Result<SignatureReport, VerifyFailure>> {
        PgStore::verify_signatures(self, known)
    }
    fn login(&self) -> Option<&str> {
        Some(self.user())
    }
    fn records_decisions(&mut self) -> Result<bool> {
        PgStore::records_decisions(self)
    }
    fn place(&self) -> Option<String> {
        Some(PgStore::place(self))
    }
    fn as_chain(&mut self) -> Box<dyn super::ChainWrite + '_> {
        Box::new(self.chain())
    }
    fn reconnect(&mut self) -> Result<()> {
        PgStore::reconnect(self)
    }
    fn insert_demo(
        &mut self,
        items: &mut dyn Iterator<Item = crate::demo::DemoDecision>,
        _by: &str,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        PgStore::insert_demo(self, items, at)
    }
    fn is_synthetic(&mut self) -> Result<bool> {
        PgStore::is_synthetic(self)
    }
    fn is_training(&mut self) -> Result<bool> {
        // A server holds live data: training runs on a store of its own (jdp train).
        Ok(false)
    }
    fn setting(&mut self, key: &str) -> Result<Option<String>> {
        PgStore::setting(self, key)
    }
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        PgStore::set_setting(self, key, value)
    }
    fn remove_setting(&mut self, key: &str) -> Result<()> {
        PgStore::remove_setting(self, key)
    }
    fn referral(&mut self, id: i64) -> Result<Option<ReferralRow>> {
        PgStore::referral(self, id)
    }
    fn referral_position(&mut self, id: i64) -> Result<i64> {
        PgStore::referral_position(self, id)
    }
    fn referral_page(&mut self, offset: i64, limit: i64) -> Result<Vec<ReferralRow>> {
        PgStore::referral_page(self, offset, limit)
    }
    fn pending_referrals(&mut self) -> Result<Vec<ReferralRow>> {
        PgStore::pending_referrals(self)
    }
    fn latest_draft(&mut self) -> Result<Option<(i64, Draft)>> {
        PgStore::latest_draft(self)
    }
    fn save_draft_as(&mut self, referral_id: i64, step: &str, case: &Case, _by: &str, at: DateTime<Utc>) -> Result<()> {
        PgStore::save_draft_as(self, referral_id, step, case, at)
    }
    fn correction_draft(&mut self, referral_id: i64) -> Result<Option<CorrectionDraft>> {
        PgStore::correction_draft(self, referral_id)
    }
    fn save_correction_draft(
        &mut self,
        referral_id: i64,
        d: &CorrectionDraft,
        _by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        PgStore::save_correction_draft(self, referral_id, d, at)
    }
    fn task_board(&mut self, today: NaiveDate) -> Result<Vec<BoardTask>> {
        PgStore::task_board(self, today)
    }
    fn store_id(&mut self) -> Result<String> {
        PgStore::store_id(self)
    }
    fn overdue_tasks(&mut self, today: NaiveDate) -> Result<usize> {
        PgStore::overdue_tasks(self, today)
    }
    fn close_task(&mut self, id: &str, event: TaskEvent, _by: &str, at: DateTime<Utc>) -> Result<Recorded> {
        PgStore::close_task(self, id, event, at)
    }
    fn disclose_with(
        &mut self,
        _actor: &str,
        (action, target, reason): (&str, &str, &str),
        at: DateTime<Utc>,
        write: &mut dyn FnMut() -> Result<()>,
    ) -> Result<()> {
        PgStore::disclose(self, action, target, reason, at, |_| write())
    }
}

impl From<Store> for Box<dyn Backend> {
    fn from(s: Store) -> Self {
        Box::new(s)
    }
}

impl From<PgStore> for Box<dyn Backend> {
    fn from(s: PgStore) -> Self {
        Box::new(s)
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
