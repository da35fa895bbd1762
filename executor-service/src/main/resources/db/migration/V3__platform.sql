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

-- Events still waiting in the old outbox move to the platform's, in their order.
INSERT INTO outbox (topic, record_key, payload, created_at)
SELECT 'backup.events', record_key, payload, created_at FROM outbox_event ORDER BY id;
DROP TABLE outbox_event;

CREATE INDEX backup_job_finished ON backup_job (finished_at);
CREATE INDEX restore_job_finished ON restore_job (finished_at);
