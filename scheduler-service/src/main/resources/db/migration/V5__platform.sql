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

-- Scheduled requests still waiting in the old outbox move to the platform's, in their order.
INSERT INTO outbox (topic, record_key, payload, created_at)
SELECT topic, record_key, payload, created_at FROM request_outbox ORDER BY id;
DROP TABLE request_outbox;

-- The coordinator's answers now leave through the outbox in the transaction that decides them,
-- so there is nothing left to re-send. An answer decided but not yet sent is decided again (its
-- request is past the deadline, so the sweeper answers it at once, with the same event id).
UPDATE tracked_request SET state = 'PENDING' WHERE state = 'ANSWERED' AND NOT answer_sent;
ALTER TABLE tracked_request DROP COLUMN answer_sent;
CREATE INDEX tracked_request_updated ON tracked_request (updated_at);

-- Backups counted towards drills: the platform's processed_event does this for every consumer.
INSERT INTO processed_event (consumer, event_id, processed_at)
SELECT 'drill-counter', event_id, now() FROM counted_event;
DROP TABLE counted_event;

-- The stanzas whose plan is on backup.schedules, so a stanza taken out of the configuration
-- gets a tombstone.
CREATE TABLE published_plan (
    stanza       text PRIMARY KEY,
    published_at timestamptz NOT NULL
);
