package io.pgbackup.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.ChildProcess;
import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.PostgresCluster;
import io.pgbackup.testsupport.StateDatabase;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged health service as its own process, killed (SIGKILL) and started again on the same
 * database: it answers the same JSON, rebuilt from the database, and the same events delivered
 * again change nothing.
 */
class HealthRestartIT {

    private static final String DATABASE = "health_restart";
    private static PostgresCluster db;

    @BeforeAll
    static void start() {
        db = StateDatabase.cluster();
        db.createDatabase(DATABASE);
    }

    private static ChildProcess health(int port, int run) {
        return ChildProcess.service("health", System.getProperty("health.jar"), Map.of("HEALTH_HTTP_PORT",
                String.valueOf(port), "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers(), "HEALTH_DB_URL",
                db.jdbcUrl(DATABASE), "BACKUP_STANZAS", "r1,r2"), Path.of("target", "health-it-" + run + ".log"));
    }

    private static String get(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The answers a poller sees, minus what changes with the clock alone. */
    private static String snapshot(int port) throws Exception {
        ObjectNode fleet = (ObjectNode) EventCodec.mapper().readTree(get(port, "/"));
        fleet.remove("timestamp");
        fleet.remove("last_backup_age_hours");
        JsonNode stanzas = EventCodec.mapper().readTree(get(port, "/stanzas"));
        for (JsonNode s : stanzas) {
            ((ObjectNode) s).remove("last_backup_age_hours");
        }
        return fleet + "\n" + stanzas;
    }

    /** An answer to an invalid request: stored, but it changes no stanza. */
    private static ProducerRecord<String, String> marker(String key, UUID id, Instant at) {
        return new ProducerRecord<>(Topics.BACKUP_EVENTS, key, EventCodec.encode(new BackupFailed(1,
                EventIds.of(id, "BackupFailed"), id, "not-a-stanza", null, at, "full", "INVALID_STANZA", null,
                "marker", false, null)));
    }

    @Test
    void aRestartedServiceAnswersTheSameAndRedeliveredEventsChangeNothing() throws Exception {
        Instant now = Instant.now();
        UUID ok = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        List<ProducerRecord<String, String>> records = List.of(
                new ProducerRecord<>(Topics.BACKUP_EVENTS, "r1", EventCodec.encode(new BackupCompleted(1,
                        EventIds.of(ok, "BackupCompleted"), ok, "r1", "db1", now, BackupType.FULL, BackupType.FULL,
                        false,
                        "20261125-010000F", null, now.minusSeconds(90), now, 90.0, 5000L, 500L, 500L, null, null,
                        null, null))),
                new ProducerRecord<>(Topics.BACKUP_EVENTS, "r2", EventCodec.encode(new BackupFailed(1,
                        EventIds.of(bad, "BackupFailed"), bad, "r2", "db2", now, "full", "ARCHIVE_TIMEOUT", 82,
                        "WAL segment not archived before archive-timeout", false, null))),
                new ProducerRecord<>(Topics.BACKUP_STATUS, "r1", EventCodec.encode(new StanzaStatusReported(1,
                        UUID.randomUUID(), "r1", "db1", now, 60,
                        new StanzaStatusReported.Archiver(10L, "000000010000000000000009", now, 0L, null, null, 0,
                                "00000001000000000000000A", null),
                        null))));
        int port = FreePorts.next();
        String before;
        ChildProcess first = health(port, 1);
        try (KafkaCompanion kafka = new KafkaCompanion(KafkaBroker.bootstrapServers())) {
            Awaitility.await("first start").atMost(Duration.ofSeconds(60))
                    .until(() -> get(port, "/q/health/ready") != null);
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                String all = get(port, "/stanzas");
                return all != null && all.contains("ARCHIVE_TIMEOUT") && all.contains("000000010000000000000009")
                        && all.contains("20261125-010000F");
            });
            before = snapshot(port);
        } finally {
            first.kill();
        }
        assertTrue(before.contains("\"status\":\"unhealthy\"") && before.contains("LAST_BACKUP_FAILED"), before);

        ChildProcess second = health(port, 2);
        try (KafkaCompanion kafka = new KafkaCompanion(KafkaBroker.bootstrapServers())) {
            Awaitility.await("second start").atMost(Duration.ofSeconds(60))
                    .until(() -> get(port, "/q/health/ready") != null);
            assertEquals(before, snapshot(port), "rebuilt from the database, before any record is read again");
            // The same records again, then a marker behind them on each partition they use: once
            // both markers are stored, the copies have been read.
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
            UUID marker1 = UUID.randomUUID();
            UUID marker2 = UUID.randomUUID();
            kafka.produceStrings().fromRecords(marker("r1", marker1, now), marker("r2", marker2, now))
                    .awaitCompletion(Duration.ofSeconds(30));
            // The killed process's consumers stay in the group until their session times out (6 s here).
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "2".equals(db.queryColumn(DATABASE,
                    "SELECT count(*) FROM stored_event WHERE request_id IN ('" + marker1 + "', '" + marker2 + "')")
                    .get(0)));
            assertEquals(before, snapshot(port), "redelivered events changed nothing");
            assertEquals("2", db.queryColumn(DATABASE, "SELECT count(*) FROM stored_event WHERE request_id IN ('" + ok
                    + "', '" + bad + "')").get(0), "each event stored once");
        } finally {
            second.stop();
        }
    }
}
