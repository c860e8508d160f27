-- jdp's store on PostgreSQL, migration 14: scrutiny sees the month a decision was made, never
-- its day.
--
-- With the offence and the age, the day a decision was made identifies a child; the anonymised
-- case gives the month only, and so now does `scrutiny_decisions`. Sampling reads a period's
-- decisions by whole months through `scrutiny_decisions_in`, which takes months and nothing
-- finer (so no login can count the decisions of one day), and reads them in decision-date
-- order from the board report's index (migration 9) as before.

DROP VIEW scrutiny_decisions;
CREATE VIEW scrutiny_decisions AS
  SELECT seq, substr(decided_on, 1, 7) AS decided_in, outcome, base_score, final_score, indicated, departure,
         disagreement, inspector, looked_after, age_at_offence, sex, ethnicity, offence, offence_group,
         victim_status, previous_count, supersedes, panel_version, victim_rj, synthetic, hash
  FROM records WHERE kind = 'decision';

CREATE FUNCTION scrutiny_decisions_in(first_month text, last_month text)
  RETURNS TABLE (seq bigint, outcome text, base_score bigint, final_score bigint, offence_group text,
                 disagreement bigint, departure bigint, looked_after bigint, victim_status text,
                 previous_count bigint, supersedes bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
DECLARE
  after_last text;
BEGIN
  IF first_month IS NULL OR last_month IS NULL
     OR first_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' OR last_month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
    RAISE EXCEPTION 'decisions are read by whole months (YYYY-MM), never by day: % to %', first_month, last_month;
  END IF;
  after_last := to_char(to_date(last_month, 'YYYY-MM') + interval '1 month', 'YYYY-MM');
  RETURN QUERY
    SELECT r.seq, r.outcome, r.base_score, r.final_score, r.offence_group, r.disagreement, r.departure,
           r.looked_after, r.victim_status, r.previous_count, r.supersedes
    FROM records r
    WHERE r.kind = 'decision' AND r.decided_on COLLATE "C" >= first_month AND r.decided_on COLLATE "C" < after_last;
END $$;
REVOKE ALL ON FUNCTION scrutiny_decisions_in(text, text) FROM PUBLIC;

-- A server made ready by an older jdp (`jdp server init`) gives its roles their part at once.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jdp_chair') THEN
    GRANT SELECT ON scrutiny_decisions TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
    GRANT EXECUTE ON FUNCTION scrutiny_decisions_in(text, text) TO jdp_chair, jdp_member, jdp_scrutiny, jdp_admin;
  END IF;
END $$;
