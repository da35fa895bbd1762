package io.pgbackup.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.Topics;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * What a user sees on the topics: publish by hand to {@code backup.requests}, watch
 * {@code backup.events} from the beginning.
 */
public final class KafkaTopics implements AutoCloseable {

    private final KafkaCompanion companion;
    private final ConsumerTask<String, String> events;

    public KafkaTopics(String bootstrapServers) {
        this.companion = new KafkaCompanion(bootstrapServers);
        this.events = companion.consumeStrings()
                .withGroupId("test-watcher-" + UUID.randomUUID())
                .withOffsetReset("earliest")
                .fromTopics(Topics.BACKUP_EVENTS);
    }

    public KafkaCompanion companion() {
        return companion;
    }

    /** Publishes one raw record to backup.requests and waits for the broker's acknowledgement. */
    public void publishRequest(String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.BACKUP_REQUESTS, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    /** Publishes one raw record to a topic and waits for the broker's acknowledgement. */
    public void publish(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    public static String request(UUID requestId, String stanza, String backupType) {
        return "{\"type\":\"BackupRequested\",\"requestId\":\"" + requestId + "\",\"stanza\":\"" + stanza
                + "\",\"backupType\":\"" + backupType + "\",\"requestedBy\":\"test\"}";
    }

    public List<ConsumerRecord<String, String>> rawEvents() {
        return events.getRecords();
    }

    public List<BackupEvent> events() {
        return rawEvents().stream().map(r -> EventCodec.decodeEvent(r.value()))
                .flatMap(Optional::stream).collect(Collectors.toList());
    }

    public List<BackupEvent> eventsFor(UUID requestId) {
        return events().stream().filter(e -> requestId.equals(e.requestId())).collect(Collectors.toList());
    }

    /** Waits for the request's terminal event (BackupCompleted or BackupFailed). */
    public BackupEvent awaitTerminal(UUID requestId, Duration timeout) {
        return Awaitility.await("terminal event for " + requestId).atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> eventsFor(requestId).stream().filter(BackupEvent::terminal).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    public <T extends BackupEvent> T awaitTerminal(UUID requestId, Class<T> expected, Duration timeout) {
        BackupEvent event = awaitTerminal(requestId, timeout);
        if (!expected.isInstance(event)) {
            throw new AssertionError("expected " + expected.getSimpleName() + " for " + requestId + " but got "
                    + EventCodec.encode(event));
        }
        return expected.cast(event);
    }

    @Override
    public void close() {
        events.close();
        companion.close();
    }
}
