package io.pgbackup.notifier.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.notifier.domain.Alerting;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.pgbackup.platform.consumer.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * backup.events and backup.health in. Each event is recorded as processed in the transaction that
 * writes its alerts and their deliveries, so a notifier killed before sending still has them (and
 * sends them after restart) and a redelivered event alerts nobody twice. This service owns the
 * dead-letter queue of backup.health; backup.events' is the health service's.
 */
@ApplicationScoped
public class EventListener {

    /** The consumer name under which this service records processed event ids. */
    static final String CONSUMER = "notifier";

    private final Alerting alerting;
    private final ConsumerPolicy policy;
    private final Inbox inbox;

    public EventListener(Alerting alerting, ConsumerPolicy policy, Inbox inbox) {
        this.alerting = alerting;
        this.policy = policy;
        this.inbox = inbox;
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        return policy.consume(message, EventCodec::readEvent, ConsumerPolicy.Unreadable.PASS_OVER,
                (event, record) -> QuarkusTransaction.requiringNew().run(() -> {
                    if (inbox.firstTime(CONSUMER, event.eventId())) {
                        alerting.onEvent(event);
                    }
                }));
    }

    @Incoming(Channels.HEALTH_IN)
    @Blocking
    public CompletionStage<Void> onHealthChange(Message<String> message) {
        return policy.consume(message, EventCodec::readHealthChange, ConsumerPolicy.Unreadable.DEAD_LETTER,
                (change, record) -> QuarkusTransaction.requiringNew().run(() -> {
                    if (inbox.firstTime(CONSUMER, change.eventId())) {
                        alerting.onHealthChange(change);
                    }
                }));
    }
}
