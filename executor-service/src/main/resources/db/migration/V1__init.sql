CREATE TABLE backup_job (
    request_id   uuid PRIMARY KEY,
    stanza       text        NOT NULL,
    backup_type  text        NOT NULL,
    requested_by text,
    state        text        NOT NULL,
    received_at  timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    outcome      text
);
CREATE INDEX backup_job_state ON backup_job (state, received_at);

CREATE TABLE outbox_event (
    id          bigserial PRIMARY KEY,
    record_key  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL
);
