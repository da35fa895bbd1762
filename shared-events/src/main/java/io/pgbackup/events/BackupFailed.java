package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A request ended without a backup.
 *
 * @param executorId the executor that tried, or null when the coordinator answered
 * @param requestedType the backupType as sent, possibly invalid
 * @param errorCode pgBackRest's exit code as digits ("56"), or a named code (docs/errors.md)
 * @param pgbackrestExitCode pgBackRest's exit code when pgBackRest ran, else null
 * @param reason one or two sentences for a person
 * @param retryable whether sending the same request again can succeed without someone changing something
 * @param answeredBy who answered; records written before the field existed read it from executorId
 */
public record BackupFailed(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, String executorId, @Required Instant occurredAt, String requestedType,
        @Required String errorCode, Integer pgbackrestExitCode, @Required String reason, boolean retryable,
        Answerer answeredBy) implements BackupEvent {

    public BackupFailed {
        answeredBy = Answerer.inferred(answeredBy, executorId);
    }

    /** An executor's failure to back up. */
    public static BackupFailed byExecutor(UUID requestId, String stanza, String executorId, String requestedType,
            String errorCode, Integer exitCode, String reason, boolean retryable) {
        return new BackupFailed(SCHEMA_VERSION, EventIds.of(requestId, "BackupFailed"), requestId, stanza,
                executorId, Instant.now(), requestedType, errorCode, exitCode, reason, retryable, Answerer.EXECUTOR);
    }

    /** The coordinator's answer to a request no executor will answer. */
    public static BackupFailed byCoordinator(UUID requestId, String stanza, String requestedType, String errorCode,
            String reason, boolean retryable) {
        return new BackupFailed(SCHEMA_VERSION, EventIds.of(requestId, "BackupFailed"), requestId, stanza, null,
                Instant.now(), requestedType, errorCode, null, reason, retryable, Answerer.COORDINATOR);
    }

    @Override
    public EventCategory category() {
        return EventCategory.FAILURE;
    }

    @Override
    public String detail() {
        return BackupType.fromWire(requestedType).map(BackupType::wire).orElse(null);
    }

    @Override
    public Subject subject() {
        return Subject.BACKUP;
    }
}
