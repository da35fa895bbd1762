-- The platform's tables (outbox, processed_event), as in every service.
-- The transactional outbox: rows written in the caller's transaction, sent by the relay after
-- the commit, deleted once the broker acknowledged them. payload NULL is a tombstone.
CREATE TABLE outbox (
    id            bigserial   PRIMARY KEY,
    topic         text        NOT NULL,
    record_key    text,
    payload       text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    claimed_by    text
);
CREATE INDEX outbox_key ON outbox (topic, record_key, id);

-- Idempotent consumers: an event id is recorded in the transaction that handled it.
CREATE TABLE processed_event (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_event_age ON processed_event (processed_at);

-- Health changes still waiting in the old outbox move to the platform's, in their order.
INSERT INTO outbox (topic, record_key, payload, created_at)
SELECT 'backup.health', record_key, payload, created_at FROM health_outbox ORDER BY id;
DROP TABLE health_outbox;

-- The scheduler's plan of each stanza (backup.schedules): what the schedule rules check against.
CREATE TABLE stanza_plan (
    stanza      text PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    payload     text        NOT NULL
);

CREATE INDEX stored_event_received ON stored_event (received_at);
