package io.pgbackup.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.StanzaStatusReported.Archiver;
import io.pgbackup.events.StanzaStatusReported.Repo;
import io.pgbackup.events.StanzaStatusReported.WalGap;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.DeadLetterQueue;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Executor reports on a real broker turned into reasons: archiving failing or lagging, a silent
 * executor, a WAL gap, and the history of a stanza's requests. Each test uses its own stanza,
 * which joins the fleet with its first report.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class HealthStatusTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Publishes a report; returns the record's value. */
    private static String report(String stanza, Instant at, Archiver archiver, Repo repo) {
        return report(stanza, "exec-" + stanza, at, archiver, repo);
    }

    private static String report(String stanza, String executor, Instant at, Archiver archiver, Repo repo) {
        return report(stanza, executor, at, 60, archiver, repo);
    }

    private static String report(String stanza, String executor, Instant at, long interval, Archiver archiver,
            Repo repo) {
        StanzaStatusReported r = new StanzaStatusReported(1, UUID.randomUUID(), stanza, executor, at, interval,
                archiver, repo);
        String value = EventCodec.encode(r);
        topics.companion().produceStrings().fromRecords(new ProducerRecord<>(Topics.BACKUP_STATUS, stanza, value))
                .awaitCompletion(WAIT);
        return value;
    }

    private static void backedUp(String stanza) {
        UUID request = UUID.randomUUID();
        Instant now = Instant.now();
        BackupCompleted c = new BackupCompleted(1, UUID.randomUUID(), request, stanza, "exec-" + stanza, now,
                BackupType.FULL,
                BackupType.FULL, false, "20261125-010000F", null, now.minusSeconds(60), now, 60.0, 1000L, 100L, 100L,
                "000000010000000000000002", "000000010000000000000003", "0/2000028", "0/3000100");
        topics.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, stanza, EventCodec.encode(c)))
                .awaitCompletion(WAIT);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/stanzas/" + stanza).then()
                .body("lastSuccessfulBackup.label", equalTo("20261125-010000F")));
    }

    private static Archiver archiving(Instant lastArchived, Instant lastFailed, int ready) {
        return new Archiver(100L, "000000010000000000000010", lastArchived, lastFailed == null ? 0L : 3L,
                lastFailed == null ? null : "000000010000000000000011", lastFailed, ready, "000000010000000000000012",
                null);
    }

    private static void awaitCodes(String stanza, String status, List<String> codes) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/stanzas/" + stanza).then()
                .body("status", equalTo(status)).body("messages.code", equalTo(codes)));
    }

    @Test
    void failingArchivingMakesTheStanzaUnhealthyAndTheFixMakesItHealthyAgain() {
        String stanza = "arch1";
        report(stanza, Instant.now(), archiving(Instant.now(), null, 0), null);
        backedUp(stanza);
        awaitCodes(stanza, "healthy", List.of());

        Instant failedAt = Instant.now();
        report(stanza, Instant.now(), archiving(failedAt.minusSeconds(30), failedAt, 1), null);
        awaitCodes(stanza, "unhealthy", List.of("ARCHIVE_FAILING"));
        given().get("/").then().body("status", equalTo("unhealthy")).body("messages.code", hasItem("ARCHIVE_FAILING"));

        report(stanza, Instant.now(), archiving(Instant.now(), failedAt, 0), null);
        awaitCodes(stanza, "healthy", List.of());
        given().get("/stanzas/" + stanza).then().body("rpo_seconds", equalTo(0.0f))
                .body("archiving.walReady", equalTo(0)).body("executor.id", equalTo("exec-" + stanza));
    }

    @Test
    void aReportDatedAheadOfTheClockIsRefusedAndTheRealOnesAfterItCount() {
        String stanza = "skew1";
        backedUp(stanza);
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_STATUS)) {
            // A host whose clock runs an hour ahead (or a forged record), then the real reports.
            String ahead = report(stanza, Instant.now().plus(Duration.ofHours(1)), archiving(Instant.now(), null, 0),
                    null);
            Instant failedAt = Instant.now();
            report(stanza, failedAt, archiving(failedAt.minusSeconds(30), failedAt, 1), null);
            awaitCodes(stanza, "unhealthy", List.of("ARCHIVE_FAILING"));
            Awaitility.await().atMost(WAIT).until(() -> !dlq.copiesOf(ahead).isEmpty());
            assertTrue(dlq.reason(ahead).contains("after this service's clock"), dlq.reason(ahead));
        }
    }

    @Test
    void walWaitingLongerThanTheRpoTargetIsArchiveLag() {
        String stanza = "lag1";
        backedUp(stanza);
        report(stanza, Instant.now(), archiving(Instant.now().minusSeconds(600), null, 4), null);
        awaitCodes(stanza, "unhealthy", List.of("ARCHIVE_LAG"));
        given().get("/stanzas/" + stanza).then().body("rpo_seconds", greaterThanOrEqualTo(600.0f));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then().body(
                org.hamcrest.Matchers.containsString("pgbackup_stanza_health_status{stanza=\"lag1\"} 2.0"),
                org.hamcrest.Matchers.containsString("pgbackup_wal_ready_segments{stanza=\"lag1\"} 4.0")));
    }

    @Test
    void anExecutorThatStopsReportingIsNamed() {
        String stanza = "silent1";
        backedUp(stanza);
        // Reporting every second: allowed the test profile's 5 s heartbeat timeout, counted from the
        // later of its last report and this service's start.
        report(stanza, "exec-" + stanza, Instant.now().minusSeconds(600), 1,
                archiving(Instant.now().minusSeconds(600), null, 0), null);
        awaitCodes(stanza, "unhealthy", List.of("EXECUTOR_SILENT"));
        // An older report arriving late changes nothing; a fresh one clears the rule.
        report(stanza, Instant.now().minusSeconds(900), null, null);
        report(stanza, Instant.now(), archiving(Instant.now(), null, 0), null);
        awaitCodes(stanza, "healthy", List.of());
    }

    @Test
    void twoExecutorsReportingForOneStanzaAreNamedButAReplacedOneIsNot() {
        String stanza = "dup1";
        backedUp(stanza);
        Instant t = Instant.now().minusSeconds(20);
        // A host replaced by another (new id): one switch, then only the new one.
        report(stanza, "old-host", t, archiving(t, null, 0), null);
        report(stanza, "new-host", t.plusSeconds(5), archiving(t, null, 0), null);
        awaitCodes(stanza, "healthy", List.of());
        // The old one reporting again: both run, both configured for the stanza.
        report(stanza, "old-host", t.plusSeconds(10), archiving(t, null, 0), null);
        awaitCodes(stanza, "unhealthy", List.of("DUPLICATE_EXECUTOR"));
        given().get("/stanzas/" + stanza).then().body("messages[0].message",
                org.hamcrest.Matchers.containsString("only new-host runs its requests"));
    }

    @Test
    void aGapInTheArchivedWalIsReportedWithTheFirstMissingSegment() {
        String stanza = "gap1";
        backedUp(stanza);
        Instant now = Instant.now();
        report(stanza, now, archiving(now, null, 0), new Repo(now, 0, "ok", 0, "000000010000000000000002",
                "000000010000000000000009", List.of(), 2, 1, new WalGap("000000010000000000000002",
                        "000000010000000000000009", 1, "000000010000000000000005")));
        awaitCodes(stanza, "unhealthy", List.of("WAL_GAP"));
        given().get("/stanzas/" + stanza).then().body("repository.walGap.firstMissing",
                equalTo("000000010000000000000005")).body("messages[0].message",
                        org.hamcrest.Matchers.containsString("000000010000000000000005"));
        given().get("/").then().body("messages.code", hasItem("WAL_GAP"));
    }

    @Test
    void theHistoryListsEachRequestWithWhoAskedAndHowItEnded() {
        String stanza = "hist1";
        UUID request = UUID.randomUUID();
        topics.publishRequest(stanza, "{\"type\":\"BackupRequested\",\"schemaVersion\":1,\"requestId\":\"" + request
                + "\",\"stanza\":\"" + stanza
                + "\",\"backupType\":\"full\",\"requestedBy\":\"alice@ops\",\"requestedAt\":\""
                + Instant.now().minusSeconds(5) + "\"}");
        report(stanza, Instant.now(), null, null);
        Instant now = Instant.now();
        BackupCompleted c = new BackupCompleted(1, UUID.randomUUID(), request, stanza, "exec-" + stanza, now,
                BackupType.FULL,
                BackupType.FULL, false, "20261125-020000F", null, now.minusSeconds(60), now, 60.0, 1000L, 100L, 100L,
                null,
                null, null, null);
        topics.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, stanza, EventCodec.encode(c)))
                .awaitCompletion(WAIT);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/stanzas/" + stanza + "/history").then()
                .statusCode(200).body("requests[0].requestId", equalTo(request.toString()))
                .body("requests[0].requestedBy", equalTo("alice@ops"))
                .body("requests[0].kind", equalTo("backup full"))
                .body("requests[0].outcome", equalTo("BackupCompleted"))
                .body("requests[0].label", equalTo("20261125-020000F"))
                .body("requests[0].events.type", equalTo(List.of("BackupRequested", "BackupCompleted"))));
        given().get("/stanzas/" + stanza + "/history?size=0").then().statusCode(400);
        given().get("/stanzas/nope/history").then().statusCode(404);
        given().get("/").then().body("messages.code", not(hasItem("EXECUTOR_SILENT")));
    }
}
