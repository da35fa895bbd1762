package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of a production restore, as it happens, so that the stanza's history tells what was
 * done to production even when the restore itself fails or the executor dies half way.
 *
 * @param note what the step did, for a person (a path, a label, a WAL position)
 */
public record RestoreProgress(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt,
        @Required Step step, String note) implements BackupEvent {

    /** The steps of a production restore, in order. */
    public enum Step {

        /** The request carried a valid nonce, now used. */
        CONFIRMED,
        /** An incremental backup of the running cluster, when moving aside would not fit. */
        EMERGENCY_BACKUP,
        /** PostgreSQL stopped, and checked to be stopped. */
        STOPPED,
        /** WAL segments still waiting in pg_wal pushed to the repository. */
        WAL_ARCHIVED,
        /** The data directory renamed aside. */
        MOVED_ASIDE,
        /** pgbackrest restore finished. */
        RESTORED,
        /** PostgreSQL started on the restored data. */
        STARTED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public static RestoreProgress of(RestoreRequested r, String executorId, Step step, String note) {
        return new RestoreProgress(SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreProgress-" + step.name()),
                r.requestId(), r.stanza(), executorId, Instant.now(), step, note);
    }

    @Override
    public EventCategory category() {
        return EventCategory.PROGRESS;
    }

    @Override
    public String detail() {
        return step.wire();
    }

    @Override
    public Subject subject() {
        return Subject.RESTORE;
    }
}
