package io.pgbackup.scheduler.messaging;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.scheduler.domain.Coordinator;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * The coordinator's view of backup.requests (its own consumer group): the one place that answers
 * what no executor will. Malformed records go to the dead-letter topic, invalid requests get a
 * BackupFailed at once, valid ones are tracked until an executor claims them.
 */
@ApplicationScoped
public class RequestWatcher {

    private static final Logger LOG = Logger.getLogger(RequestWatcher.class);
    static final String COORDINATOR = null;

    private final Coordinator coordinator;
    private final BackupEventsPublisher publisher;

    public RequestWatcher(Coordinator coordinator, BackupEventsPublisher publisher) {
        this.coordinator = coordinator;
        this.publisher = publisher;
    }

    @Incoming(Channels.REQUESTS_IN)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        EventCodec.RequestReading reading = EventCodec.readRequest(message.getPayload());
        if (reading instanceof EventCodec.Malformed malformed) {
            LOG.debugf("dead-lettering a record of backup.requests: %s", malformed.reason());
            return message.nack(new MalformedRequestException(malformed.reason()));
        }
        if (reading instanceof EventCodec.Invalid invalid) {
            var request = invalid.request();
            LOG.debugf("refusing request %s: %s", request.requestId(), invalid.reason());
            publisher.event(new BackupFailed(BackupEvent.SCHEMA_VERSION,
                    EventIds.of(request.requestId(), "BackupFailed"), request.requestId(),
                    StanzaNames.printable(request.stanza()), COORDINATOR, Instant.now(),
                    StanzaNames.printable(request.backupType()), invalid.errorCode(), null, invalid.reason(), false));
            return message.ack();
        }
        var valid = (EventCodec.Valid) reading;
        Instant publishedAt = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTimestamp).orElse(Instant.now());
        coordinator.track(valid.request(), publishedAt);
        return message.ack();
    }
}
