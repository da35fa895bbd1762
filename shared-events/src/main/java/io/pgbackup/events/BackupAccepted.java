package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An executor that serves the stanza has durably queued the request. This is the claim: the
 * coordinator stops waiting for an owner once it sees it.
 *
 * @param queuedBehind how many requests of this stanza were ahead of this one on the executor
 */
public record BackupAccepted(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt, BackupType backupType,
        int queuedBehind) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.PROGRESS;
    }

    @Override
    public String detail() {
        return backupType == null ? null : backupType.wire();
    }

    @Override
    public Subject subject() {
        return Subject.BACKUP;
    }
}
