package io.pgbackup.health;

import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.Decoded;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.StanzaHealthChanged;
import io.pgbackup.events.TargetKind;
import io.pgbackup.events.Topics;
import io.pgbackup.health.persistence.StoredEvent;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * The health JSON as monitoring reads it, fed by events on a real broker and stored in a real
 * PostgreSQL. Test profile: expected stanzas main and quiet, maximum backup age 25 h. The fleet
 * status is the worst of every stanza the service knows, so this class has a database of its own:
 * the stanzas other classes leave behind (some unhealthy on purpose) are not in its fleet.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthEndpointTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ConsumerTask<String, String> healthChanges;

    @BeforeAll
    static void connect() {
        healthChanges = topics.companion().consumeStrings().withGroupId("health-watch-" + UUID.randomUUID())
                .withOffsetReset("earliest").fromTopics(Topics.BACKUP_HEALTH);
    }

    @AfterAll
    static void close() {
        healthChanges.close();
    }

    private static void publish(BackupEvent event) {
        topics.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, event.stanza(), EventCodec.encode(event)))
                .awaitCompletion(WAIT);
    }

    static BackupCompleted completed(String stanza, Instant stoppedAt) {
        UUID id = UUID.randomUUID();
        return new BackupCompleted(1, EventIds.of(id, "BackupCompleted"), id, stanza, "exec-1", stoppedAt,
                BackupType.FULL,
                BackupType.FULL, false, "20261124-020000F", null, stoppedAt.minusSeconds(4), stoppedAt, 4.0,
                30_000_000L,
                4_000_000L, 4_000_000L, "000000010000000000000002", "000000010000000000000002", "0/2000028",
                "0/2000100");
    }

    static BackupFailed failed(String stanza, String executor, String code, String reason) {
        UUID id = UUID.randomUUID();
        return new BackupFailed(1, EventIds.of(id, "BackupFailed"), id, stanza, executor, Instant.now(), "full", code,
                code.matches("\\d+") ? Integer.valueOf(code) : null, reason, true, null);
    }

    private static JsonPath awaitHealth(String status) {
        return Awaitility.await().atMost(WAIT).until(() -> get("/").then().statusCode(200).extract().jsonPath(),
                json -> status.equals(json.getString("status")));
    }

    @Test
    @Order(1)
    void expectedStanzasWithoutBackupsAreDegradedAndNamed() {
        JsonPath json = awaitHealth("degraded");
        assertNull(json.get("last_backup_age_hours"));
        get("/").then().body("messages.stanza", hasItem("main")).body("messages.stanza", hasItem("quiet"))
                .body("messages.code", hasItem("NO_BACKUP")).body("timestamp", notNullValue());
    }

    @Test
    @Order(2)
    void freshBackupsOfEveryStanzaMakeTheFleetHealthy() {
        publish(completed("main", Instant.now().minusSeconds(60)));
        publish(completed("quiet", Instant.now().minusSeconds(7200)));
        awaitHealth("healthy");
        get("/").then().body("messages.size()", equalTo(0))
                .body("last_backup_age_hours", equalTo(2.0f))
                .body("timestamp", containsString("T"));
        get("/stanzas/main").then().statusCode(200).body("status", equalTo("healthy"))
                .body("lastSuccessfulBackup.label", equalTo("20261124-020000F"))
                .body("last_backup_age_hours", lessThan(0.1f));
    }

    @Test
    @Order(3)
    void aFailedBackupMakesItsStanzaUnhealthyWithTheReason() {
        publish(failed("main", "exec-1", "56", "PostgreSQL is not running or not reachable on this host"));
        JsonPath json = awaitHealth("unhealthy");
        assertEquals("main", json.getString("messages[0].stanza"));
        assertEquals("LAST_BACKUP_FAILED", json.getString("messages[0].code"));
        get("/").then().body("messages[0].message", containsString("stanza main failed [56]: PostgreSQL is not"));
        get("/stanzas/quiet").then().body("status", equalTo("healthy"));
        // The transition is announced on backup.health for the notifier.
        StanzaHealthChanged change = Awaitility.await().atMost(WAIT).until(() -> healthChanges.getRecords().stream()
                .map(r -> ((Decoded.Ok<StanzaHealthChanged>) EventCodec.readHealthChange(r.value())).value())
                .filter(c -> c.stanza().equals("main") && c.status() == HealthStatus.UNHEALTHY).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertEquals(HealthStatus.HEALTHY, change.previousStatus());
        assertEquals("LAST_BACKUP_FAILED", change.reasons().get(0).code());

        publish(completed("main", Instant.now()));
        awaitHealth("healthy");
        Awaitility.await().atMost(WAIT).until(() -> healthChanges.getRecords().stream()
                .map(r -> ((Decoded.Ok<StanzaHealthChanged>) EventCodec.readHealthChange(r.value())).value())
                .anyMatch(c -> c.stanza().equals("main") && c.status() == HealthStatus.HEALTHY
                        && c.previousStatus() == HealthStatus.UNHEALTHY));
    }

    @Test
    @Order(4)
    void aRedeliveredEventIsStoredOnce() {
        BackupCompleted event = completed("main", Instant.now());
        publish(event);
        publish(event);
        BackupCompleted later = completed("main", Instant.now());
        publish(later);
        Awaitility.await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> StoredEvent.findById(later.eventId()) != null));
        long stored = QuarkusTransaction.requiringNew().call(() -> StoredEvent.count("eventId", event.eventId()));
        assertEquals(1, stored);
    }

    @Test
    @Order(5)
    void answersToInvalidRequestsDoNotInventStanzas() {
        publish(failed("$(id)", null, "INVALID_STANZA", "invalid stanza name '$(id)'"));
        BackupCompleted sentinel = completed("main", Instant.now());
        publish(sentinel);
        Awaitility.await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> StoredEvent.findById(sentinel.eventId()) != null));
        get("/stanzas").then().body("stanza", not(hasItem("$(id)")));
        get("/").then().body("status", equalTo("healthy"));
        get("/stanzas/nope").then().statusCode(404).body("error", containsString("unknown stanza"));
    }

    @Test
    @Order(6)
    void aStanzaWhoseNewestBackupIsTooOldIsUnhealthy() {
        publish(completed("old", Instant.now().minus(Duration.ofHours(30))));
        JsonPath json = awaitHealth("unhealthy");
        assertEquals("BACKUP_TOO_OLD", json.getString("messages[0].code"));
        assertEquals("old", json.getString("messages[0].stanza"));
        get("/").then().body("last_backup_age_hours", equalTo(30.0f));
        get("/stanzas/old").then().body("lastAttempt.errorCode", nullValue());
    }

    @Test
    @Order(7)
    void aFailedDrillMakesItsStanzaUnhealthyAndAPassingOneShowsItsRto() {
        UUID id = UUID.randomUUID();
        RestoreTarget latest = RestoreTarget.latest();
        publish(new RestoreFailed(1, EventIds.of(id, "RestoreFailed"), id, "main", "exec-1", Instant.now(),
                RestoreMode.TEST, latest, "RESTORED_CLUSTER_FAILED", null, "the restored PostgreSQL did not start",
                null, null));
        Awaitility.await().atMost(WAIT).until(() -> "unhealthy".equals(get("/stanzas/main").then().extract()
                .path("status")));
        get("/stanzas/main").then().body("messages.code", hasItem("LAST_DRILL_FAILED"))
                .body("lastDrill.outcome", equalTo("RestoreFailed"));

        UUID next = UUID.randomUUID();
        publish(new RestoreCompleted(1, EventIds.of(next, "RestoreCompleted"), next, "main", "exec-1", Instant.now(),
                RestoreMode.TEST, latest, null, null, 2, "0/5000000", null, 1.5, 2.0, 0.5, java.util.Map.of()));
        Awaitility.await().atMost(WAIT).until(() -> "healthy".equals(get("/stanzas/main").then().extract()
                .path("status")));
        get("/stanzas/main").then().body("lastDrill.rtoSeconds", equalTo(4.0f));
        // The RTO history keeps both drills, newest first, with the phases of the passing one.
        get("/stanzas/main/drills").then().body("requestId", equalTo(java.util.List.of(next.toString(),
                id.toString()))).body("[0].rtoSeconds", equalTo(4.0f)).body("[0].replaySeconds", equalTo(2.0f))
                .body("[0].reachedLsn", equalTo("0/5000000")).body("[1].errorCode",
                        equalTo("RESTORED_CLUSTER_FAILED"));
        get("/stanzas/main/drills?limit=0").then().statusCode(400);
    }

    @Test
    @Order(8)
    void aTestRestoreRefusedForItsTargetIsNotAFailedDrill() {
        // After order 7 the stanza is healthy and its last drill passed.
        UUID id = UUID.randomUUID();
        RestoreTarget tooOld = new RestoreTarget(TargetKind.TIME, "2001-01-01T00:00:00Z");
        publish(new RestoreFailed(1, EventIds.of(id, "RestoreFailed"), id, "main", "exec-1", Instant.now(),
                RestoreMode.TEST, tooOld, "TARGET_BEFORE_OLDEST_BACKUP", null,
                "the restore target is older than the oldest backup in the repository", null, null));
        // Recorded in the stanza's history (answered to whoever asked), and nothing else.
        Awaitility.await().atMost(WAIT).untilAsserted(() -> get("/stanzas/main/history").then()
                .body("requests.requestId", hasItem(id.toString())));
        get("/stanzas/main").then().body("status", equalTo("healthy"))
                .body("lastDrill.outcome", equalTo("RestoreCompleted"));
        get("/stanzas/main/drills").then().body("requestId", not(hasItem(id.toString())));
    }
}
