package io.pgbackup.health;

import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.ScheduleKind;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.DeadLetterQueue;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.KafkaTopics;
import io.pgbackup.testsupport.Poison;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The poison list on every topic the health service reads: it goes on with the next record, and
 * the topics it owns (backup.events, backup.status, backup.schedules) get each poison record in
 * their dead-letter queue once, with the reason. The request topics are the coordinator's.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String stanza() {
        return "poison-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void backupEvents() {
        String stanza = stanza();
        String valid = EventCodec.encode(HealthEndpointTest.completed(stanza, Instant.now()));
        Map<String, String> poison = Poison.list(valid, "durationSeconds", "\"abc\"");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_EVENTS)) {
            Poison.publish(topics.companion(), Topics.BACKUP_EVENTS, stanza, poison.values());
            topics.publish(Topics.BACKUP_EVENTS, stanza, valid);

            Awaitility.await("the next event is processed").atMost(WAIT).untilAsserted(() -> get("/stanzas/" + stanza)
                    .then().statusCode(200).body("lastSuccessfulBackup.label", equalTo("20261124-020000F")));
            dlq.assertEachOnce(poison, "health-service", WAIT);
        }
    }

    @Test
    void statusReports() {
        String stanza = stanza();
        String valid = EventCodec.encode(new StanzaStatusReported(1, UUID.randomUUID(), stanza, "exec-p", Instant.now(),
                60, null, null));
        Map<String, String> poison = Poison.list(valid, "eventId", "intervalSeconds", "\"abc\"");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_STATUS)) {
            Poison.publish(topics.companion(), Topics.BACKUP_STATUS, stanza, poison.values());
            topics.publish(Topics.BACKUP_STATUS, stanza, valid);

            Awaitility.await("the next report is processed").atMost(WAIT).untilAsserted(() -> get("/stanzas/" + stanza)
                    .then().statusCode(200).body("executor.id", equalTo("exec-p")));
            dlq.assertEachOnce(poison, "health-service", WAIT);
        }
    }

    @Test
    void schedulePlans() {
        String stanza = stanza();
        String valid = EventCodec.encode(new SchedulePlan(1, UUID.randomUUID(), stanza, Instant.now(), "UTC",
                List.of(new SchedulePlan.Planned(ScheduleKind.FULL, "0 2 * * 0", null, null)), 0));
        Map<String, String> poison = Poison.list(valid, "eventId", "drillAfterBackups", "\"abc\"");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_SCHEDULES)) {
            Poison.publish(topics.companion(), Topics.BACKUP_SCHEDULES, stanza, poison.values());
            topics.publish(Topics.BACKUP_SCHEDULES, stanza, valid);

            Awaitility.await("the next plan is processed").atMost(WAIT).untilAsserted(() -> get("/stanzas/" + stanza)
                    .then().statusCode(200).body("schedule.schedules[0].cron", equalTo("0 2 * * 0")));
            dlq.assertEachOnce(poison, "health-service", WAIT);
        }
    }

    @Test
    void requestsArePassedOverForTheCoordinatorToDeadLetter() {
        UUID next = UUID.randomUUID();
        String valid = KafkaTopics.request(next, "main", "full");
        Map<String, String> poison = Poison.list(KafkaTopics.request(UUID.randomUUID(), "main", "full"),
                "requestedBy", "5");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_REQUESTS)) {
            Poison.publish(topics.companion(), Topics.BACKUP_REQUESTS, "main", poison.values());
            topics.publishRequest("main", valid);
            // The request is in the audit trail: the consumer went on past the poison.
            Awaitility.await("the next request is recorded").atMost(WAIT).until(() -> get(
                    "/stanzas/main/history?size=500").asString().contains(next.toString()));
            assertEquals(List.of(), dlq.deadLetteredBy("health-service"), "the coordinator owns backup.requests.dlq");
        }
    }
}
