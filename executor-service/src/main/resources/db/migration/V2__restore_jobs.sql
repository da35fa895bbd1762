-- Restore requests this executor accepted; the row is written before the record is acked.
CREATE TABLE restore_job (
    request_id  uuid PRIMARY KEY,
    stanza      text        NOT NULL,
    request     text        NOT NULL,
    state       text        NOT NULL,
    received_at timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text
);
