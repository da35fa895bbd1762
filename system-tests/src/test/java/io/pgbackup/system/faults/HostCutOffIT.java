package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Faults;
import io.pgbackup.system.harness.NamespaceHost;
import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;

/**
 * Host 1 cut off from the broker (and everything else) for two minutes while requests for its
 * stanza keep coming: those older than the claim timeout are answered NO_EXECUTOR by the
 * coordinator, the last one is run once the host is back, and nothing is backed up twice.
 */
@Tag("faults")
@Order(8)
class HostCutOffIT {

    private static AssertionError notSilent;
    private static AssertionError notHealthy;
    private static int setsMade;
    private static List<String> ids;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void cutHost1Off() {
        Stack stack = FaultSuite.stack();
        FaultSuite.longLived();
        NamespaceHost host1 = FaultSuite.host1();
        int setsBefore = host1.backupLabels().size();
        ids = new ArrayList<>();
        Instant back;
        host1.cutOff();
        Instant cut = Instant.now();
        try {
            ids.add(stack.scheduler().backup("h1", "incr"));
            try {
                stack.health().awaitCode("h1", "EXECUTOR_SILENT", Duration.ofSeconds(60));
            } catch (AssertionError e) {
                notSilent = e;
            }
            Faults.until(cut.plusSeconds(60));
            ids.add(stack.scheduler().backup("h1", "incr"));
            Faults.until(cut.plusSeconds(110));
            ids.add(stack.scheduler().backup("h1", "incr"));
            Faults.until(cut.plusSeconds(120));
        } finally {
            host1.reconnect();
            back = Instant.now();
        }
        ids.forEach(id -> stack.kafka().events().awaitAnswer(id, Duration.ofMinutes(4)));
        try {
            stack.health().awaitStatus("h1", "healthy", Duration.ofMinutes(2));
        } catch (AssertionError e) {
            notHealthy = e;
        }
        setsMade = host1.backupLabels().size() - setsBefore;
        row = Reliability.tally(8, "executor host cut off 2 min (netns link down)",
                String.valueOf(Duration.between(back, Instant.now()).toSeconds()), stack.kafka().events(), ids);
    }

    @Test
    void whileCutOffHealthNamesExecutorSilentForH1() {
        if (notSilent != null) {
            throw notSilent;
        }
    }

    @Test
    void host1RejoinedAndH1IsHealthyAgain() {
        if (notHealthy != null) {
            throw notHealthy;
        }
    }

    @Test
    void host1RejoinedWithoutDuplicateBackups() {
        long completed = ids.stream().filter(id -> stack.kafka().events().answer(id)
                .map(a -> "BackupCompleted".equals(a.path("type").asText())).orElse(false)).count();
        assertEquals(completed, setsMade, "sets made on host 1 for " + completed + " completed request(s)");
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
