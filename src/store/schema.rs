//! The schema, as rusqlite_migration migrations. Never edit a shipped migration: add one.

use rusqlite_migration::{M, Migrations};

/// "JDP!" in the SQLite header, so jdp can tell its own files from anyone else's.
pub const APPLICATION_ID: i32 = 0x4A44_5021;

const M1: &str = r#"
PRAGMA application_id = 1245990945; -- 0x4A445021, "JDP!"

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
-- The pseudonym key never leaves the database, so exported pseudonyms cannot be reversed from
-- an export alone. head_* anchor the end of the chain so a truncated tail is caught.
INSERT INTO meta (key, value) VALUES
  ('pseudonym_key', lower(hex(randomblob(32)))),
  ('head_seq', '0'),
  ('head_hash', '0000000000000000000000000000000000000000000000000000000000000000'),
  ('synthetic', '0');

CREATE TABLE panel_sessions (
  id INTEGER PRIMARY KEY,
  held_on TEXT NOT NULL,
  members TEXT NOT NULL,
  apologies TEXT NOT NULL,
  observers TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  age_at_offence INTEGER NOT NULL,
  offence TEXT NOT NULL,
  offence_date TEXT NOT NULL,
  referral_date TEXT NOT NULL,
  synthetic INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  added_at TEXT NOT NULL
) STRICT;

CREATE TABLE drafts (
  referral_id INTEGER PRIMARY KEY REFERENCES referrals(id),
  step TEXT NOT NULL,
  body TEXT NOT NULL,
  saved_at TEXT NOT NULL
) STRICT;

-- The hash chain: decisions, corrections, and (later) samples and reviews.
CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  referral_id INTEGER REFERENCES referrals(id),
  session_id INTEGER REFERENCES panel_sessions(id),
  supersedes INTEGER REFERENCES records(seq),
  correction_reason TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  decided_on TEXT,
  reference TEXT,
  outcome TEXT,
  base_score INTEGER,
  final_score INTEGER,
  indicated TEXT,
  departure INTEGER,
  disagreement INTEGER,
  inspector INTEGER,
  looked_after INTEGER,
  age_at_offence INTEGER,
  sex TEXT,
  ethnicity TEXT,
  offence TEXT,
  offence_group TEXT,
  offence_date TEXT,
  referral_date TEXT,
  victim_status TEXT,
  previous_count INTEGER,
  synthetic INTEGER NOT NULL,
  body TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
) STRICT;
CREATE INDEX records_kind_decided ON records(kind, decided_on);
CREATE INDEX records_supersedes ON records(supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX records_referral ON records(referral_id);
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'recorded decisions are never edited: record a correction instead'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'recorded decisions are never deleted'); END;

CREATE TABLE access_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
"#;

/// The referral queue pages newest referral first: without this index the first page of a
/// large store sorts every referral.
const M2: &str = r#"
CREATE INDEX referrals_by_date ON referrals(referral_date DESC, id DESC);
"#;

/// Sampling and board reports read every decision in a period: this index covers them, so they
/// never touch the record bodies.
const M3: &str = r#"
CREATE INDEX records_period ON records(
  kind, decided_on, outcome, final_score, base_score, indicated, offence_group, disagreement, inspector,
  departure, looked_after, victim_status, previous_count, supersedes, age_at_offence, sex, ethnicity,
  offence_date, referral_date, synthetic
);
"#;

/// Drafts carry a version, so a screen saving over a draft another screen changed meanwhile is
/// told so instead of overwriting the other screen's typing.
const M4: &str = r#"
ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
"#;

/// The access log is chained like the records: each entry's hash covers the one before it, its
/// own fields, and a digest of the store's settings (synthetic, training, pseudonym key) when it
/// was written. Entries from before this migration stay unchained; `chained_from` says where
/// the chain starts. Signed heads (Ed25519, key outside the database) are kept in `signatures`.
const M5: &str = r#"
ALTER TABLE access_log ADD COLUMN settings TEXT;
ALTER TABLE access_log ADD COLUMN prev_hash BLOB;
ALTER TABLE access_log ADD COLUMN hash BLOB;
INSERT INTO meta (key, value) VALUES ('access_chained_after', (SELECT coalesce(max(id), 0) FROM access_log));
INSERT INTO meta (key, value) VALUES ('access_head', '0:0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE signatures (
  id INTEGER PRIMARY KEY,
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  access_head TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_at TEXT NOT NULL
) STRICT;
"#;

