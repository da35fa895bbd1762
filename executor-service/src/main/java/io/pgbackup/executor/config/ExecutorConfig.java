package io.pgbackup.executor.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The executor: its stanzas, pgbackrest, maintenance, restores and status reports. */
@ConfigMapping(prefix = "executor")
public interface ExecutorConfig {

    /**
     * This executor's id, reported in every event. Defaults to the host name; give each executor
     * of a fleet its own.
     */
    @WithDefault("${HOSTNAME:executor}")
    String id();

    /**
     * The stanzas this executor backs up: the allowlist. Requests for other stanzas are left to
     * the executor of their host, silently. Only names on this list ever reach pgbackrest.
     */
    List<String> stanzas();

    PgBackRest pgbackrest();

    /**
     * Requests published longer ago than this are not taken: the coordinator has answered them
     * with BackupFailed NO_EXECUTOR by then. Keep equal to scheduler.coordinator.claim-timeout.
     */
    @WithDefault("2m")
    Duration claimTimeout();

    /**
     * A backup running longer than this is stopped (its process tree terminated) and ends in
     * BackupFailed with code TIMEOUT.
     */
    @WithDefault("12h")
    Duration backupTimeout();

    /** How long a stopped pgbackrest gets to exit on SIGTERM before it is killed. */
    @WithDefault("10s")
    Duration killGrace();

    /**
     * Where the process groups of running children (pgbackrest, pg_ctl, psql) are recorded, so
     * that an executor restarted after a crash stops what its predecessor left running. Defaults
     * to {@code <java.io.tmpdir>/pgbackup-executor-<id>-children}: one per executor id, emptied by
     * a reboot along with the processes it names.
     */
    Optional<String> childrenDir();

    Maintenance maintenance();

    /** Maintenance of the served stanzas, run on the stanza's worker so it never meets a backup. */
    interface Maintenance {

        /** expire, check and old-log removal (BACKUP_SCHEDULE_MAINTENANCE); 5-field Unix cron, or off. */
        @WithDefault("${BACKUP_SCHEDULE_MAINTENANCE:0 * * * *}")
        String schedule();

        /** pgbackrest verify of the whole repository; weekly, after Sunday's full backup. */
        @WithDefault("${BACKUP_SCHEDULE_VERIFY:0 5 * * 0}")
        String verifySchedule();

        /** Full backup sets to keep (RETENTION_FULL), passed to expire as --repo1-retention-full. */
        @WithDefault("${RETENTION_FULL:7}")
        int retentionFull();

        /** Differential backups to keep (RETENTION_DIFF), passed as --repo1-retention-diff. */
        @WithDefault("${RETENTION_DIFF:4}")
        int retentionDiff();

        /** pgbackrest log files not written for this many days are deleted (RETENTION_DAYS). */
        @WithDefault("${RETENTION_DAYS:30}")
        int logRetentionDays();

        /** pgbackrest's log-path; old-log removal is skipped when unset. */
        Optional<String> logPath();

        /** A maintenance command running longer than this is stopped. */
        @WithDefault("6h")
        Duration timeout();
    }

    Restore restore();

    Repos repos();

    /** The pgBackRest repositories of this executor's stanzas (repoN in pgbackrest.conf). */
    interface Repos {

        /**
         * The repository backups go to and whose sets and archive the status reports describe. WAL
         * is archived to every repository in pgbackrest.conf (archive-push pushes to all).
         */
        @WithDefault("1")
        int primary();

        /**
         * An offsite repository (e.g. 2, an object store): after each full backup to the primary one
         * the executor takes a full backup there too (maintenance task offsite), and restores may name
         * it. With the WAL that reaches it continuously, it restores alone when the primary is lost.
         * Its retention is pgbackrest.conf's (repoN-retention-full).
         */
        Optional<Integer> offsite();
    }

    /** Restores: test copies under a scratch root, and the guarded production path. */
    interface Restore {

        /** Test restores go into sub-directories of this folder (created, owned by the postgres user). */
        @WithDefault("/var/lib/pgbackup/restore")
        String scratchRoot();

