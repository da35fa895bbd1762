package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/** The executor has started restoring. */
public record RestoreStarted(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt,
        @Required RestoreMode mode, RestoreTarget target) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.PROGRESS;
    }

    @Override
    public String detail() {
        return mode.wire();
    }

    @Override
    public Subject subject() {
        return Subject.RESTORE;
    }
}
