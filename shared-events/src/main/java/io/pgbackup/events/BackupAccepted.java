package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An executor that serves the stanza has durably queued the request. This is the claim: the
 * coordinator stops waiting for an owner once it sees it.
 *
 * @param queuedBehind how many requests of this stanza were ahead of this one on the executor
 */
public record BackupAccepted(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String backupType, int queuedBehind) implements BackupEvent {
}
