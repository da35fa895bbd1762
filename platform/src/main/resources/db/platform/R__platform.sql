-- The platform's tables (outbox, processed_event): their one definition, for every service.
--
-- Why a repeatable migration: every service runs Flyway over its own db/migration and this folder
-- (the platform's default quarkus.flyway.locations), and the services' version sequences differ,
-- so no version number fits them all. Flyway runs a repeatable migration after every versioned one
-- and again whenever its text changes, and records it in the service's history, which an
-- afterMigrate callback would not. The services' older V-files (executor V3, health V5, notifier
-- V2, scheduler V5) already created these tables in this shape and moved their old rows in; they
-- are never edited, so on their databases this file finds the tables in place (it only renames
-- notifier's primary key, below), and on a new service's database it creates them.
--
-- To change a platform table, edit this file and keep every statement idempotent, as the ones
-- below: CREATE ... IF NOT EXISTS, ALTER TABLE ... ADD COLUMN IF NOT EXISTS, DROP ... IF EXISTS.
-- It then runs once more on every service's database, whatever that database holds. Never change a
-- service's V-file for it. A service's versioned migration cannot rely on a change made here in
-- the same release: it runs before this file does.

-- On the services' databases every CREATE below is skipped, and PostgreSQL's notice of each would
-- reach the service's log as a warning whenever this file runs. Until the end of this migration's
-- transaction only.
SET LOCAL client_min_messages = warning;

-- The transactional outbox: rows written in the caller's transaction, sent by the relay after
-- the commit, deleted once the broker acknowledged them. payload NULL is a tombstone.
CREATE TABLE IF NOT EXISTS outbox (
    id            bigserial   PRIMARY KEY,
    topic         text        NOT NULL,
    record_key    text,
    payload       text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    claimed_by    text
);
CREATE INDEX IF NOT EXISTS outbox_key ON outbox (topic, record_key, id);

-- Idempotent consumers: an event id is recorded in the transaction that handled it.
CREATE TABLE IF NOT EXISTS processed_event (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_event_age ON processed_event (processed_at);

-- notifier's V2 created processed_event while its old table still held the name
-- processed_event_pkey, so PostgreSQL named the new primary key processed_event_pkey1. One name in
-- every service lets a later change here refer to it.
DO $$
DECLARE
    current_name name;
BEGIN
    SELECT conname INTO current_name FROM pg_constraint
    WHERE conrelid = 'processed_event'::regclass AND contype = 'p';
    IF current_name <> 'processed_event_pkey' AND to_regclass('processed_event_pkey') IS NULL THEN
        EXECUTE format('ALTER TABLE processed_event RENAME CONSTRAINT %I TO processed_event_pkey', current_name);
    END IF;
END
$$;
