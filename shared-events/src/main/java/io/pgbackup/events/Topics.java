package io.pgbackup.events;

/** Kafka topic names. Part of the public contract documented in docs/events.md. */
public final class Topics {

    /** Backup requests, keyed by stanza. Anyone may publish here. */
    public static final String BACKUP_REQUESTS = "backup.requests";
    /** Records of {@link #BACKUP_REQUESTS} that could not be read as a request, with the reason in headers. */
    public static final String BACKUP_REQUESTS_DLQ = "backup.requests.dlq";
    /** Everything that happens to a request, keyed by stanza. */
    public static final String BACKUP_EVENTS = "backup.events";

    /** Restore requests, keyed by stanza; results go to {@link #BACKUP_EVENTS}. */
    public static final String RESTORE_REQUESTS = "restore.requests";
    /** Records of {@link #RESTORE_REQUESTS} that could not be read as a request. */
    public static final String RESTORE_REQUESTS_DLQ = "restore.requests.dlq";

    /** Health status transitions of stanzas, keyed by stanza (published by the health service). */
    public static final String BACKUP_HEALTH = "backup.health";

    /** Executors' periodic status reports per stanza (heartbeat, archiving, repository), keyed by stanza. */
    public static final String BACKUP_STATUS = "backup.status";

    private Topics() {
    }
}
