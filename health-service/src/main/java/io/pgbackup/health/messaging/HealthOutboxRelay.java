package io.pgbackup.health.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Sends status transitions to backup.health in order, deleting each after the broker's ack. */
@ApplicationScoped
public class HealthOutboxRelay {

    private static final Logger LOG = Logger.getLogger(HealthOutboxRelay.class);

    private final EntityManager em;
    private final MutinyEmitter<String> health;

    public HealthOutboxRelay(EntityManager em, @Channel(Channels.HEALTH_OUT) MutinyEmitter<String> health) {
        this.em = em;
        this.health = health;
    }

    @Scheduled(every = "${health.outbox-interval:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            while (QuarkusTransaction.requiringNew().call(this::sendBatch) > 0) {
                // next batch
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not publish health changes yet (%s); will retry", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private int sendBatch() {
        List<Object[]> rows = em.createNativeQuery(
                "SELECT id, record_key, payload FROM health_outbox ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED")
                .getResultList();
        for (Object[] row : rows) {
            health.sendMessage(Message.of((String) row[2])
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey((String) row[1]).build()))
                    .await().atMost(Duration.ofSeconds(30));
            em.createNativeQuery("DELETE FROM health_outbox WHERE id = ?1").setParameter(1, row[0]).executeUpdate();
        }
        return rows.size();
    }
}
