-- Restore drills: fired once per (stanza, planned minute) like backups, and after N backups.
CREATE TABLE drill_fire (
    stanza     text        NOT NULL,
    planned_at timestamptz NOT NULL,
    request_id uuid        NOT NULL,
    fired_at   timestamptz NOT NULL,
    PRIMARY KEY (stanza, planned_at)
);

CREATE TABLE drill_counter (
    stanza              text PRIMARY KEY,
    backups_since_drill integer NOT NULL
);

-- Backup events already counted (the counter is an idempotent consumer too).
CREATE TABLE counted_event (
    event_id uuid PRIMARY KEY
);

-- The outbox now carries restore requests as well.
ALTER TABLE request_outbox ADD COLUMN topic text NOT NULL DEFAULT 'backup.requests';

-- The latest event about each tracked request, for GET /requests/{id}.
ALTER TABLE tracked_request ADD COLUMN last_event_type text;
ALTER TABLE tracked_request ADD COLUMN last_event text;
