package io.pgbackup.events;

import java.util.List;
import java.util.stream.Stream;

/** Kafka topic names. Part of the public contract documented in docs/events.md. */
public final class Topics {

    /** Backup requests, keyed by stanza. Anyone may publish here. */
    public static final String BACKUP_REQUESTS = "backup.requests";
    /** Records of {@link #BACKUP_REQUESTS} that could not be read as a request, with the reason in headers. */
    public static final String BACKUP_REQUESTS_DLQ = deadLetters(BACKUP_REQUESTS);
    /** Everything that happens to a request, keyed by stanza. */
    public static final String BACKUP_EVENTS = "backup.events";

    /** Restore requests, keyed by stanza; results go to {@link #BACKUP_EVENTS}. */
    public static final String RESTORE_REQUESTS = "restore.requests";
    /** Records of {@link #RESTORE_REQUESTS} that could not be read as a request. */
    public static final String RESTORE_REQUESTS_DLQ = deadLetters(RESTORE_REQUESTS);

    /** Health status transitions of stanzas, keyed by stanza (published by the health service). */
    public static final String BACKUP_HEALTH = "backup.health";

    /** Executors' periodic status reports per stanza (heartbeat, archiving, repository), keyed by stanza. */
    public static final String BACKUP_STATUS = "backup.status";

    /** Each stanza's schedule plan, keyed by stanza, compacted (published by the scheduler). */
    public static final String BACKUP_SCHEDULES = "backup.schedules";

    /** Every topic of the contract, with its dead-letter topic: what `make up` and tests create. */
    public static final List<String> ALL = List.of(BACKUP_REQUESTS, BACKUP_EVENTS,
            RESTORE_REQUESTS, BACKUP_HEALTH, BACKUP_STATUS, BACKUP_SCHEDULES);

    /** How this system creates a topic when it creates one (`make up`, the tests). */
    public record Layout(String name, int partitions, boolean compacted) {
    }

    /**
     * Every topic of {@link #ALL} with three partitions (the key, a stanza, keeps a stanza's
     * records in order) and its dead-letter topic with one; the plan topic is compacted, since
     * only the newest plan of each stanza counts.
     */
    public static final List<Layout> LAYOUT = ALL.stream()
            .flatMap(t -> Stream.of(new Layout(t, 3, t.equals(BACKUP_SCHEDULES)), new Layout(deadLetters(t), 1, false)))
            .toList();

    private Topics() {
    }

    /** Where records of {@code topic} that cannot be used go, with the reason in their headers. */
    public static String deadLetters(String topic) {
        return topic + ".dlq";
    }
}
