package io.pgbackup.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

import io.pgbackup.events.Topics;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * A topic's dead-letter queue as an operator reads it: from its start, with the headers the
 * consumer policy writes ({@code dead-letter-reason}, {@code dead-letter-consumer}, ...).
 */
public final class DeadLetterQueue implements AutoCloseable {

    private final ConsumerTask<String, String> records;

    private DeadLetterQueue(ConsumerTask<String, String> records) {
        this.records = records;
    }

    /** Starts reading the dead-letter queue of {@code topic} from its start, in a group of its own. */
    public static DeadLetterQueue of(KafkaTopics topics, String topic) {
        return new DeadLetterQueue(topics.companion().consumeStrings().withGroupId("dlq-" + UUID.randomUUID())
                .withOffsetReset("earliest").fromTopics(Topics.deadLetters(topic)));
    }

    /** The dead-letter copies of exactly this record value. */
    public List<ConsumerRecord<String, String>> copiesOf(String value) {
        return records.getRecords().stream().filter(r -> value.equals(r.value())).toList();
    }

    /** The values the named consumer dead-lettered. */
    public List<String> deadLetteredBy(String consumer) {
        return records.getRecords().stream().filter(r -> consumer.equals(header(r, "dead-letter-consumer")))
                .map(ConsumerRecord::value).toList();
    }

    /**
     * Awaits every poison record here, then asserts each is here once, with a reason, put here by
     * {@code consumer} (the topic's owner).
     */
    public void assertEachOnce(Map<String, String> poison, String consumer, Duration wait) {
        Awaitility.await("every poison record in " + records).atMost(wait)
                .until(() -> poison.values().stream().allMatch(v -> !copiesOf(v).isEmpty()));
        poison.forEach((defect, value) -> {
            List<ConsumerRecord<String, String>> copies = copiesOf(value);
            assertEquals(1, copies.size(), defect + ": once");
            String reason = header(copies.get(0), "dead-letter-reason");
            assertTrue(reason != null && !reason.isBlank(), defect + ": a reason");
            assertEquals(consumer, header(copies.get(0), "dead-letter-consumer"), defect + ": by the owner");
        });
    }

    /** The reason the first copy of this value carries. */
    public String reason(String value) {
        return header(copiesOf(value).get(0), "dead-letter-reason");
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        records.close();
    }
}
