package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Scripts;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/** The health service gone: the Nagios check judges the stanza by pgbackrest itself. */
@Tag("whole")
@Order(13)
class CheckFallbackIT {

    private final Stack stack = WholeSystem.stack();

    @Test
    void withTheHealthServiceDownTheCheckJudgesByPgbackrestAndWarns() {
        stack.stop("health");
        try {
            Os.Result check = Scripts.of(stack).run("check-backup-health.sh");
            assertEquals(1, check.exitCode(), "check-backup-health.sh without health: " + check.output());
            assertTrue(check.output().contains("cannot be reached") && check.output().contains("archive check OK"),
                    "expected the check to say health cannot be reached and the archive check is OK, got: "
                            + check.output());
        } finally {
            stack.upAgain();
        }
    }
}