/// The chair of each sitting, named on every decision recorded in it.
const M6: &str = "ALTER TABLE panel_sessions ADD COLUMN chair TEXT NOT NULL DEFAULT '';";

/// A correction being walked: kept like a draft, apart from the referral's own draft.
const M7: &str = r#"
CREATE TABLE correction_drafts (
  referral_id INTEGER PRIMARY KEY REFERENCES referrals(id),
  supersedes INTEGER NOT NULL REFERENCES records(seq),
  reason TEXT NOT NULL,
  step TEXT NOT NULL,
  body TEXT NOT NULL,
  saved_at TEXT NOT NULL
) STRICT;
"#;

/// How the screen was left (privacy mode): not part of any record, never chained.
const M8: &str = "CREATE TABLE screen_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;";

/// References are unique as people read them (case and spaces aside), against the database as
/// within a file: each referral keeps its reference's key, indexed, so the check is a lookup.
/// Keys of referrals added before this migration are filled in on open (see `open::fill_keys`),
/// the key being computed in Rust (Unicode lower case), not by SQLite's ASCII-only `lower()`.
const M9: &str = r#"
ALTER TABLE referrals ADD COLUMN reference_key TEXT;
CREATE INDEX referrals_by_key ON referrals(reference_key);
"#;

/// Records from format 2 on keep the child's personal details apart from the rest of the record
/// (`personal`, JSON by JSON pointer), with a random salt; the chain hashes a salted digest of
/// them (`personal_digest`) instead of the details themselves, so after retention they can be
/// erased (set to NULL, with the salt) while the record and its hash stand. Format-1 records
/// (NULL), hashed with their details, are erased by rewriting their body after a linked
/// `erasure` record (which carries their hash and a digest of their erased content) has been
/// chained. The guard refuses every other update: the two erasures are the only changes it lets
/// through, with every other column as it was.
const M10: &str = r#"
ALTER TABLE records ADD COLUMN format INTEGER;
ALTER TABLE records ADD COLUMN personal_digest TEXT;
ALTER TABLE records ADD COLUMN personal TEXT;
ALTER TABLE records ADD COLUMN personal_salt TEXT;
DROP TRIGGER records_no_update;
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
  WHEN NOT (NEW.personal IS NULL AND NEW.personal_salt IS NULL
    AND NEW.seq IS OLD.seq
    AND NEW.kind IS OLD.kind
    AND NEW.referral_id IS OLD.referral_id
    AND NEW.session_id IS OLD.session_id
    AND NEW.supersedes IS OLD.supersedes
    AND NEW.correction_reason IS OLD.correction_reason
    AND NEW.recorded_at IS OLD.recorded_at
    AND NEW.recorded_by IS OLD.recorded_by
    AND NEW.decided_on IS OLD.decided_on
    AND NEW.reference IS OLD.reference
    AND NEW.outcome IS OLD.outcome
    AND NEW.base_score IS OLD.base_score
    AND NEW.final_score IS OLD.final_score
    AND NEW.indicated IS OLD.indicated
    AND NEW.departure IS OLD.departure
    AND NEW.disagreement IS OLD.disagreement
    AND NEW.inspector IS OLD.inspector
    AND NEW.looked_after IS OLD.looked_after
    AND NEW.age_at_offence IS OLD.age_at_offence
    AND NEW.sex IS OLD.sex
    AND NEW.ethnicity IS OLD.ethnicity
    AND NEW.offence IS OLD.offence
    AND NEW.offence_group IS OLD.offence_group
    AND NEW.offence_date IS OLD.offence_date
    AND NEW.referral_date IS OLD.referral_date
    AND NEW.victim_status IS OLD.victim_status
    AND NEW.previous_count IS OLD.previous_count
    AND NEW.synthetic IS OLD.synthetic
    AND NEW.prev_hash IS OLD.prev_hash
    AND NEW.hash IS OLD.hash
    AND NEW.format IS OLD.format
    AND NEW.personal_digest IS OLD.personal_digest
    AND ((OLD.format IS 2 AND NEW.body IS OLD.body)
      OR (OLD.format IS NULL AND OLD.kind IS 'decision' AND EXISTS (SELECT 1 FROM records e
        WHERE e.referral_id = OLD.referral_id AND e.kind = 'erasure' AND json_extract(e.body, '$.erases') = OLD.seq))))
  BEGIN SELECT RAISE(ABORT, 'recorded decisions are never edited: record a correction instead'); END;
