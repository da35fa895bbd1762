package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/** The executor has started restoring. */
public record RestoreStarted(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String mode, RestoreTarget target) implements BackupEvent {
}
