package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/** The executor has started pgbackrest for this request. */
public record BackupStarted(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt, BackupType backupType)
        implements
            BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.PROGRESS;
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
