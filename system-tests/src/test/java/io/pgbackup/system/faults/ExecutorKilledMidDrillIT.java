package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.system.harness.StackHost;

/** The executor SIGKILLed in the middle of a drill, while its test copy runs. */
@Tag("faults")
@Order(4)
class ExecutorKilledMidDrillIT {

    private static long copyPostmaster;
    private static String interrupted;
    private static String probe;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    /** The postmaster.pid of a test copy running under the scratch root, if one runs. */
    private static Optional<Path> runningCopy(Path scratch) {
        if (!Files.isDirectory(scratch)) {
            return Optional.empty();
        }
        try (Stream<Path> copies = Files.list(scratch)) {
            return copies.map(c -> c.resolve("data/postmaster.pid")).filter(Files::exists).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @BeforeAll
    static void killTheExecutorMidDrill() throws IOException {
        Stack stack = FaultSuite.stack();
        FaultSuite.longLived();
        StackHost main = FaultSuite.main();
        Path scratch = stack.dir().resolve("restore");
        interrupted = stack.scheduler().drill("main", null);
        Path pidFile = Awaitility.await("stanza main's test copy running").atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> runningCopy(scratch), Optional::isPresent)
                .orElseThrow();
        copyPostmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        Instant killed = Instant.now();
        main.executor().kill();
        main.executor().start();
        probe = stack.scheduler().drill("main", null);
        stack.kafka().events().awaitAnswer(probe, Duration.ofMinutes(4));
        row = Reliability.tally(4, "executor SIGKILLed mid-test-restore",
                String.valueOf(Duration.between(killed, Instant.now()).toSeconds()), stack.kafka().events(),
                List.of(interrupted, probe));
    }

    @Test
    void theRestartedExecutorStoppedTheTestCopyAndRemovedItsScratchDirectory() throws IOException {
        assertFalse(ProcessHandle.of(copyPostmaster).map(ProcessHandle::isAlive).orElse(false),
                "the killed executor's test copy (postmaster " + copyPostmaster + ") still runs");
        try (Stream<Path> left = Files.list(stack.dir().resolve("restore"))) {
            assertEquals(List.of(), left.toList(), "scratch directories left in " + stack.dir().resolve("restore"));
        }
    }

    @Test
    void theInterruptedDrillIsAnsweredExecutorRestarted() {
        JsonNode answer = stack.kafka().events().awaitAnswer(interrupted, Duration.ofMinutes(1));
        assertEquals("EXECUTOR_RESTARTED", answer.path("errorCode").asText(),
                "the interrupted drill's answer: " + answer);
    }

    @Test
    void theNextDrillAfterTheKillCompletes() {
        JsonNode answer = stack.kafka().events().awaitAnswer(probe, Duration.ofMinutes(4));
        assertEquals("RestoreCompleted", answer.path("type").asText(), "the drill after the kill: " + answer);
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
