package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.system.harness.StackHost;

/** The stanza's PostgreSQL stopped in the middle of a full backup, then started again. */
@Tag("faults")
@Order(5)
class PostgresStoppedMidBackupIT {

    private static int alertsBefore;
    private static String interrupted;
    private static String probe;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void stopPostgresMidBackup() {
        Stack stack = FaultSuite.stack();
        FaultSuite.longLived();
        StackHost main = FaultSuite.main();
        alertsBefore = FaultSuite.slack().received().size();
        interrupted = stack.scheduler().backup("main", "full");
        Awaitility.await("stanza main's full backup running").atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !FaultSuite.pgbackrestBackups("main", "full").isEmpty());
        main.postgres().stop();
        Instant back;
        try {
            stack.kafka().events().awaitAnswer(interrupted, Duration.ofMinutes(2));
        } finally {
            main.postgres().start();
            back = Instant.now();
        }
        probe = stack.scheduler().backup("main", "incr");
        stack.kafka().events().awaitAnswer(probe, Duration.ofMinutes(4));
        row = Reliability.tally(5, "stanza's PostgreSQL stopped mid-backup",
                String.valueOf(Duration.between(back, Instant.now()).toSeconds()), stack.kafka().events(),
                List.of(interrupted, probe));
    }

    @Test
    void theInterruptedBackupFailedWithPgbackrestsOwnCode() {
        JsonNode answer = stack.kafka().events().awaitAnswer(interrupted, Duration.ofMinutes(2));
        assertEquals("BackupFailed", answer.path("type").asText(), "the interrupted backup's answer: " + answer);
        assertTrue(answer.path("errorCode").asText().matches("[0-9]+"),
                "expected pgBackRest's numeric code, got " + answer.path("errorCode"));
    }

    @Test
    void anAlertAboutStanzaMainReachedTheSlackReceiver() {
        Awaitility.await("an alert about stanza main").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    var received = FaultSuite.slack().received();
                    assertTrue(received.subList(Math.min(alertsBefore, received.size()), received.size()).stream()
                            .anyMatch(r -> r.body().contains("main")),
                            "expected an alert naming stanza main; received since the fault: "
                                    + received.subList(Math.min(alertsBefore, received.size()), received.size()));
                });
    }

    @Test
    void theNextBackupAfterPostgresReturnedCompletes() {
        JsonNode answer = stack.kafka().events().awaitAnswer(probe, Duration.ofMinutes(4));
        assertEquals("BackupCompleted", answer.path("type").asText(),
                "the backup after PostgreSQL returned: " + answer);
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
