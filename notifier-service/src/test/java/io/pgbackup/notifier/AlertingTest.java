package io.pgbackup.notifier;

import static io.restassured.RestAssured.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestorePointCreated;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.StanzaHealthChanged;
import io.pgbackup.events.TargetKind;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.StateDatabase;
import io.pgbackup.testsupport.WebhookReceiver;
import io.pgbackup.testsupport.WebhookReceiver.Answer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Alerts end to end: events on a real broker, alerts through a real HTTP receiver standing in for
 * Slack and a real SMTP server. Test profile: group window 2 s, reminder after 4 s, backoff from 1 s,
 * Slack given up for email after 4 attempts; stanza "slackonly" has no email route.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AlertReceivers.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaCompanion kafka;
    private static final List<String> publishedEvents = new ArrayList<>();
    private static final List<String> publishedHealth = new ArrayList<>();

    @BeforeAll
    static void connect() {
        kafka = new KafkaCompanion(KafkaBroker.bootstrapServers());
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @BeforeEach
    void answerOk() {
        slack().script();
        slack().otherwise(Answer.ok());
    }

    private static WebhookReceiver slack() {
        return AlertReceivers.slack;
    }

    static void publish(BackupEvent event) {
        String json = EventCodec.encode(event);
        publishedEvents.add(json);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, event.stanza(), json))
                .awaitCompletion(WAIT);
    }

    static void publish(StanzaHealthChanged change) {
        String json = EventCodec.encode(change);
        publishedHealth.add(json);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BACKUP_HEALTH, change.stanza(), json))
                .awaitCompletion(WAIT);
    }

    static BackupFailed failed(String stanza, String code, String reason) {
        UUID id = UUID.randomUUID();
        return new BackupFailed(1, EventIds.of(id, "BackupFailed"), id, stanza, "db1", Instant.now(), "full", code,
                56, reason, true, null);
    }

    static BackupCompleted completed(String stanza) {
        UUID id = UUID.randomUUID();
        return new BackupCompleted(1, EventIds.of(id, "BackupCompleted"), id, stanza, "db1", Instant.now(),
                BackupType.FULL, BackupType.FULL, false, "20261124-020000F", null, Instant.now(), Instant.now(), 1.0,
                1L, 1L, 1L, null, null,
                null, null);
    }

    private static List<MimeMessage> mailsAbout(String text) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : AlertReceivers.smtp.getReceivedMessages()) {
            if (GreenMailUtil.getWholeMessage(m).contains(text)) {
                found.add(m);
            }
        }
        return found;
    }

    @Test
    @Order(1)
    void aFailedBackupSendsOneSlackMessageAndOneEmailWithStanzaAndReason() throws Exception {
        publish(failed("alpha", "56", "PostgreSQL is not running or not reachable on this host"));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza alpha").size() == 1
                && mailsAbout("stanza alpha").size() == 1);
        String body = slack().containing("stanza alpha").get(0).body();
        assertTrue(body.contains("\"blocks\""), "Block Kit");
        assertTrue(body.contains("PostgreSQL is not running or not reachable on this host"), body);
        assertTrue(body.contains("Check that PostgreSQL runs"), "what to do");
        MimeMessage mail = mailsAbout("stanza alpha").get(0);
        assertEquals("[pg-backup] Backup of stanza alpha failed [56]", mail.getSubject());
        assertEquals(AlertReceivers.ONCALL, mail.getAllRecipients()[0].toString());
        String whole = GreenMailUtil.getWholeMessage(mail);
        assertTrue(whole.contains("text/plain") && whole.contains("text/html"), "plain text and HTML");
        get("/alerts?stanza=alpha").then().statusCode(200);
        var history = get("/alerts?stanza=alpha").then().extract().jsonPath();
        assertEquals("FIRING", history.getString("[0].kind"));
        assertEquals(List.of("SENT", "SENT"), history.getList("[0].deliveries.state"));
    }

    @Test
    @Order(2)
    void tenIdenticalFailuresAlertOnceThenRemindOnceWithACountThenRecoverOnce() {
        for (int i = 0; i < 10; i++) {
            publish(failed("beta", "56", "PostgreSQL is not running or not reachable on this host"));
        }
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza beta").size() == 2);
        List<WebhookReceiver.Received> beta = slack().containing("stanza beta");
        assertTrue(beta.get(0).body().contains("Backup of stanza beta failed"), beta.get(0).body());
        assertTrue(beta.get(1).body().contains("Still failing"), beta.get(1).body());
        assertTrue(beta.get(1).body().contains("Happened 10 times"), beta.get(1).body());
        assertTrue(Duration.between(beta.get(0).at(), beta.get(1).at()).toMillis() >= 3_000, "after the interval");

        publish(completed("beta"));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("Backups of stanza beta succeed again")
                .size() == 1);
        // Nothing more for beta: no second reminder, no second recovery.
        Awaitility.await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                .until(() -> slack().containing("stanza beta").size() == 3);
        assertEquals(3, mailsAbout("stanza beta").size(), "email follows the same rules");
    }

    @Test
    @Order(3)
    void slackFailingThreeTimesThenAnsweringIsDeliveredOnceWithBackoff() {
        slack().script(Answer.status(500), Answer.status(500), Answer.status(500), Answer.ok());
        publish(failed("gamma", "82", "WAL was not archived within archive-timeout"));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza gamma").stream()
                .anyMatch(r -> r.answeredWith() == 200));
        List<WebhookReceiver.Received> tries = slack().containing("stanza gamma");
        assertEquals(List.of(500, 500, 500, 200), tries.stream().map(WebhookReceiver.Received::answeredWith).toList());
        long first = Duration.between(tries.get(0).at(), tries.get(1).at()).toMillis();
        long third = Duration.between(tries.get(2).at(), tries.get(3).at()).toMillis();
        // Backoff 1 s, 2 s, 4 s; the scheduler ticks once a second, so each wait may run up to 1 s late.
        assertTrue(first >= 900, "waited before retrying: " + first);
        assertTrue(third >= 3_900 && third > first, "the wait grows: " + first + " then " + third);
    }

    @Test
    @Order(4)
    void tooManyRequestsIsRetriedAfterRetryAfter() {
        slack().script(Answer.tooManyRequests(2), Answer.ok());
        publish(failed("delta", "56", "PostgreSQL is not running or not reachable on this host"));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza delta").size() == 2);
        List<WebhookReceiver.Received> tries = slack().containing("stanza delta");
        assertTrue(Duration.between(tries.get(0).at(), tries.get(1).at()).toMillis() >= 1_900,
                "honoured Retry-After: 2");
    }

    @Test
    @Order(5)
    void aSlackThatDoesNotAnswerTimesOutAndIsRetried() {
        // The test profile's webhook timeout is 3 s; this answer would take 6 s.
        slack().script(Answer.hang(Duration.ofSeconds(6)), Answer.ok());
        publish(failed("hung", "56", "PostgreSQL is not running or not reachable on this host"));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza hung").size() == 2);
        Awaitility.await().atMost(WAIT).until(() -> "SENT".equals(get("/alerts?stanza=hung").then().extract()
                .jsonPath().getString("[0].deliveries[0].state")));
        assertEquals(2, get("/alerts?stanza=hung").then().extract().jsonPath().getInt("[0].deliveries[0].attempts"));
    }

    @Test
    @Order(6)
    void slackDownForGoodFallsBackToEmail() {
        slack().otherwise(Answer.status(503));
        publish(failed("slackonly", "56", "PostgreSQL is not running or not reachable on this host"));
        Awaitility.await().atMost(WAIT).until(() -> mailsAbout("stanza slackonly").size() == 1);
        assertEquals(4, slack().containing("stanza slackonly").size(), "gave up after 4 attempts");
        var history = get("/alerts?stanza=slackonly").then().extract().jsonPath();
        assertEquals(List.of("FAILED", "SENT"), history.getList("[0].deliveries.state"));
        assertEquals(List.of(false, true), history.getList("[0].deliveries.fallback"));
    }

    @Test
    @Order(7)
    void aBurstAcrossStanzasIsOneMessage() {
        for (String s : List.of("b1", "b2", "b3", "b4", "b5")) {
            publish(failed(s, "56", "PostgreSQL is not running or not reachable on this host"));
        }
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza b5").size() == 1);
        WebhookReceiver.Received message = slack().containing("stanza b5").get(0);
        for (String s : List.of("b1", "b2", "b3", "b4")) {
            assertTrue(message.body().contains("stanza " + s), "grouped: " + s);
        }
        assertTrue(message.body().contains("5 backup alerts"), message.body());
        assertEquals(1, slack().containing("stanza b1").size());
    }

    @Test
    @Order(8)
    void aStanzaTurningUnhealthyAlertsAndTurningHealthyRecovers() {
        publish(new StanzaHealthChanged(1, UUID.randomUUID(), "epsilon", Instant.now(), HealthStatus.HEALTHY,
                HealthStatus.UNHEALTHY, List.of(new StanzaHealthChanged.Reason("BACKUP_TOO_OLD", HealthStatus.UNHEALTHY,
                        "The newest successful backup of stanza epsilon is 30.0 h old"))));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("Stanza epsilon is unhealthy").size() == 1);
        assertTrue(slack().containing("Stanza epsilon is unhealthy").get(0).body().contains("30.0 h old"));
        publish(new StanzaHealthChanged(1, UUID.randomUUID(), "epsilon", Instant.now(), HealthStatus.UNHEALTHY,
                HealthStatus.HEALTHY, List.of()));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("Stanza epsilon is healthy again").size() == 1);
    }

    @Test
    @Order(9)
    void theWebhookUrlAndSmtpPasswordAppearNowhere() throws Exception {
        List<String> secrets = List.of(AlertReceivers.WEBHOOK_SECRET, AlertReceivers.SMTP_PASSWORD);
        String log = Files.readString(Path.of("target/notifier-test.log"));
        StringBuilder http = new StringBuilder();
        for (String path : List.of("/alerts?limit=1000", "/q/health", "/q/health/ready")) {
            http.append(get(path).then().extract().asString());
        }
        slack().received().forEach(r -> http.append(r.body()));
        for (MimeMessage m : AlertReceivers.smtp.getReceivedMessages()) {
            http.append(GreenMailUtil.getWholeMessage(m));
        }
        StringBuilder topics = new StringBuilder();
        for (String topic : List.of(Topics.BACKUP_EVENTS, Topics.BACKUP_HEALTH)) {
            kafka.consumeStrings().withGroupId("grep-" + UUID.randomUUID()).withOffsetReset("earliest")
                    .fromTopics(topic, (topic.equals(Topics.BACKUP_HEALTH) ? publishedHealth : publishedEvents).size())
                    .awaitCompletion(WAIT).getRecords().forEach(r -> topics.append(r.value()));
        }
        assertFalse(log.isEmpty());
        assertTrue(log.contains("gave up on slack message"), "the log saw the failures");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "log leaks " + secret);
            assertFalse(http.toString().contains(secret), "an HTTP body leaks " + secret);
            assertFalse(topics.toString().contains(secret), "a topic leaks " + secret);
        }
    }

    @Test
    @Order(10)
    void aRestorePointIsNotARestoreItsFailureWarnsAndItsSuccessClosesNoDrillAlert() {
        RestoreTarget latest = RestoreTarget.latest();
        RestoreTarget point = new RestoreTarget(TargetKind.NAME, "before-v42");
        UUID drill = UUID.randomUUID();
        publish(new io.pgbackup.events.RestoreFailed(1, EventIds.of(drill, "RestoreFailed"), drill, "omega", "db1",
                Instant.now(), RestoreMode.TEST, latest, "RESTORED_CLUSTER_FAILED", null,
                "the restored copy did not start",
                null, null));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("Restore drill of stanza omega failed")
                .size() == 1);

        // A restore point as answered now, and as answered before RestorePointCreated existed.
        UUID made = UUID.randomUUID();
        publish(new RestorePointCreated(1, EventIds.of(made, "RestorePointCreated"), made, "omega", "db1",
                Instant.now(), "before-v42", "0/7000090", "000000010000000000000007", 1));
        UUID legacy = UUID.randomUUID();
        publish(new io.pgbackup.events.RestoreCompleted(1, EventIds.of(legacy, "RestoreCompleted"), legacy, "omega",
                "db1", Instant.now(), RestoreMode.POINT, point, null, null, 1, "0/7000090", Instant.now(), 0, 0, 0,
                java.util.Map.of()));
        UUID refused = UUID.randomUUID();
        publish(new io.pgbackup.events.RestoreFailed(1, EventIds.of(refused, "RestoreFailed"), refused, "omega",
                "db1", Instant.now(), RestoreMode.POINT, point, "PRIMARY_UNREACHABLE", null, "connection refused",
                null, null));
        // Events of one stanza are handled in order: once the later alert is out, the earlier
        // restore point success has been seen, and it closed nothing.
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("Restore point of stanza omega could not be"
                + " created [PRIMARY_UNREACHABLE]").size() == 1);
        assertEquals(0, slack().containing("Restores of stanza omega work again").size());
        assertEquals(0, slack().containing("Production restore of stanza omega").size());
    }

    @Test
    @Order(11)
    void aReasonCannotPingAChannelOrCarryALinkInSlack() {
        publish(failed("zeta", "56", "<!channel> urgent & see <https://evil.example/x|the fix>"));
        Awaitility.await().atMost(WAIT).until(() -> slack().containing("stanza zeta").size() == 1);
        String body = slack().containing("stanza zeta").get(0).body();
        assertFalse(body.contains("<!channel>"), body);
        assertFalse(body.contains("<https://evil.example"), body);
        assertTrue(body.contains("&lt;!channel&gt; urgent &amp; see &lt;https://evil.example/x|the fix&gt;"), body);
    }
}
