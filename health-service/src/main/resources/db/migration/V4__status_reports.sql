-- Newest successful backup of each type, for the schedule-aware staleness rule.
ALTER TABLE stanza_state ADD COLUMN last_full_at timestamptz;
ALTER TABLE stanza_state ADD COLUMN last_diff_at timestamptz;
ALTER TABLE stanza_state ADD COLUMN last_incr_at timestamptz;
UPDATE stanza_state SET last_full_at = last_success_at WHERE last_success_type = 'full';
UPDATE stanza_state SET last_diff_at = last_success_at WHERE last_success_type = 'diff';
UPDATE stanza_state SET last_incr_at = last_success_at WHERE last_success_type = 'incr';

-- The maintenance task (check, verify, expire, logs) whose latest run failed, until it succeeds again.
ALTER TABLE stanza_state ADD COLUMN last_maintenance_failed_task text;
ALTER TABLE stanza_state ADD COLUMN last_maintenance_reason text;

-- The latest status report of each stanza's executor (topic backup.status).
CREATE TABLE stanza_report (
    stanza      text PRIMARY KEY,
    executor_id text,
    occurred_at timestamptz NOT NULL,
    payload     text        NOT NULL
);
