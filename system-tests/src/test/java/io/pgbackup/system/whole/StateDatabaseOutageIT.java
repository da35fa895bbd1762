package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Faults;
import io.pgbackup.system.harness.Http;
import io.pgbackup.system.harness.Stack;

/**
 * The state database, where all four services keep their state, stopped for 30 s while requests
 * arrive: nothing is lost, no channel dies, processing resumes by itself.
 */
@Tag("whole")
@Order(8)
class StateDatabaseOutageIT {

    private static String backupDuringOutage;
    private static String invalidDuringOutage;
    private final Stack stack = WholeSystem.stack();

    @BeforeAll
    static void outage() {
        Stack stack = WholeSystem.stack();
        stack.state().stop();
        try {
            backupDuringOutage = WholeSystem.newId();
            invalidDuringOutage = WholeSystem.newId();
            stack.kafka().publish("backup.requests", "main", WholeSystem.request(backupDuringOutage, "main", "incr"));
            stack.kafka().publish("backup.requests", "main", WholeSystem.request(invalidDuringOutage, "$(id)", "full"));
            Faults.last(Duration.ofSeconds(30));
        } finally {
            stack.state().start();
        }
    }

    @Test
    void aBackupRequestedDuringTheOutageCompletesOnceAfterIt() {
        JsonNode answer = stack.kafka().events().awaitAnswer(backupDuringOutage, Duration.ofMinutes(3));
        assertEquals("BackupCompleted", answer.path("type").asText(), "the answer: " + answer);
        List<String> completions = new ArrayList<>();
        stack.kafka().events().answers(backupDuringOutage).forEach(a -> completions.add(a.path("eventId").asText()));
        assertEquals(1, completions.size(), "distinct answers to " + backupDuringOutage + ": " + completions);
    }

    @Test
    void anInvalidRequestSentDuringTheOutageIsAnsweredAfterIt() {
        JsonNode answer = stack.kafka().events().awaitAnswer(invalidDuringOutage, Duration.ofMinutes(1));
        assertEquals("INVALID_STANZA", answer.path("errorCode").asText(), "the answer: " + answer);
    }

    @Test
    void everyServiceIsReadyAfterTheOutageAndHealthRecordedTheBackupMadeDuringIt() {
        Stack.Ports p = stack.ports();
        for (int port : List.of(p.health(), p.executor(), p.scheduler(), p.notifier())) {
            Awaitility.await("service on " + port + " ready after the outage").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Http.get("http://127.0.0.1:" + port + "/q/health/ready").status() == 200);
        }
        stack.kafka().events().awaitAnswer(backupDuringOutage, Duration.ofMinutes(3));
        Awaitility.await("health recording " + backupDuringOutage).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    JsonNode attempt = stack.health().stanza("main").path("lastAttempt");
                    assertEquals(backupDuringOutage, attempt.path("requestId").asText(), "lastAttempt: " + attempt);
                    assertEquals("BackupCompleted", attempt.path("outcome").asText(), "lastAttempt: " + attempt);
                });
    }
}
