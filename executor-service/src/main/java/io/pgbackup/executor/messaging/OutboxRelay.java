package io.pgbackup.executor.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.executor.persistence.OutboxEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends outbox rows to {@code backup.events} in order and deletes each only after the broker
 * acknowledged it. A crash in between re-sends the row; its event id is stable, so consumers
 * that store by event id see it once.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<String> events;

    public OutboxRelay(@Channel(Channels.EVENTS_OUT) MutinyEmitter<String> events) {
        this.events = events;
    }

    @Scheduled(every = "${executor.outbox-interval:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        while (true) {
            List<OutboxEvent> batch = QuarkusTransaction.requiringNew()
                    .call(() -> OutboxEvent.<OutboxEvent>find("order by id").page(0, 100).list());
            if (batch.isEmpty()) {
                return;
            }
            for (OutboxEvent row : batch) {
                try {
                    events.sendMessage(Message.of(row.payload)
                            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(row.recordKey).build()))
                            .await().atMost(SEND_TIMEOUT);
                } catch (RuntimeException e) {
                    LOG.warnf("could not publish event %d yet (%s); will retry", row.id, e.getMessage());
                    return;
                }
                QuarkusTransaction.requiringNew().run(() -> OutboxEvent.deleteById(row.id));
            }
        }
    }
}
