-- jdp's store on PostgreSQL, migration 4: a scrutiny login adds to the chain only what a
-- scrutiny panel records — its samples, ratings, reviews and the status of its actions —
-- never a decision, a correction or an erasure.

CREATE FUNCTION jdp_scrutiny_records_its_own_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF jdp_in_role('jdp_scrutiny') AND NOT jdp_in_role('jdp_chair') AND NOT jdp_in_role('jdp_admin')
     AND NEW.kind NOT IN ('sample', 'rating', 'review', 'action_status') THEN
    RAISE EXCEPTION 'a scrutiny login records samples, ratings, reviews and action status only (not a %)', NEW.kind
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER records_scrutiny_kinds BEFORE INSERT ON records FOR EACH ROW
  EXECUTE FUNCTION jdp_scrutiny_records_its_own_kinds();
