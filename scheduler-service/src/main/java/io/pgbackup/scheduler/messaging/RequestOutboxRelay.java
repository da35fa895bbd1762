package io.pgbackup.scheduler.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Publishes scheduled requests. Rows are locked with SKIP LOCKED so two scheduler replicas never
 * send the same row, and deleted in the transaction that sent them, after the broker's ack.
 */
@ApplicationScoped
public class RequestOutboxRelay {

    private static final Logger LOG = Logger.getLogger(RequestOutboxRelay.class);

    private final EntityManager em;
    private final BackupEventsPublisher publisher;

    public RequestOutboxRelay(EntityManager em, BackupEventsPublisher publisher) {
        this.em = em;
        this.publisher = publisher;
    }

    @Scheduled(every = "${scheduler.outbox-interval:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            while (QuarkusTransaction.requiringNew().call(this::sendBatch) > 0) {
                // next batch
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not publish scheduled requests yet (%s); will retry", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private int sendBatch() {
        List<Object[]> rows = em.createNativeQuery(
                "SELECT id, record_key, payload, topic FROM request_outbox ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED")
                .getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        // Sent together, acknowledged together: the producer keeps the order per key, and a failure
        // rolls the whole batch back for a later retry (re-sent requests keep their request ids).
        List<Uni<Void>> acks = rows.stream()
                .map(row -> publisher.rawAsync(Topics.RESTORE_REQUESTS.equals(row[3])
                        ? Channels.RESTORES_OUT
                        : Channels.REQUESTS_OUT, (String) row[1], (String) row[2]))
                .toList();
        Uni.join().all(acks).andFailFast().await().atMost(Duration.ofSeconds(60));
        em.createNativeQuery("DELETE FROM request_outbox WHERE id <= ?1 AND id >= ?2")
                .setParameter(1, rows.get(rows.size() - 1)[0]).setParameter(2, rows.get(0)[0]).executeUpdate();
        return rows.size();
    }
}
