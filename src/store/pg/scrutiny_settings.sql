-- jdp's store on PostgreSQL, migration 8: a scrutiny login keeps its own screen settings.
--
-- The scrutiny screen has privacy mode and a sort order like the panel screen; each login's
-- settings are its own (the row-level policy of migration 5), and hold nothing of a case.

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jdp_scrutiny') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON screen_settings TO jdp_scrutiny;
  END IF;
END $$;
