-- jdp's store on PostgreSQL, migration 13: a correction in progress is versioned like a draft,
-- so two chairs correcting one decision from two workstations never overwrite each other: a
-- save names the version it read, and the later of two is refused and asked.
ALTER TABLE correction_drafts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
