package io.pgbackup.events;

/**
 * The default backup schedules (5-field Unix cron, keys {@code backup.schedule.*}). The scheduler
 * fires them and the health service checks that what they planned completed; both read their
 * defaults from here so the two can never disagree about what was due.
 */
public final class ScheduleDefaults {

    /** Full backups: Sunday 02:00. */
    public static final String FULL = "0 2 * * 0";
    /** Differential backups: Monday to Saturday 02:00. */
    public static final String DIFF = "0 2 * * 1-6";
    /** Incremental backups: every 6 hours. */
    public static final String INCR = "0 */6 * * *";
    /** Restore drills: Sunday 04:00, after the full. */
    public static final String DRILL = "0 4 * * 0";
    /** The zone the expressions are read in. */
    public static final String TIME_ZONE = "UTC";

    private ScheduleDefaults() {
    }
}
