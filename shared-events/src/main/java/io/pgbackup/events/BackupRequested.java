package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to back up one stanza. {@code backupType} is kept as the text that was sent so that
 * an invalid value can be echoed back in the {@link BackupFailed} that answers it.
 *
 * @param requestedAt optional: when the requester asked
 * @param requestedBy optional: who or what asked (a schedule name, a user)
 */
public record BackupRequested(int schemaVersion, UUID requestId, String stanza, String backupType,
        Instant requestedAt, String requestedBy) implements BackupEvent {

    public static BackupRequested of(String stanza, BackupType type, String requestedBy) {
        return new BackupRequested(SCHEMA_VERSION, UUID.randomUUID(), stanza, type.wire(), Instant.now(),
                requestedBy);
    }

    @Override
    public Instant occurredAt() {
        return requestedAt;
    }
}
