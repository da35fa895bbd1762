package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to back up one stanza. {@code backupType} is kept as the text that was sent so that
 * an invalid value can be echoed back in the {@link BackupFailed} that answers it.
 *
 * @param requestedAt optional: when the requester asked
 * @param requestedBy optional: who or what asked (a schedule name, a user)
 * @param schedule optional: the schedule that fired (full, diff, incr), null for on-demand requests
 * @param plannedAt optional: the fire time the schedule planned (a catch-up fires later than planned)
 */
public record BackupRequested(int schemaVersion, @Required UUID requestId, @Required String stanza,
        @Required String backupType, Instant requestedAt, String requestedBy, String schedule, Instant plannedAt)
        implements
            BackupEvent {

    /** An on-demand request. */
    public static BackupRequested of(String stanza, BackupType type, String requestedBy) {
        return new BackupRequested(SCHEMA_VERSION, UUID.randomUUID(), stanza, type.wire(), Instant.now(),
                requestedBy, null, null);
    }

    @Override
    public Instant occurredAt() {
        return requestedAt;
    }

    @Override
    public EventCategory category() {
        return EventCategory.REQUEST;
    }

    @Override
    public String detail() {
        return BackupType.fromWire(backupType).map(BackupType::wire).orElse(null);
    }

    @Override
    public Subject subject() {
        return Subject.BACKUP;
    }
}
