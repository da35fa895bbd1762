package io.pgbackup.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupStarted;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.platform.consumer.DeadLetters;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The consumer policy on a real broker: poison never stops a consumer, failures end in the DLQ. */
@QuarkusTest
@WithTestResource(value = PlatformBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class ConsumerPolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> dlq;

    @Inject
    TestConsumer consumer;

    @BeforeAll
    static void watch() {
        kafka = new KafkaCompanion(PlatformBroker.kafka().bootstrapServers());
        dlq = kafka.consumeStrings().withGroupId("dlq-" + UUID.randomUUID()).withOffsetReset("earliest")
                .fromTopics(PlatformBroker.TEST_TOPIC + ".dlq");
    }

    @AfterAll
    static void close() {
        dlq.close();
        kafka.close();
    }

    private static void publish(String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(PlatformBroker.TEST_TOPIC, key, value))
                .awaitCompletion(WAIT);
    }

    private static BackupStarted started(UUID id) {
        return new BackupStarted(1, EventIds.of(id, "BackupStarted"), id, "main", "db1", Instant.now(),
                BackupType.FULL);
    }

    private boolean handled(UUID id) {
        return consumer.handled().stream().anyMatch(e -> e.requestId().equals(id));
    }

    private static List<ConsumerRecord<String, String>> deadLettered(String marker) {
        return dlq.getRecords().stream().filter(r -> r.key() != null && r.key().equals(marker)).toList();
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void poisonGoesToTheDeadLetterQueueOnceWithItsReasonAndTheConsumerGoesOn() {
        String marker = "poison-" + UUID.randomUUID();
        String valid = EventCodec.encode(started(UUID.randomUUID()));
        String completed = "{\"type\":\"BackupCompleted\",\"schemaVersion\":1,\"eventId\":\"" + UUID.randomUUID()
                + "\",\"requestId\":\"" + UUID.randomUUID() + "\",\"stanza\":\"main\",\"executorId\":\"db1\","
                + "\"occurredAt\":\"2026-11-25T01:00:00Z\",\"backupType\":\"full\",\"label\":\"20261125-010000F\","
                + "\"durationSeconds\":\"abc\"}";
        Map<String, String> poison = Map.of(
                "this is not json", "not valid JSON",
                "{\"type\":\"BackupFailed\"}", "required field(s) missing or null",
                valid.replaceFirst("\"requestId\":\"[^\"]+\"", "\"requestId\":\"not-a-uuid\""), "requestId",
                valid.replace("\"stanza\":\"main\"", "\"stanza\":null"), "stanza",
                "{\"type\":\"BackupTeleported\",\"stanza\":\"main\"}", "unknown type 'BackupTeleported'",
                "{\"type\":\"BackupStarted\",\"pad\":\"" + "x".repeat(1_000_000) + "\"}", "larger than",
                completed, "durationSeconds");
        poison.keySet().forEach(value -> publish(marker, value));
        UUID after = UUID.randomUUID();
        publish(marker, EventCodec.encode(started(after)));

        Awaitility.await("the valid record after the poison").atMost(WAIT).until(() -> handled(after));
        Awaitility.await("every poison record dead-lettered").atMost(WAIT)
                .until(() -> deadLettered(marker).size() >= poison.size());
        List<ConsumerRecord<String, String>> copies = deadLettered(marker);
        assertEquals(poison.size(), copies.size(), "each poison record once");
        for (Map.Entry<String, String> p : poison.entrySet()) {
            List<ConsumerRecord<String, String>> same = copies.stream().filter(r -> p.getKey().equals(r.value()))
                    .toList();
            assertEquals(1, same.size(), "once: " + p.getKey().substring(0, Math.min(60, p.getKey().length())));
            String reason = header(same.get(0), DeadLetters.REASON);
            assertTrue(reason != null && reason.contains(p.getValue()), reason + " should name " + p.getValue());
            assertEquals(PlatformBroker.TEST_TOPIC, header(same.get(0), DeadLetters.TOPIC));
            assertEquals("platform-test", header(same.get(0), DeadLetters.CONSUMER));
            assertTrue(Long.parseLong(header(same.get(0), DeadLetters.OFFSET)) >= 0);
        }
    }

    @Test
    void aRecordThatKeepsFailingEndsInTheDeadLetterQueueAfterBoundedAttempts() {
        String marker = "failing-" + UUID.randomUUID();
        UUID failing = UUID.randomUUID();
        consumer.failAlways(failing);
        publish(marker, EventCodec.encode(started(failing)));
        UUID after = UUID.randomUUID();
        publish(marker, EventCodec.encode(started(after)));

        Awaitility.await().atMost(WAIT).until(() -> handled(after));
        assertEquals(5, consumer.attempts(failing), "pgbackup.consumer.max-attempts");
        Awaitility.await().atMost(WAIT).until(() -> deadLettered(marker).size() == 1);
        String reason = header(deadLettered(marker).get(0), DeadLetters.REASON);
        assertTrue(reason.startsWith("processing failed 5 times: IllegalStateException: this event always fails"),
                reason);
    }

    @Test
    void transientFailuresAreRetriedUntilTheyPassAndNothingIsDeadLettered() {
        String marker = "transient-" + UUID.randomUUID();
        UUID flaky = UUID.randomUUID();
        // More transient failures than max-attempts: a transient failure never counts towards it.
        consumer.failTransiently(flaky, 12);
        publish(marker, EventCodec.encode(started(flaky)));
        UUID after = UUID.randomUUID();
        publish(marker, EventCodec.encode(started(after)));

        Awaitility.await().atMost(WAIT).until(() -> handled(after));
        assertTrue(handled(flaky));
        assertEquals(13, consumer.attempts(flaky));
        List<UUID> order = consumer.handled().stream().map(BackupEvent::requestId)
                .filter(id -> id.equals(flaky) || id.equals(after)).collect(Collectors.toList());
        assertEquals(List.of(flaky, after), order, "records of one partition keep their order");
        assertEquals(List.of(), deadLettered(marker));
    }
}
