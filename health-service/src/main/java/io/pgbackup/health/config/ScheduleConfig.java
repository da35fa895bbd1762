package io.pgbackup.health.config;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The backup schedules, read from the same keys (and BACKUP_SCHEDULE_* variables) as the
 * scheduler, so health knows which backup was due without asking it. Defaults equal the
 * scheduler's; 5-field Unix cron, "none" switches a type off.
 */
@ConfigMapping(prefix = "backup.schedule")
public interface ScheduleConfig {

    @WithDefault("0 2 * * 0")
    String full();

    @WithDefault("0 2 * * 1-6")
    String diff();

    @WithDefault("0 */6 * * *")
    String incr();

    /** Restore drills (test restores). */
    @WithDefault("0 4 * * 0")
    String drill();

    @WithDefault("UTC")
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
