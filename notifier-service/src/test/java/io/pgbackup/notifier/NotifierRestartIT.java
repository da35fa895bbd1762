package io.pgbackup.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.ChildProcess;
import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.PostgresCluster;
import io.pgbackup.testsupport.StateDatabase;
import io.pgbackup.testsupport.WebhookReceiver;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged notifier as its own process, killed (SIGKILL) after it consumed a failure and
 * before it delivered the alert: after a restart the alert arrives, once.
 */
class NotifierRestartIT {

    private static WebhookReceiver slack;
    private static PostgresCluster db;
    private static final String DATABASE = "notifier_restart";
    private static final List<Path> logs = new ArrayList<>();

    @BeforeAll
    static void start() {
        slack = new WebhookReceiver();
        db = StateDatabase.cluster();
        db.createDatabase(DATABASE);
    }

    @AfterAll
    static void stop() {
        slack.close();
    }

    private static ChildProcess notifier(int port, String groupWindow, int run) {
        Path log = Path.of("target", "notifier-it-" + run + ".log");
        logs.add(log);
        return ChildProcess.service("notifier", System.getProperty("notifier.jar"), Map.of("NOTIFIER_HTTP_PORT",
                String.valueOf(port), "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers(), "NOTIFIER_DB_URL",
                db.jdbcUrl(DATABASE), "SLACK_WEBHOOK_URL",
                slack.url("/services/T0/B0/" + AlertReceivers.WEBHOOK_SECRET),
                "NOTIFIER_GROUP_WINDOW", groupWindow, "ALERT_EMAIL_TO", ""), log);
    }

    private static boolean ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long pendingDeliveriesFor(String stanza) {
        return Long.parseLong(db.queryColumn(DATABASE, "SELECT count(*) FROM delivery d JOIN delivery_alert da ON"
                + " da.delivery_id = d.id JOIN alert a ON a.id = da.alert_id WHERE a.stanza = '" + stanza
                + "' AND d.state = 'PENDING'").get(0));
    }

    @Test
    void aNotifierKilledBeforeDeliveringDeliversOnceAfterRestart() throws Exception {
        int port = FreePorts.next();
        // A long group window holds the alert in the outbox: the kill lands before delivery.
        ChildProcess first = notifier(port, "20s", 1);
        try {
            Awaitility.await("first notifier ready").atMost(Duration.ofSeconds(60)).until(() -> ready(port));
            UUID id = UUID.randomUUID();
            BackupFailed failed = new BackupFailed(1, EventIds.of(id, "BackupFailed"), id, "zeta", "db9",
                    Instant.now(), "full", "56", 56, "PostgreSQL is not running or not reachable on this host", true,
                    null);
            try (KafkaCompanion kafka = new KafkaCompanion(KafkaBroker.bootstrapServers())) {
                kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, "zeta",
                        EventCodec.encode(failed))).awaitCompletion(Duration.ofSeconds(30));
            }
            Awaitility.await("alert stored").atMost(Duration.ofSeconds(30))
                    .until(() -> pendingDeliveriesFor("zeta") == 1);
        } finally {
            first.kill();
        }
        assertEquals(0, slack.containing("stanza zeta").size(), "killed before delivery");

        ChildProcess second = notifier(port, "1s", 2);
        try {
            Awaitility.await("delivered after restart").atMost(Duration.ofSeconds(60))
                    .until(() -> slack.containing("stanza zeta").size() == 1);
            // The event may be consumed again (its offset was not committed): still one message.
            Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                    .until(() -> slack.containing("stanza zeta").size() == 1);
            assertEquals(1L, Long.parseLong(db.queryColumn(DATABASE,
                    "SELECT count(*) FROM alert WHERE stanza = 'zeta'").get(0)));
        } finally {
            second.stop();
        }
        for (Path log : logs) {
            assertFalse(Files.readString(log).contains(AlertReceivers.WEBHOOK_SECRET), "log leaks the webhook: " + log);
        }
    }
}
