package io.pgbackup.scheduler.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.pgbackup.scheduler.domain.Coordinator;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The coordinator's view of backup.requests (its own consumer group): the one place that answers
 * what no executor will. It owns the topic's dead-letter queue: unreadable records go there;
 * invalid requests get a BackupFailed at once; valid ones are tracked until an executor claims
 * them.
 */
@ApplicationScoped
public class RequestWatcher {

    private static final Logger LOG = Logger.getLogger(RequestWatcher.class);

    private final Coordinator coordinator;
    private final ConsumerPolicy policy;

    public RequestWatcher(Coordinator coordinator, ConsumerPolicy policy) {
        this.coordinator = coordinator;
        this.policy = policy;
    }

    @Incoming(Channels.REQUESTS_IN)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        return policy.consume(message, EventCodec::readRequestRecord, ConsumerPolicy.Unreadable.DEAD_LETTER,
                (reading, record) -> {
                    if (reading instanceof EventCodec.Invalid invalid) {
                        LOG.debugf("refusing request %s: %s", invalid.request().requestId(), invalid.reason());
                        coordinator.refuse(Coordinator.refusal(invalid.request(), invalid.errorCode(),
                                invalid.reason()));
                    } else {
                        var request = ((EventCodec.Valid) reading).request();
                        coordinator.track(request.requestId(), request.stanza(), request.backupType(),
                                record.timestamp());
                    }
                });
    }
}