"#;

/// The panel definition version each decision was made under, as a column of the covering index
/// (the board report counts decisions by it without reading a record body). Filled from each
/// decision's hashed body, which `verify` checks it against; the guard keeps it unchanged.
const M11: &str = r#"
ALTER TABLE records ADD COLUMN panel_version TEXT;
DROP TRIGGER records_no_update;
UPDATE records SET panel_version = json_extract(body, '$.panel_version') WHERE kind = 'decision';
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
  WHEN NOT (NEW.personal IS NULL AND NEW.personal_salt IS NULL
    AND NEW.seq IS OLD.seq
    AND NEW.kind IS OLD.kind
    AND NEW.referral_id IS OLD.referral_id
    AND NEW.session_id IS OLD.session_id
    AND NEW.supersedes IS OLD.supersedes
    AND NEW.correction_reason IS OLD.correction_reason
    AND NEW.recorded_at IS OLD.recorded_at
    AND NEW.recorded_by IS OLD.recorded_by
    AND NEW.decided_on IS OLD.decided_on
    AND NEW.reference IS OLD.reference
    AND NEW.outcome IS OLD.outcome
    AND NEW.base_score IS OLD.base_score
    AND NEW.final_score IS OLD.final_score
    AND NEW.indicated IS OLD.indicated
    AND NEW.departure IS OLD.departure
    AND NEW.disagreement IS OLD.disagreement
    AND NEW.inspector IS OLD.inspector
    AND NEW.looked_after IS OLD.looked_after
    AND NEW.age_at_offence IS OLD.age_at_offence
    AND NEW.sex IS OLD.sex
    AND NEW.ethnicity IS OLD.ethnicity
    AND NEW.offence IS OLD.offence
    AND NEW.offence_group IS OLD.offence_group
    AND NEW.offence_date IS OLD.offence_date
    AND NEW.referral_date IS OLD.referral_date
    AND NEW.victim_status IS OLD.victim_status
    AND NEW.previous_count IS OLD.previous_count
    AND NEW.synthetic IS OLD.synthetic
    AND NEW.prev_hash IS OLD.prev_hash
    AND NEW.hash IS OLD.hash
    AND NEW.format IS OLD.format
    AND NEW.personal_digest IS OLD.personal_digest
    AND NEW.panel_version IS OLD.panel_version
    AND ((OLD.format IS 2 AND NEW.body IS OLD.body)
      OR (OLD.format IS NULL AND OLD.kind IS 'decision' AND EXISTS (SELECT 1 FROM records e
        WHERE e.referral_id = OLD.referral_id AND e.kind = 'erasure' AND json_extract(e.body, '$.erases') = OLD.seq))))
  BEGIN SELECT RAISE(ABORT, 'recorded decisions are never edited: record a correction instead'); END;
DROP INDEX records_period;
CREATE INDEX records_period ON records(
  kind, decided_on, outcome, final_score, base_score, indicated, offence_group, disagreement, inspector,
  departure, looked_after, victim_status, previous_count, supersedes, age_at_offence, sex, ethnicity,
  offence_date, referral_date, synthetic, panel_version
);
"#;

