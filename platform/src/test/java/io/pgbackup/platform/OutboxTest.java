package io.pgbackup.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionalException;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.platform.outbox.Outbox;
import io.pgbackup.platform.outbox.OutboxRelay;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The transactional outbox against a real PostgreSQL and a real broker that goes away and comes back. */
@QuarkusTest
@WithTestResource(value = PlatformBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class OutboxTest {

    private static final int ROWS = 10_000;
    private static final int WRITERS = 8;

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    EntityManager em;

    private long pending() {
        return QuarkusTransaction.requiringNew().call(
                () -> ((Number) em.createNativeQuery("SELECT count(*) FROM outbox").getSingleResult()).longValue());
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        assertThrows(TransactionalException.class, () -> outbox.publish(PlatformBroker.OUTBOX_TOPIC, "k", "v"));
    }

    @Test
    void aRowWaitsWhileAnOlderRowOfItsKeyIsLeasedByAnotherRelay() {
        String run = UUID.randomUUID().toString();
        String held = "held-" + run;
        String free = "free-" + run;
        try (KafkaCompanion kafka = new KafkaCompanion(PlatformBroker.kafka().bootstrapServers());
                ConsumerTask<String, String> topic = kafka.consumeStrings().withGroupId("order-" + run)
                        .withOffsetReset("earliest").fromTopics(PlatformBroker.ORDER_TOPIC)) {
            QuarkusTransaction.requiringNew().run(() -> {
                // As another relay leaves it mid-send: claimed, its lease still running.
                em.createNativeQuery("INSERT INTO outbox (topic, record_key, payload, created_at, claimed_until,"
                        + " claimed_by) VALUES (?1, ?2, ?3, now(), now() + interval '1 hour', 'another-relay')")
                        .setParameter(1, PlatformBroker.ORDER_TOPIC).setParameter(2, held)
                        .setParameter(3, "first").executeUpdate();
                outbox.publish(PlatformBroker.ORDER_TOPIC, held, "second");
                outbox.publish(PlatformBroker.ORDER_TOPIC, free, "unrelated");
            });
            Awaitility.await("the row of another key is sent").atMost(Duration.ofSeconds(30))
                    .until(() -> topic.getRecords().stream().anyMatch(r -> free.equals(r.key())));
            assertEquals(List.of(), topic.getRecords().stream().filter(r -> held.equals(r.key()))
                    .map(ConsumerRecord::value).toList(), "nothing of the held key overtakes its leased row");
            assertEquals(2L, (long) QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "SELECT count(*) FROM outbox WHERE record_key = ?1").setParameter(1, held).getSingleResult())
                    .longValue()));

            // The other relay's lease runs out: both rows leave, in the order they were written.
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE record_key = ?1")
                    .setParameter(1, held).executeUpdate());
            Awaitility.await("the held key's rows are sent").atMost(Duration.ofSeconds(30))
                    .until(() -> topic.getRecords().stream().filter(r -> held.equals(r.key())).count() == 2);
            assertEquals(List.of("first", "second"), topic.getRecords().stream().filter(r -> held.equals(r.key()))
                    .map(ConsumerRecord::value).toList());
        }
    }

    @Test
    void rowsLeftLeasedByThisRelaysFailedRoundAreSentWithoutWaitingForTheLease() {
        String run = UUID.randomUUID().toString();
        String key = "left-" + run;
        try (KafkaCompanion kafka = new KafkaCompanion(PlatformBroker.kafka().bootstrapServers());
                ConsumerTask<String, String> topic = kafka.consumeStrings().withGroupId("left-" + run)
                        .withOffsetReset("earliest").fromTopics(PlatformBroker.ORDER_TOPIC)) {
            QuarkusTransaction.requiringNew().run(() -> {
                // As a round of this relay leaves them when the database goes away after the claim:
                // the release fails, the lease runs on.
                em.createNativeQuery("INSERT INTO outbox (topic, record_key, payload, created_at, claimed_until,"
                        + " claimed_by) VALUES (?1, ?2, 'first', now(), now() + interval '1 hour', ?3)")
                        .setParameter(1, PlatformBroker.ORDER_TOPIC).setParameter(2, key)
                        .setParameter(3, relay.id()).executeUpdate();
                outbox.publish(PlatformBroker.ORDER_TOPIC, key, "second");
            });
            Awaitility.await("both rows sent long before the hour's lease").atMost(Duration.ofSeconds(30))
                    .until(() -> topic.getRecords().stream().filter(r -> key.equals(r.key())).count() == 2);
            assertEquals(List.of("first", "second"), topic.getRecords().stream().filter(r -> key.equals(r.key()))
                    .map(ConsumerRecord::value).toList());
        }
    }

    @Test
    void rowsOfConcurrentTransactionsAreEachSentOnceThroughABrokerOutage() throws Exception {
        String run = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(PlatformBroker.kafka().bootstrapServers())) {
            ConsumerTask<String, String> topic = kafka.consumeStrings().withGroupId("outbox-" + run)
                    .withOffsetReset("earliest").fromTopics(PlatformBroker.OUTBOX_TOPIC);
            AtomicInteger written = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < ROWS / WRITERS; i += 10) {
                        int first = i;
                        // Ten rows per transaction, while the relay sends what earlier ones wrote.
                        QuarkusTransaction.requiringNew().run(() -> {
                            for (int j = first; j < first + 10; j++) {
                                outbox.publish(PlatformBroker.OUTBOX_TOPIC, "key-" + (j % 50),
                                        run + "/" + writer + "/" + j);
                            }
                        });
                        written.addAndGet(10);
                    }
                }));
            }
            Awaitility.await("a third written").atMost(Duration.ofSeconds(60)).until(() -> written.get() >= ROWS / 3);
            PlatformBroker.kafka().stop();
            try {
                // Writers go on while the broker is away; their rows wait in the outbox.
                Awaitility.await("rows waiting for the broker").atMost(Duration.ofSeconds(60))
                        .until(() -> pending() > 100);
                RestAssured.get("/q/metrics").then().statusCode(200);
                String metrics = RestAssured.get("/q/metrics").asString();
                assertTrue(metrics.contains("pgbackup_outbox_pending_rows"), "pending gauge exported");
                assertTrue(metrics.contains("pgbackup_outbox_oldest_age_seconds"), "age gauge exported");
            } finally {
                PlatformBroker.kafka().startAgain();
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            writers.shutdown();
            assertEquals(ROWS, written.get());

            Awaitility.await("the outbox drained").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> pending() == 0);
            // Read back with a new consumer, until every row is seen: a consumer may itself see a record
            // twice (a rebalance before its first commit), which says nothing about the topic, so
            // duplicates are counted on the topic itself below, by its offsets.
            try (ConsumerTask<String, String> fresh = kafka.consumeStrings().withGroupId("check-" + run)
                    .withOffsetReset("earliest").fromTopics(PlatformBroker.OUTBOX_TOPIC)) {
                java.util.function.Supplier<Set<String>> rows = () -> fresh.getRecords().stream()
                        .map(ConsumerRecord::value).filter(v -> v.startsWith(run)).collect(Collectors.toSet());
                Awaitility.await("every row read back").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> rows.get().size() >= ROWS);
                assertEquals(ROWS, rows.get().size(), "no row lost");
            }
            // Only this test writes the topic: it holds exactly one record per row, so no row was sent twice.
            Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
            for (int p = 0; p < 3; p++) {
                ends.put(new TopicPartition(PlatformBroker.OUTBOX_TOPIC, p), OffsetSpec.latest());
            }
            long onTopic = kafka.offsets().list(ends).values().stream().mapToLong(o -> o.offset()).sum();
            assertEquals(ROWS, onTopic, "records on the topic");
            assertEquals(0, pending(), "no row left in the outbox");
            topic.close();
        }
    }
}
