CREATE TABLE stored_event (
    event_id    uuid PRIMARY KEY,
    request_id  uuid,
    stanza      text,
    type        text        NOT NULL,
    executor_id text,
    occurred_at timestamptz,
    received_at timestamptz NOT NULL,
    payload     text        NOT NULL
);
CREATE INDEX stored_event_request ON stored_event (request_id);
CREATE INDEX stored_event_stanza ON stored_event (stanza, occurred_at);

CREATE TABLE stanza_state (
    stanza                        text PRIMARY KEY,
    first_seen_at                 timestamptz NOT NULL,
    last_success_at               timestamptz,
    last_success_label            text,
    last_success_type             text,
    last_success_duration_seconds double precision,
    last_success_repo_size        bigint,
    last_attempt_at               timestamptz,
    last_attempt_request_id       uuid,
    last_outcome                  text,
    last_error_code               text,
    last_error_reason             text,
    last_executor_id              text
);
