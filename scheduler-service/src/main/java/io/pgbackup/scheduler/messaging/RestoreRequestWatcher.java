package io.pgbackup.scheduler.messaging;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.Channels;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.pgbackup.scheduler.domain.Coordinator;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The coordinator for restore.requests, as for backups: unreadable records to the dead-letter
 * topic, invalid requests answered with RestoreFailed at once (nothing is touched), valid ones
 * tracked until the stanza's executor claims them.
 */
@ApplicationScoped
public class RestoreRequestWatcher {

    private final Coordinator coordinator;
    private final ConsumerPolicy policy;

    public RestoreRequestWatcher(Coordinator coordinator, ConsumerPolicy policy) {
        this.coordinator = coordinator;
        this.policy = policy;
    }

    @Incoming(Channels.RESTORES_IN)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        return policy.consume(message, payload -> RestoreRequests.readRecord(payload, Instant.now()),
                ConsumerPolicy.Unreadable.DEAD_LETTER,
                (reading, record) -> {
                    if (reading instanceof RestoreRequests.Invalid invalid) {
                        coordinator.refuse(Coordinator.refusal(invalid.request(), invalid.errorCode(),
                                invalid.reason()));
                    } else {
                        var valid = (RestoreRequests.Valid) reading;
                        coordinator.trackRestore(valid.request().requestId(), valid.request().stanza(), valid.mode(),
                                record.timestamp());
                    }
                });
    }
}
