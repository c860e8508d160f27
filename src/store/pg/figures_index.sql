-- jdp's store on PostgreSQL, migration 9: the board report's and sampling's reads from an index.
--
-- The board report reads a period's decisions (five quarters with its trends), and sampling
-- the same period through `scrutiny_decisions`. A decision record is wide (its body and
-- personal details), and the period's records lie on as many pages as it has decisions; the
-- file store reads them from a covering index instead. This is the same: every column either
-- read needs, in decision-date order (byte order, as the report sorts), for decisions only, so
-- both are one index-only range scan.

CREATE INDEX records_figures ON records (decided_on COLLATE "C")
  INCLUDE (seq, final_score, base_score, outcome, indicated, departure, disagreement, supersedes, ethnicity, sex,
           age_at_offence, offence_date, referral_date, panel_version, victim_rj, assessed_on, offence_group,
           looked_after, victim_status, previous_count)
  WHERE kind = 'decision';
