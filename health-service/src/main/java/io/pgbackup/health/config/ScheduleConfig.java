package io.pgbackup.health.config;

import java.util.Map;
import java.util.Optional;

import io.pgbackup.events.ScheduleDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The backup schedules, read from the same keys (and BACKUP_SCHEDULE_* variables) as the
 * scheduler, so health knows which backup was due without asking it. Defaults equal the
 * scheduler's; 5-field Unix cron, "none" switches a type off.
 */
@ConfigMapping(prefix = "backup.schedule")
public interface ScheduleConfig {

    @WithDefault(ScheduleDefaults.FULL)
    String full();

    @WithDefault(ScheduleDefaults.DIFF)
    String diff();

    @WithDefault(ScheduleDefaults.INCR)
    String incr();

    /** Restore drills (test restores). */
    @WithDefault(ScheduleDefaults.DRILL)
    String drill();

    @WithDefault(ScheduleDefaults.TIME_ZONE)
    String timeZone();

    /** Per-stanza overrides, as for the scheduler. */
    Map<String, Override> stanza();

    interface Override {

        Optional<String> full();

        Optional<String> diff();

        Optional<String> incr();

        Optional<String> drill();
    }
}
