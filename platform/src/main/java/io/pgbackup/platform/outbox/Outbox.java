package io.pgbackup.platform.outbox;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.StanzaHealthChanged;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.Topics;

/**
 * The one way any service publishes: a row written in the caller's transaction, so "state
 * changed" and "tell the others" commit together or not at all. {@link OutboxRelay} sends the
 * rows after the commit and deletes each once the broker acknowledged it.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public Outbox(EntityManager em, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.em = em;
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Queues one record. Requires the caller's transaction: a record published outside one could
     * leave while the state it reports is rolled back.
     *
     * @param payload the record's value; null publishes a tombstone (for compacted topics)
     */
    @Transactional(TxType.MANDATORY)
    public void publish(String topic, String key, String payload) {
        em.createNativeQuery("INSERT INTO outbox (topic, record_key, payload, created_at) VALUES (?1, ?2, ?3, now())")
                .setParameter(1, topic).setParameter(2, key).setParameter(3, payload).executeUpdate();
        wakeRelayAfterCommit();
    }

    /** One record to publish: topic, key and value (null value: a tombstone). */
    public record Record(String topic, String key, String payload) {
    }

    /**
     * Queues many records in one JDBC batch (the scheduler's fires: thousands of stanzas in one
     * tick). Requires the caller's transaction.
     */
    @Transactional(TxType.MANDATORY)
    public void publishAll(List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO outbox (topic, record_key, payload, created_at) VALUES (?, ?, ?, now())")) {
                for (Record r : records) {
                    insert.setString(1, r.topic());
                    insert.setString(2, r.key());
                    insert.setString(3, r.payload());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        wakeRelayAfterCommit();
    }

    /** The record an event becomes. */
    public static Record recordOf(BackupEvent event) {
        return new Record(topicOf(event), event.stanza(), EventCodec.encode(event));
    }

    /** An event about a request (key = its stanza) to backup.events, or a request to its request topic. */
    @Transactional(TxType.MANDATORY)
    public void publish(BackupEvent event) {
        publish(topicOf(event), event.stanza(), EventCodec.encode(event));
    }

    @Transactional(TxType.MANDATORY)
    public void publish(StanzaHealthChanged change) {
        publish(Topics.BACKUP_HEALTH, change.stanza(), EventCodec.encode(change));
    }

    @Transactional(TxType.MANDATORY)
    public void publish(StanzaStatusReported report) {
        publish(Topics.BACKUP_STATUS, report.stanza(), EventCodec.encode(report));
    }

    @Transactional(TxType.MANDATORY)
    public void publish(SchedulePlan plan) {
        Record r = recordOf(plan);
        publish(r.topic(), r.key(), r.payload());
    }

    /** The record a stanza's plan becomes (key = its stanza, on the compacted plan topic). */
    public static Record recordOf(SchedulePlan plan) {
        return new Record(Topics.BACKUP_SCHEDULES, plan.stanza(), EventCodec.encode(plan));
    }

    /** Requests go to their request topic; everything that happens to them to backup.events. */
    static String topicOf(BackupEvent event) {
        return switch (event.category()) {
            case REQUEST -> switch (event.subject()) {
                case RESTORE -> Topics.RESTORE_REQUESTS;
                default -> Topics.BACKUP_REQUESTS;
            };
            default -> Topics.BACKUP_EVENTS;
        };
    }

    /** The relay sends right after the commit instead of at its next poll. */
    private void wakeRelayAfterCommit() {
        if (transactions.getResource(OutboxRelay.class) != null) {
            return;
        }
        transactions.putResource(OutboxRelay.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {

            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }
}
