-- The platform's processed_event replaces this service's own (same purpose, one shape for all).
ALTER TABLE processed_event RENAME TO processed_event_old;

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

INSERT INTO processed_event (consumer, event_id, processed_at)
SELECT 'notifier', event_id, received_at FROM processed_event_old;
DROP TABLE processed_event_old;

-- Settled deliveries are pruned after the retained history; their links to alerts go with them.
ALTER TABLE delivery_alert DROP CONSTRAINT delivery_alert_delivery_id_fkey;
ALTER TABLE delivery_alert ADD CONSTRAINT delivery_alert_delivery_id_fkey
    FOREIGN KEY (delivery_id) REFERENCES delivery (id) ON DELETE CASCADE;
CREATE INDEX delivery_alert_alert ON delivery_alert (alert_id);
CREATE INDEX alert_created ON alert (created_at);
CREATE INDEX delivery_created ON delivery (created_at);
