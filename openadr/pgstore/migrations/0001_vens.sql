-- One row per registered VEN: its whole state as openadr.MarshalVENState
-- encodes it, with the two keys the VTN looks VENs up by.
CREATE TABLE vens (
	ven_id          TEXT PRIMARY KEY,
	registration_id TEXT UNIQUE,
	state           BYTEA NOT NULL
);
