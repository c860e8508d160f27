-- jdp's store on PostgreSQL, migration 15: a scrutiny login signs heads but does not read them.
--
-- The screen signs the head after each decision, so when a head was signed says the day the
-- decision at it was made, which scrutiny never sees (migration 14). A scrutiny login only adds
-- its signatures (after a sample); checking them is for the logins that read the records.

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jdp_scrutiny') THEN
    REVOKE SELECT ON signatures FROM jdp_scrutiny;
  END IF;
END $$;
