package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The request ends without a backup of its own because another request covers it: an identical
 * request of the same stanza was already waiting ({@code reason = "coalesced"}). Its outcome is
 * the outcome of {@code coalescedInto}.
 */
public record BackupSkipped(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt, BackupType backupType,
        @Required String reason, UUID coalescedInto) implements BackupEvent {

    public static final String COALESCED = "coalesced";

    @Override
    public EventCategory category() {
        return EventCategory.SKIPPED;
    }

    @Override
    public String detail() {
        return backupType == null ? null : backupType.wire();
    }

    @Override
    public Subject subject() {
        return Subject.BACKUP;
    }
}
