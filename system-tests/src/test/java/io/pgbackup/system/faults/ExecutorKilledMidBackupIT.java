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

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.system.harness.StackHost;

/** The executor SIGKILLed in the middle of a full backup, then started again by make up. */
@Tag("faults")
@Order(3)
class ExecutorKilledMidBackupIT {

    private static List<Long> orphans;
    private static String interrupted;
    private static String probe;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void killTheExecutorMidBackup() {
        Stack stack = FaultSuite.stack();
        FaultSuite.longLived();
        StackHost main = FaultSuite.main();
        interrupted = stack.scheduler().backup("main", "full");
        orphans = Awaitility.await("stanza main's full backup running").atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> FaultSuite.pgbackrestBackups("main", "full"),
                        pids -> !pids.isEmpty());
        Instant killed = Instant.now();
        main.executor().kill();
        main.executor().start();
        probe = stack.scheduler().backup("main", "incr");
        stack.kafka().events().awaitAnswer(probe, Duration.ofMinutes(4));
        row = Reliability.tally(3, "executor SIGKILLed mid-backup",
                String.valueOf(Duration.between(killed, Instant.now()).toSeconds()), stack.kafka().events(),
                List.of(interrupted, probe));
    }

    @Test
    void theRestartedExecutorStoppedThePgbackrestItsPredecessorLeft() {
        List<Long> left = orphans.stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .toList();
        assertEquals(List.of(), left, "pgbackrest processes of the killed executor still running (of " + orphans + ")");
    }

    @Test
    void theNextBackupAfterTheKillCompletes() {
        JsonNode answer = stack.kafka().events().awaitAnswer(probe, Duration.ofMinutes(4));
        assertEquals("BackupCompleted", answer.path("type").asText(), "the backup after the kill: " + answer);
        JsonNode first = stack.kafka().events().awaitAnswer(interrupted, Duration.ofMinutes(1));
        assertFalse(first.isMissingNode(), "the interrupted request is answered: " + first);
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
