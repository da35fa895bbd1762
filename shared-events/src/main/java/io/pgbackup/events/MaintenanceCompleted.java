package io.pgbackup.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A maintenance task of one stanza succeeded. {@code requestId} identifies the maintenance run.
 *
 * @param summary one sentence for a person
 * @param expiredBackups expire: the backup labels removed, oldest first
 * @param walRemovedStart expire: first WAL segment removed, null when none
 * @param walRemovedStop expire: last WAL segment removed, null when none
 * @param filesRemoved logs: how many old log files were deleted
 */
public record MaintenanceCompleted(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt,
        @Required MaintenanceTask task, String summary, List<String> expiredBackups, String walRemovedStart,
        String walRemovedStop, Integer filesRemoved) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.SUCCESS;
    }

    @Override
    public String detail() {
        return task.wire();
    }

    @Override
    public Subject subject() {
        return Subject.MAINTENANCE;
    }
}
