package io.pgbackup.executor.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.Topics;
import io.pgbackup.executor.ExecutorStack;
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
 * The poison list on both request topics: the executor goes on with the next request, answers
 * none of the poison (the coordinator does) and leaves the dead-letter queues to the coordinator,
 * so a poison request is dead-lettered once however many executors run.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static List<String> deadLetteredByExecutor(String topic) {
        try (DeadLetterQueue dlq = DeadLetterQueue.of(topics, topic)) {
            // Nothing to wait for but time: the executor would have dead-lettered before answering.
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> dlq.deadLetteredBy("executor-service").isEmpty());
            return dlq.deadLetteredBy("executor-service");
        }
    }

    @Test
    void backupRequests() {
        int invocations = ExecutorStack.invocations().size();
        Map<String, String> poison = Poison.list(KafkaTopics.request(UUID.randomUUID(), ExecutorStack.PROD, "full"),
                "requestedBy", "5");
        Poison.publish(topics.companion(), Topics.BACKUP_REQUESTS, ExecutorStack.PROD, poison.values());
        UUID next = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.PROD, KafkaTopics.request(next, ExecutorStack.PROD, "full"));

        topics.awaitTerminal(next, BackupCompleted.class, WAIT);
        List<String> calls = ExecutorStack.invocations().subList(invocations, ExecutorStack.invocations().size());
        assertEquals(1, calls.stream().filter(c -> c.endsWith(" backup")).count(), "only the valid request: " + calls);
        assertEquals(List.of(), deadLetteredByExecutor(Topics.BACKUP_REQUESTS));
    }

    @Test
    void restoreRequests() {
        String valid = "{\"type\":\"RestoreRequested\",\"requestId\":\"" + UUID.randomUUID() + "\",\"stanza\":\""
                + ExecutorStack.PROD + "\",\"mode\":\"production\",\"confirm\":\"prod\",\"reason\":\"poison test\","
                + "\"target\":{\"kind\":\"set\",\"value\":\"20200101-000000F\"}}";
        Map<String, String> poison = Poison.list(valid, "mode", "5");
        Poison.publish(topics.companion(), Topics.RESTORE_REQUESTS, ExecutorStack.PROD, poison.values());
        UUID next = UUID.randomUUID();
        // A valid request the executor answers itself, without touching the database: no such set.
        topics.publish(Topics.RESTORE_REQUESTS, ExecutorStack.PROD, valid.replaceFirst("\"requestId\":\"[^\"]+\"",
                "\"requestId\":\"" + next + "\""));

        RestoreFailed answer = topics.awaitTerminal(next, RestoreFailed.class, WAIT);
        assertEquals("exec-test-1", answer.executorId(), "the next request is the executor's");
        assertTrue(answer.reason().contains("20200101-000000F"), answer.reason());
        assertEquals(List.of(), deadLetteredByExecutor(Topics.RESTORE_REQUESTS));
    }
}
