-- Events already handled (idempotent consumer), by event id.
CREATE TABLE processed_event (
    event_id    uuid PRIMARY KEY,
    received_at timestamptz NOT NULL
);

-- One row per condition (stanza + kind), open while the problem lasts.
CREATE TABLE alert_condition (
    condition_key        text PRIMARY KEY,
    stanza               text        NOT NULL,
    kind                 text        NOT NULL,
    state                text        NOT NULL,
    opened_at            timestamptz NOT NULL,
    last_seen_at         timestamptz NOT NULL,
    occurrences          integer     NOT NULL,
    notified_occurrences integer     NOT NULL,
    last_notified_at     timestamptz,
    last_reason          text
);

-- Every alert decided, with what it says; the sent-alert history.
CREATE TABLE alert (
    id            bigserial PRIMARY KEY,
    condition_key text        NOT NULL,
    stanza        text        NOT NULL,
    kind          text        NOT NULL,
    severity      text        NOT NULL,
    title         text        NOT NULL,
    reason        text        NOT NULL,
    hint          text        NOT NULL,
    occurrences   integer     NOT NULL,
    occurred_at   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL
);

-- The outbox: one message to one channel, carrying one or more alerts (a burst is grouped).
CREATE TABLE delivery (
    id              bigserial PRIMARY KEY,
    channel         text        NOT NULL,
    recipients      text,
    state           text        NOT NULL,
    attempts        integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    group_until     timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    sent_at         timestamptz,
    last_error      text,
    fallback_of     bigint
);
CREATE INDEX delivery_due ON delivery (state, next_attempt_at);

CREATE TABLE delivery_alert (
    delivery_id bigint NOT NULL REFERENCES delivery (id),
    alert_id    bigint NOT NULL REFERENCES alert (id),
    PRIMARY KEY (delivery_id, alert_id)
);