/// Erasure after retention reaches every hashed text about an erased case: a correction's
/// reason, a format-2 record whose hashed body holds details (fields classed personal after it
/// was written), and scrutiny's observations on it. Each such record, of any kind or format, is
/// rewritten (its body and correction reason only, and its details dropped) once a linked
/// `erasure` record carrying its hash and a digest of its erased content has been chained after
/// it; verify accepts the change only through that link.
///
/// Two more index columns, filled from each decision's hashed body (verify checks them against
/// it, the guard keeps them): `victim_rj`, where restorative justice stood for a victim who
/// agreed to be contacted (KPI 10; `DecisionSnapshot::victim_rj`), and `assessed_on`, the date of
/// the YJS assessment (its timeliness). The board report counts both without reading a body.
const M12: &str = r#"
DROP TRIGGER records_no_update;
ALTER TABLE records ADD COLUMN victim_rj TEXT;
ALTER TABLE records ADD COLUMN assessed_on TEXT;
UPDATE records SET
  victim_rj = CASE WHEN json_extract(body, '$.case.victim.status') = 'contacted'
    AND coalesce(json_extract(body, '$.case.victim.consent_to_share'), 0)
    AND NOT coalesce(json_extract(body, '$.case.victim.wants_no_further_contact'), 0)
    THEN coalesce(json_extract(body, '$.case.victim.rj'), 'not-yet-offered') END,
  assessed_on = json_extract(body, '$.case.needs.assessed_on')
  WHERE kind = 'decision' AND json_valid(body);
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
  WHEN NOT (NEW.personal IS NULL AND NEW.personal_salt IS NULL
    AND NEW.seq IS OLD.seq
    AND NEW.kind IS OLD.kind
    AND NEW.referral_id IS OLD.referral_id
    AND NEW.session_id IS OLD.session_id
    AND NEW.supersedes IS OLD.supersedes
    AND NEW.recorded_at IS OLD.recorded_at
    AND NEW.recorded_by IS OLD.recorded_by
    AND NEW.decided_on IS OLD.decided_on
    AND NEW.reference IS OLD.reference
    AND NEW.outcome IS OLD.outcome
    AND NEW.base_score IS OLD.base_score
    AND NEW.final_score IS OLD.final_score
    AND NEW.indicated IS OLD.indicated
    AND NEW.departure IS OLD.departure
    AND NEW.disagreement IS OLD.disagreement
    AND NEW.inspector IS OLD.inspector
    AND NEW.looked_after IS OLD.looked_after
    AND NEW.age_at_offence IS OLD.age_at_offence
    AND NEW.sex IS OLD.sex
    AND NEW.ethnicity IS OLD.ethnicity
    AND NEW.offence IS OLD.offence
    AND NEW.offence_group IS OLD.offence_group
    AND NEW.offence_date IS OLD.offence_date
    AND NEW.referral_date IS OLD.referral_date
    AND NEW.victim_status IS OLD.victim_status
    AND NEW.previous_count IS OLD.previous_count
    AND NEW.synthetic IS OLD.synthetic
    AND NEW.prev_hash IS OLD.prev_hash
    AND NEW.hash IS OLD.hash
    AND NEW.format IS OLD.format
    AND NEW.personal_digest IS OLD.personal_digest
    AND NEW.panel_version IS OLD.panel_version
    AND NEW.victim_rj IS OLD.victim_rj
    AND NEW.assessed_on IS OLD.assessed_on
    AND ((OLD.format IS 2 AND NEW.body IS OLD.body AND NEW.correction_reason IS OLD.correction_reason)
      OR EXISTS (SELECT 1 FROM records e
        WHERE e.kind = 'erasure' AND e.seq > OLD.seq AND json_extract(e.body, '$.erases') = OLD.seq)))
  BEGIN SELECT RAISE(ABORT, 'recorded decisions are never edited: record a correction instead'); END;
DROP INDEX records_period;
CREATE INDEX records_period ON records(
  kind, decided_on, outcome, final_score, base_score, indicated, offence_group, disagreement, inspector,
  departure, looked_after, victim_status, previous_count, supersedes, age_at_offence, sex, ethnicity,
  offence_date, referral_date, synthetic, panel_version, victim_rj, assessed_on
);
"#;

/// The open follow-up tasks, a cache of what `domain::task_board` derives from the chain (never
/// evidence: the board screen and `jdp tasks` derive it afresh), so the queue can count overdue
/// tasks without reading every decision. `meta.open_tasks_head` says which record it is current
/// to; the records after it name the referrals to derive again (see `store::tasks`).
const M13: &str = r#"
CREATE TABLE open_tasks (
  referral_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  decision INTEGER NOT NULL,
  due TEXT NOT NULL,
  PRIMARY KEY (referral_id, kind)
);
CREATE INDEX open_tasks_by_due ON open_tasks(due);
"#;

