package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A backup finished and pgBackRest's own {@code info} confirms it.
 *
 * @param requestedType the type that was asked for
 * @param backupType the type pgBackRest actually took
 * @param promotedToFull true when an incr or diff was taken as full because no full backup existed
 * @param label pgBackRest's backup label, e.g. {@code 20261124-020000F_20261124-080000I}
 * @param prior label of the backup this one depends on, null for a full
 * @param durationSeconds wall time of pgBackRest's backup, from its own start/stop timestamps
 * @param databaseSizeBytes size of the database at backup time
 * @param repoSizeBytes size of this backup set in the repository, after compression
 * @param repoDeltaBytes what this backup added to the repository
 * @param walStart first WAL segment the backup needs
 * @param walStop last WAL segment the backup needs
 */
public record BackupCompleted(int schemaVersion, @Required UUID eventId, @Required UUID requestId,
        @Required String stanza, @Required String executorId, @Required Instant occurredAt, BackupType requestedType,
        @Required BackupType backupType, boolean promotedToFull, @Required String label, String prior,
        Instant startedAt, Instant stoppedAt, double durationSeconds, Long databaseSizeBytes, Long repoSizeBytes,
        Long repoDeltaBytes, String walStart, String walStop, String lsnStart, String lsnStop) implements BackupEvent {

    @Override
    public EventCategory category() {
        return EventCategory.SUCCESS;
    }

    @Override
    public String detail() {
        return requestedType == null ? null : requestedType.wire();
    }

    @Override
    public Subject subject() {
        return Subject.BACKUP;
    }

    /** pgBackRest's own stop time: what the backup's age is measured from. */
    public Instant completedAt() {
        return stoppedAt != null ? stoppedAt : occurredAt;
    }
}
