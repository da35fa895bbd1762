package io.pgbackup.scheduler;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupAccepted;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreFailed;
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
 * The poison list on every topic the scheduler reads: its consumers go on, and the topics it owns
 * (the request topics) get each poison record in their dead-letter queue once, with the reason.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    @Test
    void backupRequests() {
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_REQUESTS)) {
            Map<String, String> poison = Poison.list(KafkaTopics.request(UUID.randomUUID(), "main", "full"),
                    "requestedBy", "5");
            Poison.publish(topics.companion(), Topics.BACKUP_REQUESTS, "poison", poison.values());
            UUID next = UUID.randomUUID();
            topics.publishRequest("poison", KafkaTopics.request(next, "$(id)", "full"));

            BackupFailed answer = topics.awaitTerminal(next, BackupFailed.class, WAIT);
            assertEquals(FailureCode.INVALID_STANZA.code(), answer.errorCode(), "the next record is processed");
            dlq.assertEachOnce(poison, "scheduler-service", WAIT);
            assertTrue(dlq.reason(poison.get("not JSON")).startsWith("not valid JSON"));
        }
    }

    @Test
    void restoreRequests() {
        String valid = "{\"type\":\"RestoreRequested\",\"requestId\":\"" + UUID.randomUUID()
                + "\",\"stanza\":\"main\",\"mode\":\"test\",\"target\":{\"kind\":\"latest\"}}";
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.RESTORE_REQUESTS)) {
            Map<String, String> poison = Poison.list(valid, "mode", "5");
            Poison.publish(topics.companion(), Topics.RESTORE_REQUESTS, "poison", poison.values());
            UUID next = UUID.randomUUID();
            topics.publish(Topics.RESTORE_REQUESTS, "poison", valid.replaceFirst("\"requestId\":\"[^\"]+\"",
                    "\"requestId\":\"" + next + "\"").replace("\"latest\"", "\"lunchtime\""));

            RestoreFailed answer = topics.awaitTerminal(next, RestoreFailed.class, WAIT);
            assertEquals(FailureCode.INVALID_TARGET.code(), answer.errorCode(), "the next record is processed");
            dlq.assertEachOnce(poison, "scheduler-service", WAIT);
        }
    }

    @Test
    void backupEventsArePassedOverForTheirOwnerToDeadLetter() {
        UUID tracked = UUID.randomUUID();
        String accepted = EventCodec.encode(new BackupAccepted(1, EventIds.of(tracked, "BackupAccepted"), tracked,
                "db9", "exec-db9", Instant.now(), BackupType.FULL, 0));
        Map<String, String> poison = Poison.list(accepted, "queuedBehind", "\"abc\"");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_EVENTS)) {
            Poison.publish(topics.companion(), Topics.BACKUP_EVENTS, "poison", poison.values());
            topics.publish(Topics.BACKUP_EVENTS, "poison", accepted);

            Awaitility.await("the next event is processed").atMost(WAIT).untilAsserted(() -> given()
                    .get("/requests/" + tracked).then().statusCode(200)
                    .body("lastEventType", org.hamcrest.Matchers.equalTo("BackupAccepted"))
                    .body("claimedBy", org.hamcrest.Matchers.equalTo("exec-db9")));
            assertEquals(List.of(), dlq.deadLetteredBy("scheduler-service"),
                    "the health service owns backup.events.dlq");
        }
    }
}
