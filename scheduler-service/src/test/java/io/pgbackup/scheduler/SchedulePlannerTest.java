package io.pgbackup.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.TargetKind;
import io.pgbackup.events.Topics;
import io.pgbackup.scheduler.domain.SchedulePlanner;
import io.pgbackup.scheduler.domain.StanzaSchedule;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Durable schedules on a real broker and database, with the clock in the test's hand (the
 * automatic tick is off in the test profile). Stanzas: main, alpha (seed schedules), beta (diff
 * daily at 02:00, colliding with Sunday's full), gamma (no incr).
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulePlannerTest {

    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> requests;
    private static ConsumerTask<String, String> restores;

    @Inject
    SchedulePlanner planner;

    @BeforeAll
    static void watch() {
        companion = new KafkaCompanion(KafkaBroker.bootstrapServers());
        requests = companion.consumeStrings().withGroupId("sched-" + UUID.randomUUID()).withOffsetReset("earliest")
                .fromTopics(Topics.BACKUP_REQUESTS);
        restores = companion.consumeStrings().withGroupId("drills-" + UUID.randomUUID()).withOffsetReset("earliest")
                .fromTopics(Topics.RESTORE_REQUESTS);
    }

    @AfterAll
    static void close() {
        requests.close();
        restores.close();
        companion.close();
    }

    /** Scheduled requests on backup.requests planned for this instant, by stanza. */
    private static Map<String, List<BackupRequested>> published(Instant plannedAt) {
        return requests.getRecords().stream()
                .map(r -> EventCodec.readRequest(r.value()))
                .filter(r -> r instanceof EventCodec.Valid)
                .map(r -> ((EventCodec.Valid) r).request())
                .filter(r -> plannedAt.equals(r.plannedAt()))
                .collect(Collectors.groupingBy(BackupRequested::stanza));
    }

    private static Map<String, List<BackupRequested>> awaitPublished(Instant plannedAt, int stanzas) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> published(plannedAt),
                m -> m.size() >= stanzas);
    }

    private static void assertOneEach(Map<String, List<BackupRequested>> byStanza, String type, String... stanzas) {
        assertEquals(List.of(stanzas).stream().sorted().toList(), byStanza.keySet().stream().sorted().toList());
        byStanza.forEach((stanza, list) -> {
            assertEquals(1, list.size(), "one request for " + stanza);
            assertEquals(type, list.get(0).backupType(), stanza);
            assertEquals(type, list.get(0).schedule());
            assertEquals("schedule:" + type, list.get(0).requestedBy());
            assertEquals(SchedulePlanner.requestIdOf(stanza, list.get(0).plannedAt()), list.get(0).requestId());
        });
    }

    @Test
    @Order(1)
    void sundayTwoAmEmitsOneFullPerStanzaAndNoDiffEvenWhereADiffIsDue() {
        Instant planned = Instant.parse("2026-11-29T02:00:00Z");
        assertEquals(4, planner.tick(Instant.parse("2026-11-29T02:00:07Z")).size());
        // Later ticks of the same minute and the next one's look-back fire nothing more.
        assertEquals(0, planner.tick(Instant.parse("2026-11-29T02:00:41Z")).size());
        assertEquals(0, planner.tick(Instant.parse("2026-11-29T02:01:03Z")).size());
        assertOneEach(awaitPublished(planned, 4), "full", "main", "alpha", "beta", "gamma");
    }

    @Test
    @Order(2)
    void mondayTwoAmEmitsADiff() {
        Instant planned = Instant.parse("2026-11-30T02:00:00Z");
        planner.tick(Instant.parse("2026-11-30T02:00:02Z"));
        assertOneEach(awaitPublished(planned, 4), "diff", "main", "alpha", "beta", "gamma");
    }

    @Test
    @Order(3)
    void incrAtZeroSixTwelveAndEighteenWhereItIsOn() {
        for (String hour : List.of("00", "06", "12", "18")) {
            Instant planned = Instant.parse("2026-12-01T" + hour + ":00:00Z");
            planner.tick(planned.plusSeconds(20));
            assertOneEach(awaitPublished(planned, 3), "incr", "main", "alpha", "beta");
        }
        assertEquals(0, planner.tick(Instant.parse("2026-12-01T03:00:20Z")).size());
    }

    @Test
    @Order(4)
    void schedulersRacingOnOneDatabaseFireOnce() throws Exception {
        Instant now = Instant.parse("2026-12-02T12:00:05Z");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<List<StanzaSchedule.Fire>>> racers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                racers.add(() -> planner.tick(now));
            }
            int fired = 0;
            for (Future<List<StanzaSchedule.Fire>> f : pool.invokeAll(racers)) {
                fired += f.get().size();
            }
            assertEquals(3, fired, "main, alpha and beta once each");
        } finally {
            pool.shutdownNow();
        }
        // The in-memory state of a restarted scheduler is empty too: the database alone prevents a re-fire.
        assertEquals(0, planner.tick(now.plusSeconds(15)).size());
        Instant planned = Instant.parse("2026-12-02T12:00:00Z");
        assertOneEach(awaitPublished(planned, 3), "incr", "main", "alpha", "beta");
    }

    @Test
    @Order(5)
    void aFireMissedWhileDownIsCaughtUpOnceAtStart() {
        // Down from Saturday 2026-12-05 until Sunday 03:30: the incr at 00:00 and the full at 02:00
        // were missed; only the latest (the full) is requested.
        Instant start = Instant.parse("2026-12-06T03:30:00Z");
        List<StanzaSchedule.Fire> caughtUp = planner.catchUp(start);
        assertEquals(4, caughtUp.size());
        assertEquals(0, planner.catchUp(start.plusSeconds(5)).size(), "a second start catches nothing up");
        Instant planned = Instant.parse("2026-12-06T02:00:00Z");
        Map<String, List<BackupRequested>> byStanza = awaitPublished(planned, 4);
        byStanza.values().forEach(list -> {
            assertEquals(1, list.size());
            assertEquals("full", list.get(0).backupType());
            assertTrue(list.get(0).requestedBy().endsWith("(catch-up)"));
        });
        assertEquals(0, published(Instant.parse("2026-12-06T00:00:00Z")).size(), "only the latest missed fire");
    }

    private static List<RestoreRequested> drills(java.util.function.Predicate<RestoreRequested> which) {
        return restores.getRecords().stream()
                .map(r -> RestoreRequests.read(r.value(), Instant.now()))
                .filter(r -> r instanceof RestoreRequests.Valid).map(r -> ((RestoreRequests.Valid) r).request())
                .filter(which).toList();
    }

    @Test
    @Order(6)
    void sundayFourAmRequestsOneTestRestoreDrillPerStanzaWithDrillsOn() {
        planner.tick(Instant.parse("2026-11-29T04:00:03Z"));
        planner.tick(Instant.parse("2026-11-29T04:00:33Z"));
        List<RestoreRequested> drills = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> drills(r -> "schedule:drill".equals(r.requestedBy())), l -> l.size() >= 3);
        assertEquals(List.of("alpha", "beta", "main"), drills.stream().map(RestoreRequested::stanza).sorted().toList());
        drills.forEach(d -> {
            assertEquals(RestoreMode.TEST, d.mode());
            assertEquals(TargetKind.LATEST, d.target().kind());
        });
    }

    @Test
    @Order(7)
    void everySecondCompletedBackupOfAStanzaRequestsADrill() {
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            BackupCompleted done = new BackupCompleted(1, EventIds.of(id, "BackupCompleted"), id, "alpha", "exec-a",
                    Instant.now(), BackupType.INCR, BackupType.INCR, false, "20261124-020000F_20261124-0" + i + "0000I",
                    null,
                    Instant.now(), Instant.now(), 1.0, 1L, 1L, 1L, null, null, null, null);
            companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, "alpha",
                    EventCodec.encode(done))).awaitCompletion(Duration.ofSeconds(30));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> drills(r -> "after 2 backups".equals(r.requestedBy())).size() == 1);
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> drills(r -> "after 2 backups".equals(r.requestedBy())).size() == 1);
    }
}
