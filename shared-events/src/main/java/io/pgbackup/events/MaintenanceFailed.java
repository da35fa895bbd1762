package io.pgbackup.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A maintenance task of one stanza failed, or verify found damage (pgbackrest verify exits 0
 * even then: the executor reads its output).
 *
 * @param task {@code expire}, {@code check}, {@code verify} or {@code logs}
 * @param errorCode pgbackrest's exit code as digits, or VERIFY_ERRORS, TIMEOUT, EXECUTION_ERROR
 * @param reason for a person
 * @param invalidFiles verify: the repository files that failed their checksum or are missing
 */
public record MaintenanceFailed(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String task, String errorCode, Integer pgbackrestExitCode, String reason,
        boolean retryable, List<String> invalidFiles) implements BackupEvent {

    @Override
    public boolean terminal() {
        return true;
    }
}
