-- jdp's store on PostgreSQL, migration 1: the same tables as the SQLite store's (see
-- src/store/schema.rs), with the same guards. Integers are BIGINT and hashes BYTEA, so every
-- hashed value reads back exactly as it was hashed. Never edit a shipped migration: add one.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES
  ('head_seq', '0'),
  ('head_hash', '0000000000000000000000000000000000000000000000000000000000000000'),
  ('synthetic', '0'),
  ('access_chained_after', '0'),
  ('access_head', '0:0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE panel_sessions (
  id BIGSERIAL PRIMARY KEY,
  held_on TEXT NOT NULL,
  members TEXT NOT NULL,
  apologies TEXT NOT NULL,
  observers TEXT NOT NULL,
  created_at TEXT NOT NULL,
  chair TEXT NOT NULL DEFAULT ''
);

CREATE TABLE referrals (
  id BIGSERIAL PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  age_at_offence BIGINT NOT NULL,
  offence TEXT NOT NULL,
  offence_date TEXT NOT NULL,
  referral_date TEXT NOT NULL,
  synthetic BOOLEAN NOT NULL DEFAULT false,
  body TEXT NOT NULL,
  added_at TEXT NOT NULL,
  reference_key TEXT UNIQUE
);
CREATE INDEX referrals_by_date ON referrals(referral_date DESC, id DESC);

CREATE TABLE drafts (
  referral_id BIGINT PRIMARY KEY REFERENCES referrals(id),
  step TEXT NOT NULL,
  body TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE records (
  seq BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  referral_id BIGINT REFERENCES referrals(id),
  session_id BIGINT REFERENCES panel_sessions(id),
  supersedes BIGINT REFERENCES records(seq),
  correction_reason TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  decided_on TEXT,
  reference TEXT,
  outcome TEXT,
  base_score BIGINT,
  final_score BIGINT,
  indicated TEXT,
  departure BIGINT,
  disagreement BIGINT,
  inspector BIGINT,
  looked_after BIGINT,
  age_at_offence BIGINT,
  sex TEXT,
  ethnicity TEXT,
  offence TEXT,
  offence_group TEXT,
  offence_date TEXT,
  referral_date TEXT,
  victim_status TEXT,
  previous_count BIGINT,
  synthetic BIGINT NOT NULL,
  body TEXT NOT NULL,
  prev_hash BYTEA NOT NULL,
  hash BYTEA NOT NULL,
  format BIGINT,
  personal_digest TEXT,
  personal TEXT,
  personal_salt TEXT,
  panel_version TEXT,
  victim_rj TEXT,
  assessed_on TEXT
);
CREATE INDEX records_kind_decided ON records(kind, decided_on);
CREATE INDEX records_supersedes ON records(supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX records_referral ON records(referral_id);

CREATE TABLE access_log (
  id BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  settings TEXT,
  prev_hash BYTEA,
  hash BYTEA
);

-- The guards: nothing recorded is ever edited or removed, whoever asks.
CREATE FUNCTION jdp_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER records_no_update BEFORE UPDATE ON records FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('recorded decisions are never edited: record a correction instead');
CREATE TRIGGER records_no_delete BEFORE DELETE ON records FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('recorded decisions are never deleted');
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records FOR EACH STATEMENT
  EXECUTE FUNCTION jdp_refuse('recorded decisions are never deleted');
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('the access log is append-only');
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('the access log is append-only');
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT
  EXECUTE FUNCTION jdp_refuse('the access log is append-only');

-- Identity is the database login: a record or access-log entry names the user who wrote it,
-- never a name the client chose.
CREATE FUNCTION jdp_recorded_by_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.recorded_by IS DISTINCT FROM session_user::text THEN
    RAISE EXCEPTION 'a record names the database user who recorded it (%)', session_user USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION jdp_actor_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor IS DISTINCT FROM session_user::text THEN
    RAISE EXCEPTION 'an access-log entry names the database user who made it (%)', session_user USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER records_by_login BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION jdp_recorded_by_is_login();
CREATE TRIGGER access_log_by_login BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION jdp_actor_is_login();

CREATE TABLE correction_drafts (
  referral_id BIGINT PRIMARY KEY REFERENCES referrals(id),
  supersedes BIGINT NOT NULL REFERENCES records(seq),
  reason TEXT NOT NULL,
  step TEXT NOT NULL,
  body TEXT NOT NULL,
  saved_at TEXT NOT NULL
);

CREATE TABLE signatures (
  id BIGSERIAL PRIMARY KEY,
  head_seq BIGINT NOT NULL,
  head_hash TEXT NOT NULL,
  access_head TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_at TEXT NOT NULL
);
