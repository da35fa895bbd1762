-- Two executors reporting for one stanza (configured for it on two hosts): the other executor, when
-- it last reported, and when reports last alternated between the two (both alive at once).
ALTER TABLE stanza_state ADD COLUMN other_executor_id text;
ALTER TABLE stanza_state ADD COLUMN other_executor_seen_at timestamptz;
ALTER TABLE stanza_state ADD COLUMN duplicate_seen_at timestamptz;
