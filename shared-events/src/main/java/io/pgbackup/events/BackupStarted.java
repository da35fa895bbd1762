package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/** The executor has started pgbackrest for this request. */
public record BackupStarted(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String backupType) implements BackupEvent {
}
