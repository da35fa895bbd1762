package io.pgbackup.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.MaintenanceCompleted;
import io.pgbackup.events.MaintenanceTask;

/** The operation logs' lines, files, daily rotation and removal, on real files. */
class OperationLogTest {

    private static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");
    private static final UUID REQUEST = UUID.fromString("6f1c2c9e-1d7b-4c55-9a53-2f7d0c1e9a10");

    @TempDir
    Path dir;

    private OperationLog log(Instant now) {
        return new OperationLog(Optional.of(dir), 30, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void eachEventGoesToItsSubjectsFileAsOneLineWithItsOutcome() throws Exception {
        OperationLog log = log(NOW);
        log.record(new BackupCompleted(1, EventIds.of(REQUEST, "BackupCompleted"), REQUEST, "main", "db1", NOW,
                BackupType.FULL, BackupType.FULL, false, "20261202-010000F", null, NOW, NOW, 12.34, null, null, null,
                null, null, null, null));
        log.record(new BackupFailed(1, EventIds.of(REQUEST, "BackupFailed"), REQUEST, "main", "db1", NOW, "diff",
                "PGBACKREST_ERROR", 56, "unable to connect\nto the database \"x\"", false, null));
        log.record(new MaintenanceCompleted(1, UUID.randomUUID(), UUID.randomUUID(), "main", "db1", NOW,
                MaintenanceTask.EXPIRE, "expired 1 backup", List.of(), null, null, null));

        List<String> backups = Files.readAllLines(dir.resolve("backup.log"));
        assertEquals(2, backups.size());
        assertEquals("2026-12-02T01:00:00Z BackupCompleted outcome=success stanza=main detail=full request=" + REQUEST
                + " executor=db1 type=full label=20261202-010000F seconds=12.3", backups.get(0));
        assertTrue(backups.get(1).startsWith("2026-12-02T01:00:00Z BackupFailed outcome=failure stanza=main"),
                backups.get(1));
        assertTrue(
                backups.get(1)
                        .endsWith(" code=PGBACKREST_ERROR reason=\"unable to connect to the database \\\"x\\\"\""),
                "a reason's newline does not split the line: " + backups.get(1));
        List<String> maintenance = Files.readAllLines(dir.resolve("maintenance.log"));
        assertEquals(1, maintenance.size());
        assertTrue(maintenance.get(0).contains("MaintenanceCompleted outcome=success stanza=main detail=expire"),
                maintenance.get(0));
        assertTrue(maintenance.get(0).endsWith("summary=\"expired 1 backup\""), maintenance.get(0));
        assertFalse(Files.exists(dir.resolve("restore.log")), "no restore, no file");
    }

    @Test
    void aNewDayRotatesTheFileAndRotatedFilesGoAfterTheRetention() throws Exception {
        Path file = dir.resolve("backup.log");
        Files.writeString(file, "yesterday's line\n");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minusSeconds(86_400)));
        Path old = dir.resolve("backup.log.2026-10-01");
        Files.writeString(old, "two months ago\n");
        Path kept = dir.resolve("backup.log.2026-11-15");
        Files.writeString(kept, "two weeks ago\n");
        Path foreign = dir.resolve("backup.log.bak");
        Files.writeString(foreign, "not ours\n");

        log(NOW).record(new MaintenanceCompleted(1, UUID.randomUUID(), REQUEST, "main", "db1", NOW,
                MaintenanceTask.CHECK, null, List.of(), null, null, null));
        assertEquals(List.of("yesterday's line"), Files.readAllLines(file),
                "a maintenance event touches only its file");
        log(NOW).record(new BackupFailed(1, UUID.randomUUID(), REQUEST, "main", "db1", NOW, "full", "NO_EXECUTOR",
                null, "nobody", false, null));

        assertEquals(List.of("yesterday's line"), Files.readAllLines(dir.resolve("backup.log.2026-12-01")));
        assertEquals(1, Files.readAllLines(file).size(), "today's file starts empty");
        assertFalse(Files.exists(old), "older than RETENTION_DAYS (30): removed");
        assertTrue(Files.exists(kept), "within the retention: kept");
        assertTrue(Files.exists(foreign), "a file that is not a rotated log is left alone");
    }

    @Test
    void withoutAFolderNothingIsWritten() {
        BackupEvent event = new BackupFailed(1, UUID.randomUUID(), REQUEST, "main", null, NOW, "full", "NO_EXECUTOR",
                null, "nobody", false, null);
        new OperationLog(Optional.empty(), 30, Clock.systemUTC()).record(event);
        assertTrue(dir.toFile().list().length == 0);
    }
}
