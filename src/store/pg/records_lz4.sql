-- jdp's store on PostgreSQL, migration 12: records' bodies and the details kept apart are
-- compressed with lz4 where the server has it (PostgreSQL 14 and later built with lz4, as
-- Debian's is) rather than the default pglz: `jdp verify` reads every body, and undoing pglz was
-- the server's largest part of that work. Values written from now on are compressed so; a
-- server without lz4 keeps pglz, and nothing else changes.
DO $$ BEGIN
  EXECUTE 'ALTER TABLE records ALTER COLUMN body SET COMPRESSION lz4';
  EXECUTE 'ALTER TABLE records ALTER COLUMN personal SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
