package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.system.harness.Scripts;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.system.harness.StackHost;
import io.pgbackup.testsupport.Os;

/** The executor stopped: its reports stop, health says so, the check pages; started again: healthy. */
@Tag("whole")
@Order(10)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExecutorSilenceIT {

    private final Stack stack = WholeSystem.stack();
    private final StackHost host = WholeSystem.host();

    private void stopAndAwaitSilence() {
        host.executor().stop();
        stack.health().awaitCode("main", "EXECUTOR_SILENT", Duration.ofSeconds(90));
    }

    @Test
    @Order(1)
    void aStoppedExecutorIsNamedExecutorSilentAndTheCheckIsCritical() {
        stopAndAwaitSilence();
        assertEquals("unhealthy", stack.health().status("main"), "with the executor silent: "
                + stack.health().stanza("main"));
        Os.Result check = Scripts.of(stack).run("check-backup-health.sh");
        assertEquals(2, check.exitCode(), "check-backup-health.sh: " + check.output());
        assertTrue(check.output().contains("main:EXECUTOR_SILENT"), "the check's line: " + check.output());
    }

    @Test
    @Order(2)
    void theRestartedExecutorsReportsMakeTheStanzaHealthyAgain() {
        if (!stack.health().hasCode("main", "EXECUTOR_SILENT")) {
            stopAndAwaitSilence();
        }
        host.executor().start();
        stack.health().awaitStatus("main", "healthy", Duration.ofSeconds(120));
    }

    @AfterAll
    static void executorRunsAgain() {
        WholeSystem.stack().upAgain();
    }
}
