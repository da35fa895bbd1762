package io.pgbackup.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A restore finished and the restored cluster passed its checks.
 *
 * @param keptAt the directory of a kept copy (stopped), null when it was removed
 * @param timeline the timeline the restored cluster ended on (after promotion)
 * @param reachedLsn the last WAL position replayed
 * @param reachedTime the commit time of the last transaction replayed, null when none was
 * @param restoreSeconds pgbackrest restore
 * @param replaySeconds start of PostgreSQL to the end of recovery (WAL replay and promotion)
 * @param verifySeconds the stanza's checks on the restored copy
 * @param rowCounts rows per configured table; -1 for a table that does not exist at the target
 */
public record RestoreCompleted(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt,
        @Required RestoreMode mode, RestoreTarget target, String backupLabel, String keptAt, long timeline,
        String reachedLsn, Instant reachedTime, double restoreSeconds, double replaySeconds, double verifySeconds,
        Map<String, Long> rowCounts) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.SUCCESS;
    }

    @Override
    public String detail() {
        return mode.wire();
    }

    @Override
    public Subject subject() {
        return Subject.RESTORE;
    }

    /** The drill's recovery time: restore, replay and verification together. */
    public double rtoSeconds() {
        return restoreSeconds + replaySeconds + verifySeconds;
    }

    /**
     * Before {@link RestorePointCreated} existed, a restore point was answered with a zero-filled
     * RestoreCompleted of mode point; such a record is read as what it meant.
     */
    public boolean isLegacyRestorePoint() {
        return mode == RestoreMode.POINT;
    }
}
