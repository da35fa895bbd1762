package io.pgbackup.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.notifier.domain.Alerting;
import io.pgbackup.notifier.persistence.ProcessedEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * backup.events and backup.health in. Each event is recorded as processed in the transaction that
 * writes its alerts and their deliveries, so a notifier killed before sending still has them
 * (and sends them after restart) and a redelivered event alerts nobody twice.
 */
@ApplicationScoped
public class EventListener {

    private final Alerting alerting;

    public EventListener(Alerting alerting) {
        this.alerting = alerting;
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    @Transactional
    public void onEvent(String payload) {
        EventCodec.decodeEvent(payload).filter(e -> ProcessedEvent.firstTime(e.eventId()))
                .ifPresent(alerting::onEvent);
    }

    @Incoming(Channels.HEALTH_IN)
    @Blocking
    @Transactional
    public void onHealthChange(String payload) {
        EventCodec.decodeHealthChange(payload).filter(c -> ProcessedEvent.firstTime(c.eventId()))
                .ifPresent(alerting::onHealthChange);
    }
}
