package io.pgbackup.notifier;

import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
class NotifierTest {

    @Test
    void aFailureBecomesOneAlertWithStanzaAndReasonAndACompletionNone() {
        UUID failedId = UUID.randomUUID();
        UUID okId = UUID.randomUUID();
        BackupEvent failed = new BackupFailed(1, EventIds.of(failedId, "BackupFailed"), failedId, "main", "exec-1",
                Instant.now(), "full", "56", 56, "PostgreSQL is not running or not reachable on this host", true);
        BackupEvent ok = new BackupCompleted(1, EventIds.of(okId, "BackupCompleted"), okId, "main", "exec-1",
                Instant.now(), "full", "full", false, "20261124-020000F", null, Instant.now(), Instant.now(), 1.0, 1L,
                1L, 1L, null, null, null, null);
        try (KafkaTopics topics = new KafkaTopics(KafkaBroker.bootstrapServers())) {
            for (BackupEvent e : List.of(failed, failed, ok)) {
                topics.companion().produceStrings()
                        .fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, "main", EventCodec.encode(e)))
                        .awaitCompletion(Duration.ofSeconds(30));
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/alerts").then().extract().jsonPath().getList("requestId")
                        .contains(failedId.toString()));
        get("/alerts").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].stanza", equalTo("main"))
                .body("[0].reason", equalTo("PostgreSQL is not running or not reachable on this host"));
        assertEquals(1, get("/alerts").then().extract().jsonPath().getList("$").size());
    }
}
