package io.pgbackup.scheduler.messaging;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.scheduler.domain.Coordinator;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * The coordinator for restore.requests, as for backups: unreadable records to the dead-letter
 * topic, invalid requests answered with RestoreFailed at once (nothing is touched), valid ones
 * tracked until the stanza's executor claims them.
 */
@ApplicationScoped
public class RestoreRequestWatcher {

    /** The tracked request's kind, so an unclaimed restore is answered with RestoreFailed. */
    public static final String RESTORE = "restore";

    private final Coordinator coordinator;
    private final BackupEventsPublisher publisher;

    public RestoreRequestWatcher(Coordinator coordinator, BackupEventsPublisher publisher) {
        this.coordinator = coordinator;
        this.publisher = publisher;
    }

    @Incoming(Channels.RESTORES_IN)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        RestoreRequests.Reading reading = RestoreRequests.read(message.getPayload(), Instant.now());
        if (reading instanceof RestoreRequests.Malformed malformed) {
            return message.nack(new MalformedRequestException(malformed.reason()));
        }
        if (reading instanceof RestoreRequests.Invalid invalid) {
            var r = invalid.request();
            RestoreTarget target = new RestoreTarget(StanzaNames.printable(r.target().kind()),
                    r.target().value() == null ? null : StanzaNames.printable(r.target().value()));
            publisher.event(new RestoreFailed(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreFailed"),
                    r.requestId(), StanzaNames.printable(r.stanza()), null, Instant.now(),
                    StanzaNames.printable(r.mode()), target, invalid.errorCode(), null, invalid.reason()));
            return message.ack();
        }
        var valid = (RestoreRequests.Valid) reading;
        Instant publishedAt = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTimestamp).orElse(Instant.now());
        coordinator.track(valid.request().requestId(), valid.request().stanza(), RESTORE + ":" + valid.request().mode(),
                publishedAt);
        return message.ack();
    }
}
