-- jdp's store on PostgreSQL, migration 11: erasure after retention, the one sanctioned change
-- to a record, as on a file (the SQLite store's guard, its migration 12). A record's details
-- kept apart (format 2) may be dropped, and nothing else changed; a record's body and
-- correction reason may be rewritten, its details dropped with them, only once a linked
-- `erasure` record for it is chained after it (verify accepts the change through that link
-- alone). Every other update is refused, whoever asks. No role may update records at all: the
-- panel's owner erases.
CREATE FUNCTION jdp_records_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kept records := NEW;
BEGIN
  kept.body := OLD.body;
  kept.correction_reason := OLD.correction_reason;
  kept.personal := OLD.personal;
  kept.personal_salt := OLD.personal_salt;
  IF NEW.personal IS NULL AND NEW.personal_salt IS NULL AND kept IS NOT DISTINCT FROM OLD
     AND ((OLD.format = 2 AND NEW.body IS NOT DISTINCT FROM OLD.body
           AND NEW.correction_reason IS NOT DISTINCT FROM OLD.correction_reason)
       OR EXISTS (SELECT 1 FROM records e WHERE e.kind = 'erasure' AND e.seq > OLD.seq
                    AND (e.body::jsonb ->> 'erases')::bigint = OLD.seq)) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'recorded decisions are never edited: record a correction instead' USING ERRCODE = 'restrict_violation';
END $$;
DROP TRIGGER records_no_update ON records;
CREATE TRIGGER records_no_update BEFORE UPDATE ON records FOR EACH ROW EXECUTE FUNCTION jdp_records_erasure_only();

-- What a scrutiny panel reads of an erased decision is made again from what is left of it, in
-- the erasure's transaction: its kept anonymised case may be replaced once an erasure in the
-- access log names the record, and never otherwise.
CREATE FUNCTION jdp_scrutiny_case_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq = OLD.seq AND EXISTS (SELECT 1 FROM access_log a WHERE a.action = 'erase after retention'
       AND OLD.seq::text = ANY (string_to_array(replace(split_part(a.target, ';', 1), 'records ', ''), ','))) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'an anonymised case is never edited: record a correction instead' USING ERRCODE = 'restrict_violation';
END $$;
DROP TRIGGER scrutiny_cases_no_update ON scrutiny_cases;
CREATE TRIGGER scrutiny_cases_no_update BEFORE UPDATE ON scrutiny_cases FOR EACH ROW
  EXECUTE FUNCTION jdp_scrutiny_case_erasure_only();
