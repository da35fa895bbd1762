package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The health service's reason codes (GET /, StanzaHealthChanged). Monitoring may match on them.
 * {@link #severity()} is what the rule gives a stanza: CRITICAL makes it unhealthy, WARNING
 * degraded; where a rule starts lower (NO_BACKUP, MAINTENANCE_FAILED) {@link #meaning()} says so.
 */
public enum HealthCode implements Code {

    LAST_BACKUP_FAILED(Severity.CRITICAL, "the stanza's latest terminal backup event is BackupFailed (from its"
            + " executor, or NO_EXECUTOR from the coordinator); cleared by the next BackupCompleted",
            "Read the reason and error code (docs/errors.md); NO_EXECUTOR: start the stanza's executor or add the"
                    + " stanza to its executor.stanzas."),
    BACKUP_TOO_OLD(Severity.CRITICAL,
            "the newest successful backup stopped more than health.max-backup-age"
                    + " (BACKUP_MAX_AGE, default 25 h) ago",
            "A backstop independent of schedules: see why backups stopped"
                    + " (scheduler up? executor up?)."),
    BACKUP_MISSED(Severity.CRITICAL,
            "the full, diff or incr the scheduler's plan for the stanza (backup.schedules)"
                    + " had due at least health.schedule-grace ago has no successful backup of that type or a stronger one"
                    + " stopping after it; the message names the schedule, its cron and the planned minute",
            "Check the scheduler's log and GET /requests/{id} of that minute's request; run it by hand with"
                    + " run-backup.sh."),
    NO_BACKUP(Severity.CRITICAL,
            "an expected stanza has no successful backup yet: degraded, then unhealthy once"
                    + " health.max-backup-age has passed since it was first expected",
            "Take the first full backup."),
    LAST_DRILL_FAILED(Severity.CRITICAL,
            "the latest test restore (drill) the stanza's executor ran ended in"
                    + " RestoreFailed; cleared by the next RestoreCompleted",
            "The backups may not restore: read the"
                    + " reason, fix, run a drill (restore-backup.sh latest)."),
    DRILL_OVERDUE(Severity.WARNING,
            "the drill the scheduler's plan had due has not run within"
                    + " health.schedule-grace",
            "Check the scheduler and the executor's restore scratch root."),
    MAINTENANCE_FAILED(Severity.CRITICAL,
            "the latest run of a maintenance task failed: unhealthy for check and"
                    + " verify, degraded for expire and logs; cleared when the same task next succeeds",
            "check: archiving to the repository is broken; verify: the repository holds damaged files; expire:"
                    + " the repository grows."),
    EXECUTOR_SILENT(Severity.CRITICAL,
            "the stanza's executor reported before and has not for"
                    + " health.heartbeat-timeout (EXECUTOR_HEARTBEAT_TIMEOUT, default 5 min) and at least three of its"
                    + " own intervals",
            "Start the executor; until then no backup runs and nothing here is current."),
    FLEET_LIMIT(Severity.WARNING,
            "records about stanzas nobody configured (not in health.stanzas, no scheduler plan) were left out: the"
                    + " fleet already holds health.max-unconfigured-stanzas (default 100) of them; fleet-level, in GET /",
            "Add the real stanzas to BACKUP_STANZAS; find who publishes records for the others (executorId)."),
    WINDOW_SHORT(Severity.WARNING,
            "the recoverability window (oldest backup's consistent point to the newest archived WAL) is shorter than"
                    + " health.min-window (RECOVERY_WINDOW_MIN, default 7 days) on a stanza older than that",
            "Raise repo1-retention-full (RETENTION_FULL) or see why backups stopped; restores cannot reach further back."),
    OFFSITE_STALE(Severity.WARNING,
            "the offsite repository (the executor's executor.repos.offsite) is not readable, or its newest full"
                    + " backup is older than health.offsite-max-age (8 days)",
            "See the offsite maintenance task's failures in the stanza's history and whether the object store is"
                    + " reachable; without a recent offsite full, losing repo1 loses the backups."),
    DUPLICATE_EXECUTOR(Severity.CRITICAL,
            "two executors (two ids) report for the stanza at once: both are configured for it; the one whose id"
                    + " sorts first runs its requests and maintenance, the other leaves them; cleared when only one has"
                    + " reported for health.heartbeat-timeout",
            "Remove the stanza from one executor's EXECUTOR_STANZAS (executor.stanzas) and restart it."),
    ARCHIVE_FAILING(Severity.CRITICAL,
            "pg_stat_archiver on the primary: the latest archive attempt failed",
            "Read PostgreSQL's log for archive_command; WAL piles up in pg_wal until it is fixed."),
    ARCHIVE_LAG(Severity.CRITICAL,
            "completed WAL segments wait in archive_status and the last successful"
                    + " archive is older than health.rpo-target (RPO_TARGET, default 5 min)",
            "Archiving is too slow or"
                    + " stuck: check the repository's reachability and archive-push speed (archive-async,"
                    + " process-max)."),
    ARCHIVE_UNKNOWN(Severity.WARNING,
            "the executor could not query the primary (connection or permission); the"
                    + " message has the SQLSTATE",
            "Give the executor's user pg_monitor and check"
                    + " executor.primary.\"<stanza>\".jdbc-url."),
    WAL_GAP(Severity.CRITICAL,
            "WAL segments are missing from the archive between the oldest backup's start and"
                    + " the archive's newest segment (pgbackrest verify does not notice this)",
            "Point-in-time recovery"
                    + " across the gap is impossible: take a full backup now, then find out what removed the"
                    + " files."),
    REPO_ERROR(Severity.CRITICAL,
            "pgbackrest info reports a stanza or repository status other than 0 (ok) and 2"
                    + " (no backup, see NO_BACKUP)",
            "Run pgbackrest info on the executor's host; the message has"
                    + " pgbackrest's own text."),
    RETENTION_SHORT(Severity.WARNING,
            "fewer full sets than the executor's retention policy keeps (RETENTION_FULL),"
                    + " once the stanza has existed for that many full periods plus the grace",
            "Older recovery points"
                    + " than expected are gone: look for manual expires or failed fulls."),
    NO_STANZAS(Severity.WARNING,
            "no stanza is expected and none has reported",
            "Set BACKUP_STANZAS.");

    private final Facts facts;

    /** A health reason is a state, not a request: there is nothing to send again (never retryable). */
    HealthCode(Severity severity, String meaning, String remedy) {
        this.facts = new Facts(meaning, false, severity, remedy);
    }

    @Override
    public String code() {
        return name();
    }

    @Override
    public Family family() {
        return Family.HEALTH;
    }

    @Override
    public Facts facts() {
        return facts;
    }

    /** The status this code gives a stanza at its full severity. */
    public HealthStatus status() {
        return HealthStatus.of(severity());
    }

    public static Optional<HealthCode> fromWire(String code) {
        return Arrays.stream(values()).filter(c -> c.name().equals(code)).findFirst();
    }
}
