-- jdp's store on PostgreSQL, migration 6: what sampling and the board report read, for every
-- login alike.
--
-- A scrutiny panel draws its samples and reads its own reviews without any privilege on the
-- record bodies: the samples, ratings, reviews and action statuses it adds to the chain are
-- readable through `scrutiny_records` (those kinds only — never a decision's body, its
-- personal details or its reference). Sampling reads the decisions through the anonymised
-- `scrutiny_decisions` for every login, so the same seed draws the same sample whoever draws it.

CREATE VIEW scrutiny_records AS
  SELECT seq, kind, body FROM records WHERE kind IN ('sample', 'rating', 'review', 'action_status');

-- A server made ready by an older jdp (`jdp server init`) lets its roles read them at once.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jdp_chair') THEN
    GRANT SELECT ON scrutiny_records TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
    GRANT SELECT ON scrutiny_decisions TO jdp_chair, jdp_member, jdp_admin;
  END IF;
END $$;
