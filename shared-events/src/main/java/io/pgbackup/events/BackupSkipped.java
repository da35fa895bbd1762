package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The request ends without a backup of its own because another request covers it: an identical
 * request of the same stanza was already waiting ({@code reason = "coalesced"}). Its outcome is
 * the outcome of {@code coalescedInto}.
 */
public record BackupSkipped(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String backupType, String reason, UUID coalescedInto) implements BackupEvent {

    public static final String COALESCED = "coalesced";

    @Override
    public boolean terminal() {
        return true;
    }
}
