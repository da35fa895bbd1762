package io.pgbackup.events;

/**
 * SmallRye channel names shared by the services and their tests, so that a test injecting a
 * channel and the application configuration cannot drift apart.
 */
public final class Channels {

    /** Incoming channel bound to {@link Topics#BACKUP_REQUESTS}. */
    public static final String REQUESTS_IN = "backup-requests-in";
    /** Outgoing channel bound to {@link Topics#BACKUP_REQUESTS}. */
    public static final String REQUESTS_OUT = "backup-requests-out";
    /** Incoming channel bound to {@link Topics#BACKUP_EVENTS}. */
    public static final String EVENTS_IN = "backup-events-in";
    /** Outgoing channel bound to {@link Topics#BACKUP_EVENTS}. */
    public static final String EVENTS_OUT = "backup-events-out";

    /** Incoming channel bound to {@link Topics#RESTORE_REQUESTS}. */
    public static final String RESTORES_IN = "restore-requests-in";
    /** Outgoing channel bound to {@link Topics#RESTORE_REQUESTS}. */
    public static final String RESTORES_OUT = "restore-requests-out";
    /** Outgoing channel bound to {@link Topics#BACKUP_HEALTH}. */
    public static final String HEALTH_OUT = "backup-health-out";
    /** Incoming channel bound to {@link Topics#BACKUP_HEALTH}. */
    public static final String HEALTH_IN = "backup-health-in";

    /** Outgoing channel bound to {@link Topics#BACKUP_STATUS}. */
    public static final String STATUS_OUT = "backup-status-out";
    /** Incoming channel bound to {@link Topics#BACKUP_STATUS}. */
    public static final String STATUS_IN = "backup-status-in";

    private Channels() {
    }
}
