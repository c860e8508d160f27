-- jdp's store on PostgreSQL, migration 7: each decision as a scrutiny panel reads it.
--
-- A scrutiny login may read no decision's body, referral or reference (migration 2), so what
-- it reviews is kept beside each decision, written in the same transaction as the record by
-- whoever records it (and by `jdp copy` and `jdp server init` for decisions that arrived
-- without it): the case anonymised by jdp's one builder (`report::case_view::anonymised`),
-- every field the scrutiny screen and papers show a reviewer and nothing else. Like a record,
-- it is never edited or deleted.

CREATE TABLE scrutiny_cases (
  seq BIGINT PRIMARY KEY REFERENCES records(seq),
  anonymised TEXT NOT NULL
);
CREATE TRIGGER scrutiny_cases_no_update BEFORE UPDATE ON scrutiny_cases FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('an anonymised case is never edited: record a correction instead');
CREATE TRIGGER scrutiny_cases_no_delete BEFORE DELETE ON scrutiny_cases FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('an anonymised case is never deleted');
CREATE TRIGGER scrutiny_cases_no_truncate BEFORE TRUNCATE ON scrutiny_cases FOR EACH STATEMENT
  EXECUTE FUNCTION jdp_refuse('an anonymised case is never deleted');

-- A server made ready by an older jdp (`jdp server init`) gives its roles their part at once.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jdp_chair') THEN
    GRANT SELECT, INSERT ON scrutiny_cases TO jdp_chair, jdp_admin;
    GRANT SELECT ON scrutiny_cases TO jdp_member, jdp_scrutiny;
  END IF;
END $$;
