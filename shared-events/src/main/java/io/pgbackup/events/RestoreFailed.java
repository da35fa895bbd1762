package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A restore (or restore point) was refused or did not produce a working cluster.
 *
 * @param mode null when the request's mode was not one of test, production, point
 * @param errorCode pgbackrest's exit code as digits, or a named code (docs/errors.md)
 * @param reason for a person
 * @param answeredBy who answered; records written before the field existed read it from executorId
 * @param challenge {@code CONFIRMATION_PENDING} only: what a production restore would overwrite, and the
 *        nonce that confirms it
 */
public record RestoreFailed(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, String executorId, @Required Instant occurredAt, RestoreMode mode,
        RestoreTarget target, @Required String errorCode, Integer pgbackrestExitCode, @Required String reason,
        Answerer answeredBy, RestoreChallenge challenge) implements BackupEvent {

    public RestoreFailed {
        answeredBy = Answerer.inferred(answeredBy, executorId);
    }

    public static RestoreFailed byExecutor(RestoreRequested r, String executorId, String errorCode,
            Integer exitCode, String reason) {
        return new RestoreFailed(SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreFailed"), r.requestId(),
                r.stanza(), executorId, Instant.now(), r.mode(), r.target(), errorCode, exitCode, reason,
                Answerer.EXECUTOR, null);
    }

    public static RestoreFailed byCoordinator(UUID requestId, String stanza, RestoreMode mode, RestoreTarget target,
            String errorCode, String reason) {
        return new RestoreFailed(SCHEMA_VERSION, EventIds.of(requestId, "RestoreFailed"), requestId, stanza, null,
                Instant.now(), mode, target, errorCode, null, reason, Answerer.COORDINATOR, null);
    }

    /** The answer to a production request without a nonce: nothing ran; the challenge says what would. */
    public static RestoreFailed challenge(RestoreRequested r, String executorId, RestoreChallenge challenge) {
        return new RestoreFailed(SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreFailed"), r.requestId(),
                r.stanza(), executorId, Instant.now(), r.mode(), r.target(), FailureCode.CONFIRMATION_PENDING.code(),
                null, "a production restore of " + r.stanza() + " overwrites " + challenge.dataDirectory()
                        + ": confirm with confirmNonce " + challenge.nonce() + " before " + challenge.expiresAt(),
                Answerer.EXECUTOR, challenge);
    }

    @Override
    public EventCategory category() {
        return EventCategory.FAILURE;
    }

    @Override
    public String detail() {
        return mode == null ? null : mode.wire();
    }

    @Override
    public Subject subject() {
        return Subject.RESTORE;
    }

    /**
     * Refused before anything ran: by the coordinator, or for what the request asked (a code of
     * severity info, such as {@code TARGET_BEFORE_OLDEST_BACKUP}). Answered to whoever asked; it
     * says nothing about whether the backups restore.
     */
    public boolean refusedBeforeRunning() {
        return answeredBy == Answerer.COORDINATOR
                || Codes.find(errorCode).map(Code::severity).orElse(null) == Severity.INFO;
    }

    /** A test restore that an executor ran and that failed: a failed drill. */
    public boolean isFailedDrill() {
        return mode == RestoreMode.TEST && answeredBy == Answerer.EXECUTOR && !refusedBeforeRunning();
    }
}
