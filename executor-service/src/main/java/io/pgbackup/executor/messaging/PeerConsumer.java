package io.pgbackup.executor.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.executor.stanza.Peers;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Status reports of every executor, for the stanzas this one serves too (the health service owns the topic's DLQ). */
@ApplicationScoped
public class PeerConsumer {

    private final Peers peers;
    private final ConsumerPolicy policy;

    public PeerConsumer(Peers peers, ConsumerPolicy policy) {
        this.peers = peers;
        this.policy = policy;
    }

    @Incoming(Channels.STATUS_IN)
    @Blocking
    public CompletionStage<Void> onReport(Message<String> message) {
        return policy.consume(message, EventCodec::readStatus, ConsumerPolicy.Unreadable.PASS_OVER,
                (report, record) -> peers.saw(report));
    }
}
