package io.pgbackup.scheduler.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.smallrye.mutiny.Uni;
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
    private final MutinyEmitter<String> restores;

    public BackupEventsPublisher(
            @Channel(Channels.REQUESTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<String> requests,
            @Channel(Channels.EVENTS_OUT) MutinyEmitter<String> events,
            @Channel(Channels.RESTORES_OUT) MutinyEmitter<String> restores) {
        this.restores = restores;
        this.requests = requests;
        this.events = events;
    }

    public void request(BackupRequested request) {
        send(requests, request);
    }

    public void restore(io.pgbackup.events.RestoreRequested request) {
        send(restores, request);
    }

    public void event(BackupEvent event) {
        send(events, event);
    }

    /** An already encoded record, from an outbox; completes when the broker acknowledged it. */
    public Uni<Void> rawAsync(String channel, String key, String payload) {
        MutinyEmitter<String> emitter = switch (channel) {
            case Channels.REQUESTS_OUT -> requests;
            case Channels.RESTORES_OUT -> restores;
            default -> events;
        };
        return emitter.sendMessage(message(key, payload));
    }

    private static Message<String> message(String stanza, String payload) {
        String key = stanza == null ? "" : stanza;
        if (key.length() > MAX_KEY) {
            key = key.substring(0, MAX_KEY);
        }
        return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }

    private static void send(MutinyEmitter<String> emitter, BackupEvent event) {
        send(emitter, event.stanza(), EventCodec.encode(event));
    }

    private static void send(MutinyEmitter<String> emitter, String stanza, String payload) {
        emitter.sendMessage(message(stanza, payload)).await().atMost(ACK_TIMEOUT);
    }
}
