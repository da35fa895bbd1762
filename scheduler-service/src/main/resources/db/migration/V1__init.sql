CREATE TABLE tracked_request (
    request_id   uuid PRIMARY KEY,
    stanza       text,
    backup_type  text,
    state        text        NOT NULL,
    published_at timestamptz,
    claimed_by   text,
    answer_sent  boolean     NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX tracked_request_pending ON tracked_request (state, published_at);
