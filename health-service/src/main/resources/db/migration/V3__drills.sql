-- The latest restore drill (test restore) of each stanza; its history is in stored_event.
ALTER TABLE stanza_state ADD COLUMN last_drill_at timestamptz;
ALTER TABLE stanza_state ADD COLUMN last_drill_outcome text;
ALTER TABLE stanza_state ADD COLUMN last_drill_rto_seconds double precision;
ALTER TABLE stanza_state ADD COLUMN last_drill_reason text;
