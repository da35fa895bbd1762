package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.system.harness.Cluster;
import io.pgbackup.system.harness.Scripts;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/** archive_command broken on the real primary, as a bad deploy would, then mended. */
@Tag("whole")
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchivingIT {

    private final Stack stack = WholeSystem.stack();
    private final Cluster demo = stack.demo();

    private String breakArchiving() {
        String working = demo.sql("postgres", "SHOW archive_command");
        demo.sql("postgres", "ALTER SYSTEM SET archive_command = '/bin/false'");
        demo.sql("postgres", "SELECT pg_reload_conf()");
        // New WAL to archive, whatever earlier checks wrote: a switch with nothing written is none.
        demo.sql("postgres", "CREATE TABLE IF NOT EXISTS e2e_noise (x int)");
        demo.sql("postgres", "INSERT INTO e2e_noise VALUES (1)");
        demo.sql("postgres", "SELECT pg_switch_wal()");
        return working;
    }

    private void mend(String working) {
        demo.sql("postgres", "ALTER SYSTEM SET archive_command = '" + working.replace("'", "''") + "'");
        demo.sql("postgres", "SELECT pg_reload_conf()");
        demo.sql("postgres", "INSERT INTO e2e_noise VALUES (2)");
        demo.sql("postgres", "SELECT pg_switch_wal()");
    }

    @Test
    @Order(1)
    void aBrokenArchiveCommandMakesTheStanzaUnhealthyAndTheCheckCritical() {
        String working = breakArchiving();
        try {
            stack.health().awaitCode(WholeSystem.STANZA, "ARCHIVE_FAILING", Duration.ofSeconds(60));
            assertEquals("unhealthy", stack.health().status(WholeSystem.STANZA),
                    "status with ARCHIVE_FAILING: " + stack.health().stanza(WholeSystem.STANZA));
            Os.Result check = Scripts.of(stack).run("check-backup-health.sh");
            assertEquals(2, check.exitCode(), "check-backup-health.sh: " + check.output());
            assertTrue(check.output().contains("main:ARCHIVE_FAILING"),
                    "expected main:ARCHIVE_FAILING in the check's line, got: " + check.output());
        } finally {
            mend(working);
        }
    }

    @Test
    @Order(2)
    void mendingArchiveCommandMakesTheStanzaHealthyAgain() {
        String working = breakArchiving();
        stack.health().awaitCode(WholeSystem.STANZA, "ARCHIVE_FAILING", Duration.ofSeconds(60));
        mend(working);
        stack.health().awaitStatus(WholeSystem.STANZA, "healthy", Duration.ofSeconds(90));
    }
}