/// Each draft version names who saved it, so a screen refused because another saved the case
/// meanwhile can say by whom ("changed by NAME at 14:02").
const M14: &str = r#"
ALTER TABLE drafts ADD COLUMN saved_by TEXT NOT NULL DEFAULT '';
"#;

/// A correction in progress is versioned like a draft and names who saved it, so two chairs
/// correcting one decision from two screens never overwrite each other.
const M15: &str = r#"
ALTER TABLE correction_drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE correction_drafts ADD COLUMN saved_by TEXT NOT NULL DEFAULT '';
"#;

/// What verify expects of a decision's index columns, from its hashed body: the same
/// expressions M11 and M12 filled them with (a test holds them to the migrations' text).
pub const INDEX_COLUMNS_FROM_BODY: &str = "panel_version IS json_extract(body, '$.panel_version')
  AND victim_rj IS CASE WHEN json_extract(body, '$.case.victim.status') = 'contacted'
    AND coalesce(json_extract(body, '$.case.victim.consent_to_share'), 0)
    AND NOT coalesce(json_extract(body, '$.case.victim.wants_no_further_contact'), 0)
    THEN coalesce(json_extract(body, '$.case.victim.rj'), 'not-yet-offered') END
  AND assessed_on IS json_extract(body, '$.case.needs.assessed_on')";

/// In order; the position of each (from 1) is the schema version it brings the file to.
pub const MIGRATIONS: &[&str] = &[M1, M2, M3, M4, M5, M6, M7, M8, M9, M10, M11, M12, M13, M14, M15];

/// The guards verify insists on: the triggers that keep records and the access log append-only.
pub const GUARDS: &[(&str, &str)] = &[
    ("records_no_update", "BEFORE UPDATE ON records"),
    ("records_no_delete", "BEFORE DELETE ON records"),
    ("access_log_no_update", "BEFORE UPDATE ON access_log"),
    ("access_log_no_delete", "BEFORE DELETE ON access_log"),
];

/// A guard's statement exactly as the newest migration that made it did, with whitespace made
/// single spaces.
pub fn guard_sql(name: &str) -> Option<String> {
    newest_statement(MIGRATIONS.iter().copied(), &format!("CREATE TRIGGER {name} "), "END;")
}

/// Text with its whitespace made single spaces.
pub(crate) fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The statement that begins `start`, to the first `until` after it (its closing `;` left off),
/// as the newest of `migrations` holding it wrote it, in `words`: what either backend's verify
/// holds a guard to.
pub(crate) fn newest_statement<'a>(
    migrations: impl DoubleEndedIterator<Item = &'a str>,
    start: &str,
    until: &str,
) -> Option<String> {
    migrations.rev().find_map(|m| {
        let from = m.find(start)?;
        let end = from + m[from..].find(until)? + until.len() - 1;
        Some(words(&m[from..end]))
    })
}

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

#[cfg(test)]
mod tests {
    use super::words;

    /// Verify checks each index column with the expression the migration filled it with: were
    /// they to differ, a store migrated in place would fail verify (or a forged column pass).
    #[test]
    fn verify_derives_the_index_columns_as_the_migrations_filled_them() {
        let expect = words(super::INDEX_COLUMNS_FROM_BODY);
        let case = &expect[expect.find("CASE").unwrap()..expect.find("END").unwrap() + 3];
        assert!(words(super::M12).contains(&format!("victim_rj = {case}")), "{case}");
        assert!(words(super::M12).contains("assessed_on = json_extract(body, '$.case.needs.assessed_on')"));
        assert!(expect.contains("assessed_on IS json_extract(body, '$.case.needs.assessed_on')"));
        assert!(words(super::M11).contains("panel_version = json_extract(body, '$.panel_version')"));
        assert!(expect.contains("panel_version IS json_extract(body, '$.panel_version')"));
    }
}
