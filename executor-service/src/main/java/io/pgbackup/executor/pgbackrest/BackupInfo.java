package io.pgbackup.executor.pgbackrest;

import java.time.Instant;

/** What {@code pgbackrest info --output=json --set=LABEL} says about one backup set. */
public record BackupInfo(String label, String type, String prior, Instant start, Instant stop, String walStart,
        String walStop, String lsnStart, String lsnStop, Long databaseSize, Long repoSize, Long repoDelta,
        boolean error) {
}
