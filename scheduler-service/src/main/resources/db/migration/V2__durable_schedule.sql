-- One row per (stanza, planned fire time): the primary key is what makes a fire happen once,
-- across restarts and scheduler replicas.
CREATE TABLE schedule_fire (
    stanza      text        NOT NULL,
    planned_at  timestamptz NOT NULL,
    backup_type text        NOT NULL,
    request_id  uuid        NOT NULL,
    catch_up    boolean     NOT NULL,
    fired_at    timestamptz NOT NULL,
    PRIMARY KEY (stanza, planned_at)
);

-- Requests written with their fire row, published by the relay (FOR UPDATE SKIP LOCKED).
CREATE TABLE request_outbox (
    id         bigserial PRIMARY KEY,
    record_key text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);
