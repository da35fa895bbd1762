-- The status last published on backup.health per stanza, and the outbox that publishes changes.
ALTER TABLE stanza_state ADD COLUMN published_status text;

CREATE TABLE health_outbox (
    id         bigserial PRIMARY KEY,
    record_key text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);
