package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to restore a stanza (topic {@code restore.requests}, key = stanza). Read and checked
 * by {@link RestoreRequests}: in an invalid request {@code mode} or the target's kind may be null
 * (the refusal names what was sent).
 *
 * @param keep test mode: leave the restored, promoted cluster stopped in place for inspection
 * @param path test mode, optional: the scratch sub-directory name to restore into
 * @param confirm production only: must equal the stanza
 * @param reason why; required for production
 * @param confirmNonce production only: the nonce of the executor's challenge (a first request without
 *        one is answered with the challenge)
 * @param repo optional: the pgBackRest repository to restore from (1 = the primary, the offsite one
 *        when the primary is lost); absent = the executor's primary repository
 */
public record RestoreRequested(int schemaVersion, @Required UUID requestId, @Required String stanza,
        RestoreMode mode, RestoreTarget target, boolean keep, String path, String confirm, String reason,
        Instant requestedAt, String requestedBy, String confirmNonce,
        Integer repo) implements BackupEvent {

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
        return mode == null ? null : mode.wire();
    }

    @Override
    public Subject subject() {
        return Subject.RESTORE;
    }
}
