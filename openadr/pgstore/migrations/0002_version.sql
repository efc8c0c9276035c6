-- A row's version goes up with every write, so that a process can tell
-- whether the state it decoded earlier is still the stored one without
-- reading it again.
ALTER TABLE vens ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
