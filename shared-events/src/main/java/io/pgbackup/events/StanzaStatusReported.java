package io.pgbackup.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An executor's periodic report on one stanza (topic {@code backup.status}, key = stanza): its
 * heartbeat, WAL archiving as the primary sees it, and the repository as pgbackrest sees it. A
 * report replaces the previous one; losing one costs nothing but its interval.
 *
 * @param intervalSeconds how often this executor reports, so a reader knows when one is overdue
 * @param archiver null when the executor has no connection to the stanza's primary
 * @param repo null until pgbackrest info first ran; repeated from the last run in between runs
 * @param offsiteRepo the offsite repository's number (repoN), null when the executor has none
 * @param offsite the offsite repository as {@code info --repo=N} sees it (no WAL gap check), like repo
 */
@JsonPropertyOrder({"type", "schemaVersion", "eventId", "stanza", "executorId", "occurredAt", "intervalSeconds",
        "archiver", "repo", "offsiteRepo", "offsite"})
public record StanzaStatusReported(int schemaVersion, @Required UUID eventId, @Required String stanza,
        @Required String executorId, @Required Instant occurredAt, long intervalSeconds, Archiver archiver,
        Repo repo, Integer offsiteRepo, Repo offsite) {

    public static final String TYPE = "StanzaStatusReported";

    /** A report without an offsite repository (as executors wrote before it existed). */
    public StanzaStatusReported(int schemaVersion, UUID eventId, String stanza, String executorId, Instant occurredAt,
            long intervalSeconds, Archiver archiver, Repo repo) {
        this(schemaVersion, eventId, stanza, executorId, occurredAt, intervalSeconds, archiver, repo, null, null);
    }

    /**
     * WAL archiving on the primary: {@code pg_stat_archiver} plus the WAL segments waiting in
     * {@code pg_wal/archive_status}.
     *
     * @param walReady completed segments not yet archived (.ready files)
     * @param currentWal the segment being written now
     * @param error why the primary could not be asked (then the other fields are null)
     */
    public record Archiver(Long archivedCount, String lastArchivedWal, Instant lastArchivedAt, Long failedCount,
            String lastFailedWal, Instant lastFailedAt, Integer walReady, String currentWal, String error) {
    }

    /**
     * What {@code pgbackrest info --output=json} says, plus the WAL gap check.
     *
     * @param statusCode the stanza's status code (0 ok, 2 no valid backups, 99 other, ...)
     * @param repoStatusCode the worst repository status code
     * @param retentionFull the full sets expire keeps (the executor's policy)
     * @param walGap missing WAL segments between the oldest backup's start and the archive's max
     */
    public record Repo(Instant checkedAt, int statusCode, String statusMessage, int repoStatusCode,
            String archiveMin, String archiveMax, List<BackupSet> sets, Integer retentionFull, Integer retentionDiff,
            WalGap walGap) {
    }

    /** One backup set as pgbackrest info lists it. */
    public record BackupSet(String label, BackupType type, Instant start, Instant stop, Long sizeBytes,
            Long repoSizeBytes, String walStart, String walStop, boolean error) {
    }

    /**
     * @param checkedFrom first segment checked (the oldest backup's archive start)
     * @param checkedTo last segment checked (the archive max)
     * @param missing how many segments in that range are absent from the repository
     * @param firstMissing the first absent segment, null when none
     */
    public record WalGap(String checkedFrom, String checkedTo, long missing, String firstMissing) {
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }
}