        /** PostgreSQL binaries used to start a restored copy. */
        @WithDefault("/usr/lib/postgresql/15/bin")
        String pgBin();

        /** Database the checks run in. */
        @WithDefault("postgres")
        String database();

        /** Tables whose rows are counted on every restored copy (schema.table). */
        Optional<List<String>> countTables();

        /** SQL checks run on every restored copy; each must return true. */
        Optional<List<String>> checks();

        /**
         * How long PostgreSQL may take to start and finish recovery; also the limit of a test
         * restore's copy.
         */
        @WithDefault("30m")
        Duration recoveryTimeout();

        /**
         * Limit of a production restore's copy (pgbackrest restore into the data directory). None by
         * default: stopping it half way leaves production with a half-written data directory, so it
         * runs as long as the database's size takes. PostgreSQL's start after it is limited by
         * {@link #recoveryTimeout()}.
         */
        Optional<Duration> productionTimeout();

        /**
         * Where a test restore kept for inspection without a {@code path} of its own is left
         * (stopped), replacing the copy the previous such restore left there: the seed's
         * {@code /tmp/postgres-restore-test}. Unset: such a copy goes under the scratch root like
         * any other. Only a directory this executor made is ever replaced.
         */
        Optional<String> latestTestCopy();

        /**
         * Test copies kept for inspection are removed once older than this (their directory's last
         * change), checked every {@code executor.restore.sweep-every} (1h).
         */
        @WithDefault("7d")
        Duration keepFor();

        /**
         * Free space a test restore leaves beyond the copy itself (and a tenth of it for WAL): a
         * drill that would leave less is refused with INSUFFICIENT_SPACE before it starts.
         */
        @WithDefault("268435456")
        long spareBytes();

        /**
         * In-place (production) restores are refused unless enabled here, on the executor itself:
         * nobody can turn them on through an event.
         */
        @WithDefault("false")
        boolean productionEnabled();

        /** For production restores: the data directory of each stanza's PostgreSQL. */
        Map<String, String> productionDataDir();

        /**
         * A production request is first answered with a challenge (what it would overwrite) and a
         * one-time nonce; the confirming request must carry the nonce within this time.
         */
        @WithDefault("5m")
        Duration challengeValidity();
    }

    Status status();

    /** The periodic status report of each stanza on backup.status. */
    interface Status {

        /**
         * How often each stanza is reported: heartbeat and WAL archiving. The health service
         * counts an executor silent after a few missed intervals.
         */
        @WithDefault("60s")
        Duration interval();

        /**
         * How often pgbackrest info and the WAL gap check (a listing of the archive) run; reports
         * in between repeat the last result with its time. A duration, or off.
         */
        @WithDefault("5m")
        String repoInterval();
    }

    /**
     * A connection to each stanza's primary ({@code executor.primary."<stanza>".jdbc-url}), used
     * for pg_stat_archiver and the WAL waiting in archive_status. Archiving is not reported for a
     * stanza without one. The user needs pg_monitor (or superuser).
     */
    Map<String, Primary> primary();

    interface Primary {

        /** For example jdbc:postgresql://127.0.0.1:5432/postgres. */
        String jdbcUrl();

        @WithDefault("postgres")
        String user();

        /** Keep it in an environment variable or secret; it never appears in an event or a log. */
        Optional<String> password();
    }

    interface PgBackRest {

        /** The pgbackrest program; a path or a name on PATH. */
        @WithDefault("pgbackrest")
        String binary();

        /** pgbackrest's configuration file (passed as --config); pgbackrest's own lookup when unset. */
        Optional<String> config();

        /**
         * OS user that runs pgbackrest. When this service runs as root it defaults to postgres
         * (pgbackrest refuses to run as root); otherwise pgbackrest runs as the service's user.
         */
        Optional<String> runAs();

        /**
         * Run {@code pgbackrest stanza-create} for every served stanza at start. Handy for a new
         * container set-up; stanza-create leaves an existing, matching stanza alone.
         */
        @WithDefault("false")
        boolean createStanzas();
    }
}
