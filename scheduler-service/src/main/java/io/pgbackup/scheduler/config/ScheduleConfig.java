package io.pgbackup.scheduler.config;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The backup schedules: 5-field Unix cron expressions (minute hour day-of-month month
 * day-of-week, Sunday = 0), or {@code none} to switch one off. Only the scheduler reads them: it
 * publishes each stanza's plan on backup.schedules for whoever checks that it happened.
 */
@ConfigMapping(prefix = "backup.schedule")
public interface ScheduleConfig {

    /** Full backups (BACKUP_SCHEDULE_FULL): Sunday 02:00. */
    @WithDefault("0 2 * * 0")
    String full();

    /** Differential backups (BACKUP_SCHEDULE_DIFF): Monday to Saturday 02:00. */
    @WithDefault("0 2 * * 1-6")
    String diff();

    /** Incremental backups (BACKUP_SCHEDULE_INCR): every 6 hours. */
    @WithDefault("0 */6 * * *")
    String incr();

    /** Restore drills (BACKUP_SCHEDULE_DRILL): a test restore of each stanza, Sunday 04:00, after the full. */
    @WithDefault("0 4 * * 0")
    String drill();

    /** Also request a drill after this many completed backups of a stanza (0: only on schedule). */
    @WithDefault("0")
    int drillAfterBackups();

    /** The zone the expressions are read in (BACKUP_SCHEDULE_TIME_ZONE). */
    @WithDefault("UTC")
    ZoneId timeZone();

    /**
     * At start, request the latest fire that was missed while no scheduler ran, once per stanza
     * ({@code latest}), or not ({@code none}). A stanza that never fired before is not caught up.
     */
    @WithDefault("latest")
    String catchUp();

    /** How often the clock is checked (each check looks at this minute and the one before). */
    @WithDefault("15s")
    String tickEvery();

    /** Per-stanza overrides: backup.schedule.stanza."db2".incr=0 * * * * */
    Map<String, Override> stanza();

    interface Override {

        Optional<String> full();

        Optional<String> diff();

        Optional<String> incr();

        Optional<String> drill();
    }
}
