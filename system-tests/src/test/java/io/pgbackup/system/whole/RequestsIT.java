package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Kafka;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/** Requests published by hand, as the README shows, and the answers each kind gets. */
@Tag("whole")
@Order(4)
class RequestsIT {

    private final Stack stack = WholeSystem.stack();

    /** kcat with the operator's login, exactly as the README tells users to publish. */
    private void kcatPublish(String key, String json) {
        Os.check(Os.run(List.of("kcat", "-F", stack.dir().resolve("kcat.conf").toString(), "-P", "-t",
                "backup.requests", "-k", key), Map.of(), Duration.ofSeconds(60), json + "\n"), "kcat -P");
    }

    @Test
    void anIncrRequestPublishedWithKcatEndsInBackupCompletedWithAnIncrLabel() {
        String id = WholeSystem.newId();
        kcatPublish("main", WholeSystem.request(id, "main", "incr"));
        JsonNode answer = stack.kafka().events().awaitAnswer(id, WholeSystem.BACKUP);
        assertEquals("BackupCompleted", answer.path("type").asText(), "the answer: " + answer);
        assertEquals(WholeSystem.EXECUTOR_ID, answer.path("executorId").asText(), "the executor in " + answer);
        assertTrue(answer.path("label").asText().matches("[0-9]{8}-[0-9]{6}F_[0-9]{8}-[0-9]{6}I"),
                "expected an incr label (…F_…I), got " + answer.path("label"));
    }

    @Test
    void anInvalidStanzaIsAnsweredInvalidStanzaAndNeverReachesPgbackrest() throws IOException {
        String id = WholeSystem.newId();
        stack.kafka().publish("backup.requests", "main", WholeSystem.request(id, "$(id)", "full"));
        JsonNode answer = stack.kafka().events().awaitAnswer(id, Duration.ofSeconds(60));
        assertEquals("BackupFailed", answer.path("type").asText(), "the answer: " + answer);
        assertEquals("INVALID_STANZA", answer.path("errorCode").asText(), "the code in " + answer);
        try (Stream<java.nio.file.Path> logs = Files.walk(stack.dir().resolve("pgbackrest/log"))) {
            List<java.nio.file.Path> naming = logs.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains("stanza=$(id)");
                } catch (IOException e) {
                    return false;
                }
            }).toList();
            assertEquals(List.of(), naming, "pgbackrest logs that name the invalid stanza");
        }
    }

    @Test
    void aRecordThatIsNotJsonGoesToTheDeadLetterTopicWithItsReason() {
        String value = "this is not json " + WholeSystem.newId();
        stack.kafka().publish("backup.requests", "main", value);
        Kafka.Message dead = Awaitility.await("the record in backup.requests.dlq").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> stack.kafka().readAll("backup.requests.dlq").stream()
                        .filter(m -> value.equals(m.value())).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        String reason = dead.headers().get("dead-letter-reason");
        assertTrue(reason != null && reason.startsWith("not valid JSON"),
                "expected a dead-letter-reason starting 'not valid JSON', got headers " + dead.headers());
    }

    @Test
    void aStanzaNoExecutorServesIsAnsweredNoExecutorByTheCoordinator() {
        JsonNode answer = stack.kafka().events().awaitAnswer(WholeSystem.unservedRequest(), Duration.ofSeconds(150));
        assertEquals("BackupFailed", answer.path("type").asText(), "the answer: " + answer);
        assertEquals("NO_EXECUTOR", answer.path("errorCode").asText(), "the code in " + answer);
        assertEquals("coordinator", answer.path("answeredBy").asText(), "who answered: " + answer);
        assertFalse(answer.path("reason").asText().isBlank(), "a reason in " + answer);
    }
}
