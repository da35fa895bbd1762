package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to restore a stanza (topic {@code restore.requests}, key = stanza).
 *
 * @param mode {@code test} (a scratch copy on the executor's host, checked and removed) or
 *        {@code production} (in place, emergency only)
 * @param keep test mode: leave the restored, promoted cluster stopped in place for inspection
 * @param path test mode, optional: the scratch sub-directory name to restore into
 * @param confirm production only: must equal the stanza
 * @param reason why; required for production
 */
public record RestoreRequested(int schemaVersion, UUID requestId, String stanza, String mode, RestoreTarget target,
        boolean keep, String path, String confirm, String reason, Instant requestedAt, String requestedBy)
        implements
            BackupEvent {

    @Override
    public Instant occurredAt() {
        return requestedAt;
    }
}
