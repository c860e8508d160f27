-- jdp's store on PostgreSQL, migration 2: what the people and roles need of the schema.
--
-- The pseudonym key is made by the server (two random UUIDs hashed), so no login ever needs
-- to write it, and each access-log entry's settings digest is computed by the server from the
-- settings (the same bytes as `store::access::settings_digest_of`), so a login that may not read
-- the pseudonym key (scrutiny) can still chain its access-log entries. The meta table keeps
-- its rows apart by row-level security: the chain anchors may be updated by the roles that
-- write, nothing else, and the pseudonym key is read only by the roles that export.

INSERT INTO meta (key, value)
  VALUES ('pseudonym_key', encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'))
  ON CONFLICT (key) DO NOTHING;

CREATE FUNCTION jdp_settings_digest() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT encode(sha256(
    convert_to('synthetic', 'UTF8') || '\x00'::bytea
      || convert_to(coalesce((SELECT value FROM meta WHERE key = 'synthetic'), ''), 'UTF8') || '\x00'::bytea
      || convert_to('training', 'UTF8') || '\x00'::bytea
      || convert_to(coalesce((SELECT value FROM meta WHERE key = 'training'), ''), 'UTF8') || '\x00'::bytea
      || convert_to('pseudonym_key', 'UTF8') || '\x00'::bytea
      || convert_to(coalesce((SELECT value FROM meta WHERE key = 'pseudonym_key'), ''), 'UTF8') || '\x00'::bytea
  ), 'hex')
$$;

-- Whether the login is in a jdp role (false where `jdp server init` has not made the roles).
CREATE FUNCTION jdp_in_role(role_name text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = role_name AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;

-- The table's owner (who ran `jdp server init`) is not subject to these policies.
ALTER TABLE meta ENABLE ROW LEVEL SECURITY;
CREATE POLICY meta_read ON meta FOR SELECT USING (
  key <> 'pseudonym_key' OR jdp_in_role('jdp_chair') OR jdp_in_role('jdp_admin')
);
CREATE POLICY meta_anchors ON meta FOR UPDATE USING (key IN ('head_seq', 'head_hash', 'access_head'));

-- What a scrutiny panel sees of a decision: no name, no date of birth, no reference, no
-- rationale or other free text, no dates that single a child out.
CREATE VIEW scrutiny_decisions AS
  SELECT seq, decided_on, outcome, base_score, final_score, indicated, departure, disagreement, inspector,
         looked_after, age_at_offence, sex, ethnicity, offence, offence_group, victim_status, previous_count,
         supersedes, panel_version, victim_rj, synthetic, hash
  FROM records WHERE kind = 'decision';
