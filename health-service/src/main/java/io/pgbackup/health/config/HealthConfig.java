package io.pgbackup.health.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the health service expects and how strict its rules are. */
@ConfigMapping(prefix = "health")
public interface HealthConfig {

    /**
     * Stanzas expected to be backed up. They are reported even before their first event, so a
     * stanza that never got a backup is not invisible. Stanzas seen from an executor are added.
     */
    @WithDefault("main")
    List<String> stanzas();

    /**
     * How many stanzas that are not in {@link #stanzas()} and have no plan from the scheduler may
     * join the fleet from executors' records. Past it, records about new such stanzas are left out
     * (FLEET_LIMIT in GET /): a stray or forged record cannot grow the fleet without bound.
     */
    @WithDefault("100")
    int maxUnconfiguredStanzas();

    /** How often statuses are re-evaluated for transitions that time alone causes. */
    @WithDefault("30s")
    String evaluateEvery();

    /**
     * A stanza whose newest successful backup is older than this is unhealthy. The default allows
     * a missed 6-hourly incr and a daily diff to be late by an hour.
     */
    @WithDefault("25h")
    Duration maxBackupAge();

    /**
     * How long after a planned backup or drill (from the scheduler's plan on backup.schedules) its
     * completion may take before the stanza counts as having missed it (rules BACKUP_MISSED,
     * DRILL_OVERDUE). Cover your longest full backup.
     */
    @WithDefault("3h")
    Duration scheduleGrace();

    /**
     * An executor that has reported before and then stays silent this long (and at least three of
     * its own intervals) makes its stanzas unhealthy (EXECUTOR_SILENT).
     */
    @WithDefault("5m")
    Duration heartbeatTimeout();

    /**
     * Recovery point objective for WAL archiving: completed WAL waiting longer than this
     * (ARCHIVE_LAG) makes the stanza unhealthy.
     */
    @WithDefault("5m")
    Duration rpoTarget();

    /**
     * The shortest recoverability window (oldest backup's consistent point to the newest archived
     * WAL) a stanza may have once it is older than this (WINDOW_SHORT, degraded): retention or
     * failing backups that leave less than this many days to restore to.
     */
    @WithDefault("${RECOVERY_WINDOW_MIN:7d}")
    Duration minWindow();

    /**
     * The offsite repository's newest full backup may be this old (OFFSITE_STALE, degraded, after
     * that): a weekly copy and a day's grace. Only for stanzas whose executor reports an offsite
     * repository.
     */
    @WithDefault("8d")
    Duration offsiteMaxAge();

    /**
     * How far ahead of this service's clock a status report or event may be dated; later ones go
     * to the topic's dead-letter queue with the reason (a skewed executor clock, or a forged record).
     */
    @WithDefault("5m")
    Duration maxClockAhead();
}
