-- jdp's store on PostgreSQL, migration 5: the panel screen on a server, from several
-- workstations at once.
--
-- Each draft version names the login that saved it (set by the server, never by the client),
-- so a workstation refused because another saved the case meanwhile can say by whom. Each
-- login keeps its own screen settings (privacy mode, where a walk was left, a new referral not
-- yet complete enough to store): one desk's privacy mode never switches another's.

ALTER TABLE drafts ADD COLUMN saved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE correction_drafts ADD COLUMN saved_by TEXT NOT NULL DEFAULT '';

CREATE FUNCTION jdp_saved_by_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- `jdp copy` (the owner, copying) keeps who saved each draft in the file.
  IF NOT jdp_copying(TG_RELID) THEN
    NEW.saved_by := session_user::text;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER drafts_saved_by BEFORE INSERT OR UPDATE ON drafts FOR EACH ROW
  EXECUTE FUNCTION jdp_saved_by_login();
CREATE TRIGGER correction_drafts_saved_by BEFORE INSERT OR UPDATE ON correction_drafts FOR EACH ROW
  EXECUTE FUNCTION jdp_saved_by_login();

CREATE TABLE screen_settings (
  login TEXT NOT NULL DEFAULT session_user::text,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (login, key)
);
ALTER TABLE screen_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY screen_settings_own ON screen_settings
  USING (login = session_user::text) WITH CHECK (login = session_user::text);

-- A server made ready by an older jdp (`jdp server init`) lets the roles that use the panel
-- screen keep their settings at once.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jdp_chair') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON screen_settings TO jdp_chair, jdp_member, jdp_admin;
  END IF;
END $$;
