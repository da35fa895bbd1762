package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer to a restore request of mode point: a named restore point now exists on the primary
 * and the WAL holding it was switched out for archiving. A later restore can stop there with
 * target {@code {"kind":"name","value":name}}.
 *
 * @param name the restore point's name
 * @param lsn where it is
 * @param walFile the WAL segment holding it
 * @param timeline the primary's timeline
 */
public record RestorePointCreated(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt, @Required String name,
        @Required String lsn, String walFile, long timeline) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.SUCCESS;
    }

    @Override
    public String detail() {
        return RestoreMode.POINT.wire();
    }

    @Override
    public Subject subject() {
        return Subject.RESTORE;
    }
}
