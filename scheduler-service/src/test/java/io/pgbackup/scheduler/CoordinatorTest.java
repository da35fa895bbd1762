package io.pgbackup.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupAccepted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.ApiToken;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.KafkaTopics;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * The coordinator on a real broker: every request gets exactly one answer even when no executor
 * can take it. (Claim timeout shortened to 3 s in the test profile.)
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class CoordinatorTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ConsumerTask<String, String> dlq;
    private static ConsumerTask<String, String> requests;

    @BeforeAll
    static void watch() {
        dlq = topics.companion().consumeStrings().withGroupId("dlq-" + UUID.randomUUID()).withOffsetReset("earliest")
                .fromTopics(Topics.BACKUP_REQUESTS_DLQ);
        requests = topics.companion().consumeStrings().withGroupId("req-" + UUID.randomUUID())
                .withOffsetReset("earliest").fromTopics(Topics.BACKUP_REQUESTS);
    }

    @AfterAll
    static void close() {
        dlq.close();
        requests.close();
    }

    @Test
    void invalidRequestsGetOneBackupFailedWithAReasonAPersonUnderstands() {
        Map<String[], String> cases = Map.of(
                new String[]{"--repo1-path=/tmp", "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"-x", "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"main;id", "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"$(id)", "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"../..", "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"", "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"a".repeat(10_240), "full"}, FailureCode.INVALID_STANZA.code(),
                new String[]{"main", "FULL"}, FailureCode.INVALID_BACKUP_TYPE.code(),
                new String[]{"main", "snapshot"}, FailureCode.INVALID_BACKUP_TYPE.code(),
                new String[]{"main", "full --cmd-ssh=/tmp/x"}, FailureCode.INVALID_BACKUP_TYPE.code());
        Map<UUID, String> expected = new java.util.HashMap<>();
        cases.forEach((input, code) -> {
            UUID id = UUID.randomUUID();
            expected.put(id, code);
            topics.publishRequest("main", KafkaTopics.request(id, input[0], input[1]));
        });
        expected.forEach((id, code) -> {
            BackupFailed failed = topics.awaitTerminal(id, BackupFailed.class, WAIT);
            assertEquals(code, failed.errorCode());
            assertNull(failed.executorId(), "answered by the coordinator");
            assertTrue(failed.reason().startsWith(code.equals(FailureCode.INVALID_STANZA.code())
                    ? "invalid stanza name"
                    : "invalid backupType"), failed.reason());
            assertTrue(failed.reason().length() < 300, "a 10 KB input is not echoed whole");
            assertTrue(!failed.retryable());
        });
        // Exactly one answer each, also after the sweeper has run several times.
        UUID sentinel = UUID.randomUUID();
        topics.publishRequest("main", KafkaTopics.request(sentinel, "$(id)", "full"));
        topics.awaitTerminal(sentinel, WAIT);
        expected.keySet().forEach(id -> assertEquals(1, topics.eventsFor(id).size()));
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicOnceAndTheConsumerGoesOn() {
        String marker = UUID.randomUUID().toString();
        List<String> bad = List.of("not json " + marker, "{\"type\":\"BackupRequested\",\"stanza\":\"" + marker + "\"}",
                "{\"type\":\"BackupRequested\",\"requestId\":\"" + marker
                        + "-x\",\"stanza\":\"main\",\"backupType\":\"full\"}");
        for (String value : bad) {
            topics.publishRequest("main", value);
        }
        UUID after = UUID.randomUUID();
        topics.publishRequest("main", KafkaTopics.request(after, "main", "snapshot"));
        topics.awaitTerminal(after, BackupFailed.class, WAIT);

        Awaitility.await().atMost(WAIT).until(() -> dlqWith(marker).size() == 3);
        for (ConsumerRecord<String, String> r : dlqWith(marker)) {
            String reason = new String(r.headers().lastHeader("dead-letter-reason").value());
            assertTrue(reason.contains("JSON") || reason.contains("missing") || reason.contains("UUID"), reason);
            assertEquals("main", r.key());
        }
        String notJson = new String(dlqWith(marker).get(0).headers().lastHeader("dead-letter-reason").value());
        assertTrue(notJson.startsWith("not valid JSON"), notJson);
    }

    private static List<ConsumerRecord<String, String>> dlqWith(String marker) {
        return dlq.getRecords().stream().filter(r -> r.value().contains(marker)).toList();
    }

    @Test
    void aRequestNoExecutorClaimsEndsInNoExecutorAfterTheClaimTimeout() {
        UUID id = UUID.randomUUID();
        topics.publishRequest("nowhere", KafkaTopics.request(id, "nowhere", "full"));
        BackupFailed failed = topics.awaitTerminal(id, BackupFailed.class, WAIT);
        assertEquals(FailureCode.NO_EXECUTOR.code(), failed.errorCode());
        assertEquals("nowhere", failed.stanza());
        assertTrue(failed.reason().startsWith("no executor serves stanza nowhere"), failed.reason());
        assertTrue(failed.retryable());
    }

    @Test
    void aClaimedRequestIsLeftToItsExecutor() {
        UUID claimed = UUID.randomUUID();
        topics.publishRequest("db7", KafkaTopics.request(claimed, "db7", "full"));
        // An executor's claim, as the executor service publishes it.
        var accepted = new BackupAccepted(1, EventIds.of(claimed, "BackupAccepted"), claimed, "db7", "exec-db7",
                Instant.now(), BackupType.FULL, 0);
        topics.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, "db7", EventCodec.encode(accepted)))
                .awaitCompletion(WAIT);
        // A later unclaimed request answered NO_EXECUTOR proves the sweeper has passed the first one.
        UUID unclaimed = UUID.randomUUID();
        topics.publishRequest("db7", KafkaTopics.request(unclaimed, "db7", "full"));
        topics.awaitTerminal(unclaimed, BackupFailed.class, WAIT);
        assertEquals(List.of("BackupAccepted"), topics.eventsFor(claimed).stream().map(BackupEvent::type).toList());
    }

    @Test
    void backupNowPublishesARequestAndRefusesBadInput() {
        String id = given().header("Authorization", ApiToken.bearer()).contentType("application/json")
                .body("{\"stanza\":\"main\",\"backupType\":\"diff\",\"requestedBy\":\"alice\"}")
                .post("/backups").then().statusCode(202)
                .body("stanza", equalTo("main")).body("backupType", equalTo("diff"))
                .extract().path("requestId");
        Awaitility.await().atMost(WAIT).until(() -> requests.getRecords().stream()
                .anyMatch(r -> r.value().contains(id)));
        String value = requests.getRecords().stream().filter(r -> r.value().contains(id)).findFirst().orElseThrow()
                .value();
        var valid = assertInstanceOf(EventCodec.Valid.class, EventCodec.readRequest(value));
        BackupRequested request = valid.request();
        assertEquals("alice", request.requestedBy());
        assertEquals("main", request.stanza());

        given().header("Authorization", ApiToken.bearer()).contentType("application/json")
                .body("{\"stanza\":\"$(id)\",\"backupType\":\"full\"}")
                .post("/backups").then().statusCode(400).body("error", containsString("invalid stanza name"));
        given().header("Authorization", ApiToken.bearer()).contentType("application/json")
                .body("{\"stanza\":\"main\",\"backupType\":\"weekly\"}")
                .post("/backups").then().statusCode(400).body("error", containsString("invalid backupType"));
    }

    @Test
    void anonymousOrWrongTokenWritesAreRefusedAndPublishNothing() {
        String marker = "anon-" + UUID.randomUUID();
        String body = "{\"stanza\":\"main\",\"backupType\":\"full\",\"requestedBy\":\"" + marker + "\"}";
        given().contentType("application/json").body(body).post("/backups").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer")).body("code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", "Bearer not-the-token-" + UUID.randomUUID()).contentType("application/json")
                .body(body).post("/backups").then().statusCode(401);
        given().header("Authorization", "Basic b3BlcmF0b3I6c2VjcmV0").contentType("application/json")
                .body("{\"stanza\":\"main\",\"mode\":\"test\",\"target\":{\"kind\":\"latest\"},\"requestedBy\":\""
                        + marker + "\"}")
                .post("/restores").then().statusCode(401);
        // Reads stay open: monitoring and the scripts' status polls need no credential.
        given().get("/requests/" + UUID.randomUUID()).then().statusCode(404);
        // The refused writes published nothing: a later authorised request is the first with the marker's text.
        String id = given().header("Authorization", ApiToken.bearer()).contentType("application/json")
                .body("{\"stanza\":\"main\",\"backupType\":\"incr\",\"requestedBy\":\"after-" + marker + "\"}")
                .post("/backups").then().statusCode(202).extract().path("requestId");
        Awaitility.await().atMost(WAIT)
                .until(() -> requests.getRecords().stream().anyMatch(r -> r.value().contains(id)));
        assertTrue(requests.getRecords().stream().noneMatch(r -> r.value().contains("\"" + marker + "\"")),
                "a refused write reached backup.requests");
    }

    private static String restoreRequest(UUID id, String stanza, String mode, String kind, String value, String extra) {
        return "{\"type\":\"RestoreRequested\",\"requestId\":\"" + id + "\",\"stanza\":\"" + stanza
                + "\",\"mode\":\"" + mode + "\",\"target\":{\"kind\":\"" + kind + "\""
                + (value == null ? "" : ",\"value\":\"" + value + "\"") + "}" + extra + "}";
    }

    @Test
    void badRestoreRequestsGetOneRestoreFailedEachAndUnreadableOnesTheDeadLetterTopic() {
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("INVALID_TARGET time", new String[]{"test", "time", "last tuesday", ""});
        cases.put("INVALID_TARGET zone", new String[]{"test", "time", "2026-11-24 10:00:00", ""});
        cases.put("INVALID_TARGET future", new String[]{"test", "time", "2999-01-01T00:00:00Z", ""});
        cases.put("INVALID_TARGET xid", new String[]{"test", "xid", "abc", ""});
        cases.put("INVALID_PATH dots", new String[]{"test", "latest", null, ",\"path\":\"../../etc\""});
        cases.put("INVALID_PATH abs", new String[]{"test", "latest", null, ",\"path\":\"/var/lib/postgresql\""});
        cases.put("CONFIRMATION_REQUIRED none", new String[]{"production", "latest", null, ""});
        cases.put("INVALID_MODE", new String[]{"snapshot", "latest", null, ""});
        Map<UUID, String> expected = new java.util.HashMap<>();
        cases.forEach((name, c) -> {
            UUID id = UUID.randomUUID();
            expected.put(id, name.split(" ")[0]);
            topics.publish(Topics.RESTORE_REQUESTS, "main", restoreRequest(id, "main", c[0], c[1], c[2], c[3]));
        });
        expected.forEach((id, code) -> {
            var failed = topics.awaitTerminal(id, io.pgbackup.events.RestoreFailed.class, WAIT);
            assertEquals(code, failed.errorCode(), failed.reason());
            assertNull(failed.executorId());
        });

        UUID nobody = UUID.randomUUID();
        topics.publish(Topics.RESTORE_REQUESTS, "nowhere",
                restoreRequest(nobody, "nowhere", "test", "latest", null, ""));
        var unclaimed = topics.awaitTerminal(nobody, io.pgbackup.events.RestoreFailed.class, WAIT);
        assertEquals(FailureCode.NO_EXECUTOR.code(), unclaimed.errorCode());

        String marker = UUID.randomUUID().toString();
        topics.publish(Topics.RESTORE_REQUESTS, "main", "restore everything " + marker);
        try (ConsumerTask<String, String> restoreDlq = topics.companion().consumeStrings()
                .withGroupId("rdlq-" + UUID.randomUUID()).withOffsetReset("earliest")
                .fromTopics(Topics.RESTORE_REQUESTS_DLQ)) {
            Awaitility.await().atMost(WAIT).until(() -> restoreDlq.getRecords().stream()
                    .anyMatch(r -> r.value().contains(marker)));
        }
    }

    @Test
    void restoreNowIsPublishedAndItsStatusCanBeFollowedToTheEnd() {
        String id = given().header("Authorization", ApiToken.bearer()).contentType("application/json")
                .body("{\"stanza\":\"nowhere\",\"mode\":\"test\",\"target\":{\"kind\":\"latest\"}}")
                .post("/restores").then().statusCode(202).extract().path("requestId");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            String body = given().get("/requests/" + id).then().extract().asString();
            assertTrue(body.contains("\"finished\":true"), body);
        });
        given().get("/requests/" + id).then().body("lastEventType", equalTo("RestoreFailed"))
                .body("lastEvent.errorCode", equalTo("NO_EXECUTOR"));
        given().header("Authorization", ApiToken.bearer()).contentType("application/json")
                .body("{\"stanza\":\"main\",\"mode\":\"test\",\"target\":{\"kind\":\"time\",\"value\":\"noon\"}}")
                .post("/restores").then().statusCode(400).body("error", containsString("INVALID_TARGET"));
        given().get("/requests/" + UUID.randomUUID()).then().statusCode(404);
    }
}
