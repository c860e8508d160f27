-- jdp's store on PostgreSQL, migration 10: signed heads are kept as the records are. A
-- signature removed or altered would hide that a head was signed; none is ever edited or
-- removed, whoever asks (the roles may only insert and select them besides).
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('signed heads are never edited');
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures FOR EACH ROW
  EXECUTE FUNCTION jdp_refuse('signed heads are never removed');
CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON signatures FOR EACH STATEMENT
  EXECUTE FUNCTION jdp_refuse('signed heads are never removed');
