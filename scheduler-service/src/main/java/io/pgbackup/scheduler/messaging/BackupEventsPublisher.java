package io.pgbackup.scheduler.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes to backup.requests and backup.events and waits for the broker's acknowledgement. */
@ApplicationScoped
public class BackupEventsPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka keys of answers to invalid requests are cut so a 10 KB "stanza" is not copied into the key. */
    private static final int MAX_KEY = 128;

    private final MutinyEmitter<String> requests;
    private final MutinyEmitter<String> events;

    public BackupEventsPublisher(@Channel(Channels.REQUESTS_OUT) MutinyEmitter<String> requests,
            @Channel(Channels.EVENTS_OUT) MutinyEmitter<String> events) {
        this.requests = requests;
        this.events = events;
    }

    public void request(BackupRequested request) {
        send(requests, request);
    }

    public void event(BackupEvent event) {
        send(events, event);
    }

    private static void send(MutinyEmitter<String> emitter, BackupEvent event) {
        String key = event.stanza() == null ? "" : event.stanza();
        if (key.length() > MAX_KEY) {
            key = key.substring(0, MAX_KEY);
        }
        emitter.sendMessage(Message.of(EventCodec.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()))
                .await().atMost(ACK_TIMEOUT);
    }
}
