package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Scripts;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/** The seed's scripts, as an operator runs them against the stack, each followed to its end. */
@Tag("whole")
@Order(7)
class ScriptsIT {

    private final Stack stack = WholeSystem.stack();
    private final Scripts scripts = Scripts.of(stack).with("WAIT_SECONDS", "180");

    private String runBackup() {
        Os.Result run = scripts.run("run-backup.sh", "incr", "main");
        assertEquals(0, run.exitCode(), "run-backup.sh incr main: " + run.output());
        assertTrue(run.output().contains("completed"), "run-backup.sh's output: " + run.output());
        Matcher id = Pattern.compile("request ([0-9a-f-]{36})").matcher(run.output());
        assertTrue(id.find(), "run-backup.sh names its request: " + run.output());
        return id.group(1);
    }

    private Os.Result restoreLatest() {
        return scripts.run("restore-backup.sh");
    }

    @Test
    void runBackupShRunsABackupToCompletion() {
        runBackup();
    }

    @Test
    void restoreBackupShWithoutArgumentsLeavesACheckedStoppedCopyInRestoreTestDir() throws IOException {
        Os.Result restore = restoreLatest();
        Path copy = stack.dir().resolve("postgres-restore-test/data");
        assertEquals(0, restore.exitCode(), "restore-backup.sh: " + restore.output());
        assertTrue(restore.output().contains("completed"), "restore-backup.sh's output: " + restore.output());
        assertTrue(Files.isRegularFile(copy.resolve("PG_VERSION")), "a restored copy in " + copy);
        assertFalse(Files.exists(copy.resolve("postmaster.pid")), "the copy in " + copy + " is stopped");
        Path scratch = stack.dir().resolve("restore");
        try (var left = Files.exists(scratch) ? Files.list(scratch) : java.util.stream.Stream.<Path>empty()) {
            assertEquals(java.util.List.of(), left.toList(), "scratch copies the test restore left in " + scratch);
        }
    }

    @Test
    void theOperationLogsHaveALineForTheBackupAndTheRestore() {
        String id = runBackup();
        assertEquals(0, restoreLatest().exitCode(), "restore-backup.sh");
        Path backupLog = stack.logs().resolve("backup.log");
        Path restoreLog = stack.logs().resolve("restore.log");
        String backupLine = "BackupCompleted outcome=success stanza=main detail=incr request=" + id;
        Awaitility.await("the operation logs' lines").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> read(backupLog).contains(backupLine)
                        && read(restoreLog).contains("RestoreCompleted outcome=success stanza=main"));
        assertTrue(read(backupLog).contains(backupLine), "backup.log: " + Os.tail(read(backupLog), 3));
    }

    @Test
    void aProductionRestoreWithoutConfirmationIsRefused() {
        Os.Result refused = scripts.run("restore-backup.sh", "latest", "", "test=false");
        assertEquals(2, refused.exitCode(), "restore-backup.sh latest '' test=false: " + refused.output());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
