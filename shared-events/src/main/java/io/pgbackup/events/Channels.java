package io.pgbackup.events;

/**
 * SmallRye channel names shared by the services and their tests, so that a test injecting a
 * channel and the application configuration cannot drift apart. Every service publishes through
 * the platform's outbox (a plain Kafka producer, no channel); the incoming ones are per topic.
 */
public final class Channels {

    /** Incoming channel bound to {@link Topics#BACKUP_REQUESTS}. */
    public static final String REQUESTS_IN = "backup-requests-in";
    /** Incoming channel bound to {@link Topics#BACKUP_EVENTS}. */
    public static final String EVENTS_IN = "backup-events-in";
    /** Incoming channel bound to {@link Topics#RESTORE_REQUESTS}. */
    public static final String RESTORES_IN = "restore-requests-in";
    /** Incoming channel bound to {@link Topics#BACKUP_HEALTH}. */
    public static final String HEALTH_IN = "backup-health-in";
    /** Incoming channel bound to {@link Topics#BACKUP_STATUS}. */
    public static final String STATUS_IN = "backup-status-in";
    /** Incoming channel bound to {@link Topics#BACKUP_SCHEDULES}. */
    public static final String SCHEDULES_IN = "backup-schedules-in";

    private Channels() {
    }
}
