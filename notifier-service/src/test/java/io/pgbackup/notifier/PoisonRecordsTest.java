package io.pgbackup.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.StanzaHealthChanged;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.DeadLetterQueue;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.Poison;
import io.pgbackup.testsupport.StateDatabase;
import io.pgbackup.testsupport.WebhookReceiver.Answer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The poison list on both topics the notifier reads: it goes on and alerts on the next record;
 * backup.health, which it owns, gets each poison record in its dead-letter queue once.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AlertReceivers.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    @BeforeEach
    void slackAnswers() {
        AlertReceivers.slack.script();
        AlertReceivers.slack.otherwise(Answer.ok());
    }

    private static String stanza() {
        return "poison-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void healthChanges() {
        String stanza = stanza();
        String valid = EventCodec.encode(new StanzaHealthChanged(1, UUID.randomUUID(), stanza, Instant.now(),
                HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, List.of(new StanzaHealthChanged.Reason(
                        "BACKUP_TOO_OLD", HealthStatus.UNHEALTHY, "the newest backup of " + stanza + " is old"))));
        Map<String, String> poison = Poison.list(valid, "eventId", "schemaVersion", "\"abc\"");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_HEALTH)) {
            Poison.publish(topics.companion(), Topics.BACKUP_HEALTH, stanza, poison.values());
            topics.publish(Topics.BACKUP_HEALTH, stanza, valid);

            Awaitility.await("the next change alerts").atMost(WAIT).until(() -> !AlertReceivers.slack
                    .containing("Stanza " + stanza + " is unhealthy").isEmpty());
            dlq.assertEachOnce(poison, "notifier-service", WAIT);
        }
    }

    @Test
    void backupEventsArePassedOverForTheirOwnerToDeadLetter() {
        String stanza = stanza();
        String valid = EventCodec.encode(AlertingTest.failed(stanza, "56", "PostgreSQL is down"));
        Map<String, String> poison = Poison.list(valid, "pgbackrestExitCode", "\"abc\"");
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, Topics.BACKUP_EVENTS)) {
            Poison.publish(topics.companion(), Topics.BACKUP_EVENTS, stanza, poison.values());
            topics.publish(Topics.BACKUP_EVENTS, stanza, valid);

            Awaitility.await("the next event alerts").atMost(WAIT).until(() -> !AlertReceivers.slack
                    .containing("Backup of stanza " + stanza + " failed [56]").isEmpty());
            assertEquals(List.of(), dlq.deadLetteredBy("notifier-service"),
                    "the health service owns backup.events.dlq");
        }
    }
}
