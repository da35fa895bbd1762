package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.NamespaceHost;
import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/**
 * A second executor configured for stanza h1 on host 1: health names it and it is alerted, and it
 * leaves h1's requests to host1 (the first by id) instead of backing h1 up a second time.
 */
@Tag("faults")
@Order(2)
class DuplicateExecutorIT {

    private static AssertionError notNamed;
    private static int alertsBefore;
    private static int setsMade;
    private static List<String> ids;
    private static AssertionError notHealthy;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void aSecondExecutorForH1() {
        Stack stack = FaultSuite.stack();
        NamespaceHost host1 = FaultSuite.host1();
        alertsBefore = FaultSuite.slack().received().size();
        NamespaceHost.NamespaceExecutor duplicate = host1.startExecutor("host1-dup", "executor_dup", 8082, true);
        try {
            stack.health().awaitCode("h1", "DUPLICATE_EXECUTOR", Duration.ofSeconds(60));
        } catch (AssertionError e) {
            notNamed = e;
        }
        // The duplicate has read host1's reports (it says so in its log) before requests come.
        Awaitility.await("the duplicate executor leaving h1 to host1").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Os.tail(duplicate.log(), 400).contains("executor host1 also serves stanza h1"));
        int setsBefore = host1.backupLabels().size();
        String a = stack.scheduler().backup("h1", "incr");
        stack.kafka().events().awaitAnswer(a, Duration.ofMinutes(2));
        String b = stack.scheduler().backup("h1", "incr");
        stack.kafka().events().awaitAnswer(b, Duration.ofMinutes(2));
        ids = List.of(a, b);
        setsMade = host1.backupLabels().size() - setsBefore;
        host1.executor("host1-dup").stop();
        Instant stopped = Instant.now();
        try {
            stack.health().awaitStatus("h1", "healthy", Duration.ofSeconds(90));
        } catch (AssertionError e) {
            notHealthy = e;
        }
        row = Reliability.tally(2, "two executors configured for one stanza",
                String.valueOf(Duration.between(stopped, Instant.now()).toSeconds()), stack.kafka().events(), ids);
    }

    @Test
    void healthNamesTheSecondExecutorDuplicateExecutor() {
        if (notNamed != null) {
            throw notNamed;
        }
    }

    @Test
    void theDuplicateExecutorIsAlertedToSlack() {
        Awaitility.await("an alert about the duplicate executor").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    var received = FaultSuite.slack().received();
                    assertTrue(received.subList(Math.min(alertsBefore, received.size()), received.size()).stream()
                            .anyMatch(
                                    r -> r.body().contains("DUPLICATE_EXECUTOR") || r.body().contains("two executors")),
                            "expected an alert naming DUPLICATE_EXECUTOR after the duplicate started; received: "
                                    + received.subList(Math.min(alertsBefore, received.size()), received.size()));
                });
    }

    @Test
    void eachRequestRanOnceOnHost1() {
        long completed = ids.stream().filter(id -> stack.kafka().events().answer(id)
                .map(a -> "BackupCompleted".equals(a.path("type").asText())).orElse(false)).count();
        assertEquals(completed, setsMade, "backup sets made for " + completed + " completed request(s)");
        for (String id : ids) {
            assertFalse(
                    stack.kafka().events().of(id).stream()
                            .anyMatch(e -> "host1-dup".equals(e.path("executorId").asText())),
                    "request " + id + " was touched by the duplicate: " + stack.kafka().events().of(id));
        }
    }

    @Test
    void withTheDuplicateStoppedH1IsHealthyAgain() {
        if (notHealthy != null) {
            throw notHealthy;
        }
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
