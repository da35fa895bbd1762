package io.pgbackup.scheduler.config;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.pgbackup.events.ScheduleDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The backup schedules: 5-field Unix cron expressions (minute hour day-of-month month
 * day-of-week, Sunday = 0), or {@code none} to switch one off.
 */
@ConfigMapping(prefix = "backup.schedule")
public interface ScheduleConfig {

    /** Full backups (BACKUP_SCHEDULE_FULL): Sunday 02:00. */
    @WithDefault(ScheduleDefaults.FULL)
    String full();

    /** Differential backups (BACKUP_SCHEDULE_DIFF): Monday to Saturday 02:00. */
    @WithDefault(ScheduleDefaults.DIFF)
    String diff();

    /** Incremental backups (BACKUP_SCHEDULE_INCR): every 6 hours. */
    @WithDefault(ScheduleDefaults.INCR)
    String incr();

    /** Restore drills (BACKUP_SCHEDULE_DRILL): a test restore of each stanza, Sunday 04:00, after the full. */
    @WithDefault(ScheduleDefaults.DRILL)
    String drill();

    /** Also request a drill after this many completed backups of a stanza (0: only on schedule). */
    @WithDefault("0")
    int drillAfterBackups();

    /** The zone the expressions are read in (BACKUP_SCHEDULE_TIME_ZONE). */
    @WithDefault(ScheduleDefaults.TIME_ZONE)
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
