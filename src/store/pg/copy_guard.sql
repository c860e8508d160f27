-- jdp's store on PostgreSQL, migration 3: `jdp copy` moves a file store's history to the
-- server as it is, each record and access-log entry still naming who made it. Only the
-- database's owner may (the owner could switch the guards off anyway, and verify would say so),
-- only inside a transaction that says it is copying.

CREATE OR REPLACE FUNCTION jdp_copying(rel oid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('jdp.copying', true), '') = 'on'
     AND pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = rel), 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION jdp_recorded_by_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.recorded_by IS DISTINCT FROM session_user::text AND NOT jdp_copying(TG_RELID) THEN
    RAISE EXCEPTION 'a record names the database user who recorded it (%)', session_user USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION jdp_actor_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor IS DISTINCT FROM session_user::text AND NOT jdp_copying(TG_RELID) THEN
    RAISE EXCEPTION 'an access-log entry names the database user who made it (%)', session_user USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
