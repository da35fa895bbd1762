package io.pgbackup.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A maintenance task of one stanza failed, or verify found damage (pgbackrest verify exits 0
 * even then: the executor reads its output).
 *
 * @param errorCode pgbackrest's exit code as digits, or VERIFY_ERRORS, TIMEOUT, EXECUTION_ERROR
 * @param reason for a person
 * @param invalidFiles verify: the repository files that failed their checksum or are missing
 */
public record MaintenanceFailed(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt,
        @Required MaintenanceTask task, @Required String errorCode, Integer pgbackrestExitCode,
        @Required String reason, boolean retryable, List<String> invalidFiles) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.FAILURE;
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
