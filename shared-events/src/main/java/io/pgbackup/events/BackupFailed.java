package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A request ended without a backup.
 *
 * @param executorId the executor that tried, or null when the coordinator answered (invalid request,
 *        no executor)
 * @param requestedType the backupType as sent, possibly invalid
 * @param errorCode pgBackRest's exit code as digits ("56"), or a named code from {@link FailureCodes}
 * @param pgbackrestExitCode pgBackRest's exit code when pgBackRest ran, else null
 * @param reason one or two sentences for a person
 * @param retryable whether sending the same request again can succeed without someone changing something
 */
public record BackupFailed(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String requestedType, String errorCode, Integer pgbackrestExitCode, String reason,
        boolean retryable) implements BackupEvent {

    @Override
    public boolean terminal() {
        return true;
    }
}
