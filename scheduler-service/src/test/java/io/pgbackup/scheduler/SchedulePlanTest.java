package io.pgbackup.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.ScheduleKind;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.Topics;
import io.pgbackup.scheduler.domain.PlanPublisher;
import io.pgbackup.scheduler.domain.SchedulePlanner;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Each stanza's plan on backup.schedules: what the health service checks the backups against. */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class SchedulePlanTest {

    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> plans;

    @Inject
    SchedulePlanner planner;

    @Inject
    PlanPublisher publisher;

    @Inject
    EntityManager em;

    @BeforeAll
    static void watch() {
        kafka = new KafkaCompanion(KafkaBroker.bootstrapServers());
        plans = kafka.consumeStrings().withGroupId("plans-" + UUID.randomUUID()).withOffsetReset("earliest")
                .fromTopics(Topics.BACKUP_SCHEDULES);
    }

    @AfterAll
    static void close() {
        plans.close();
        kafka.close();
    }

    private static Optional<SchedulePlan> latest(String stanza) {
        List<ConsumerRecord<String, String>> of = plans.getRecords().stream().filter(r -> stanza.equals(r.key()))
                .toList();
        return of.isEmpty() || of.get(of.size() - 1).value() == null
                ? Optional.empty()
                : EventCodec.decodePlan(of.get(of.size() - 1).value());
    }

    private static Map<ScheduleKind, String> crons(SchedulePlan plan) {
        return plan.schedules().stream().collect(Collectors.toMap(SchedulePlan.Planned::kind,
                SchedulePlan.Planned::cron));
    }

    @Test
    void everyStanzaHasItsPlanWithItsOverridesFromTheStart() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> latest("gamma").isPresent()
                && latest("beta").isPresent() && latest("main").isPresent() && latest("alpha").isPresent());
        assertEquals(Map.of(ScheduleKind.FULL, "0 2 * * 0", ScheduleKind.DIFF, "0 2 * * 1-6", ScheduleKind.INCR,
                "0 */6 * * *", ScheduleKind.DRILL, "0 4 * * 0"), crons(latest("main").orElseThrow()));
        assertEquals("0 2 * * *", crons(latest("beta").orElseThrow()).get(ScheduleKind.DIFF));
        assertEquals(Map.of(ScheduleKind.FULL, "0 2 * * 0", ScheduleKind.DIFF, "0 2 * * 1-6"),
                crons(latest("gamma").orElseThrow()), "gamma's incr and drill are off");
        SchedulePlan main = latest("main").orElseThrow();
        assertEquals("UTC", main.timeZone());
        assertEquals(2, main.drillAfterBackups());
    }

    @Test
    void aFireMovesThePlansLastAndNextPlannedMinutes() {
        // In the past: a later fire would change what other test classes' catch-up finds.
        Instant planned = Instant.parse("2020-03-02T12:00:00Z");
        planner.tick(planned.plusSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> latest("alpha")
                .flatMap(p -> p.of(ScheduleKind.INCR)).map(SchedulePlan.Planned::lastPlanned)
                .filter(planned::equals).isPresent());
        SchedulePlan.Planned incr = latest("alpha").orElseThrow().of(ScheduleKind.INCR).orElseThrow();
        assertEquals(Instant.parse("2020-03-02T18:00:00Z"), incr.nextPlanned());
    }

    @Test
    void aStanzaNoLongerScheduledGetsATombstone() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO published_plan (stanza,"
                + " published_at) VALUES ('retired', now()) ON CONFLICT DO NOTHING").executeUpdate());
        QuarkusTransaction.requiringNew().run(() -> publisher.withdrawOthers(planner.schedules()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> plans.getRecords().stream()
                .anyMatch(r -> "retired".equals(r.key())));
        ConsumerRecord<String, String> tombstone = plans.getRecords().stream().filter(r -> "retired".equals(r.key()))
                .reduce((a, b) -> b).orElseThrow();
        assertNull(tombstone.value(), "a null value removes the stanza's plan from the compacted topic");
    }
}
