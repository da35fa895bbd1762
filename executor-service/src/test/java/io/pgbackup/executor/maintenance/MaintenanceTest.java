package io.pgbackup.executor.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.MaintenanceCompleted;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.MaintenanceTask;
import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.KafkaTopics;
import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Maintenance against the real repository of the test stanza (test profile: keep 1 full, 1 diff).
 * Runs after BackupPipelineTest in the same JVM when both run, but makes its own backups.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintenanceTest extends KafkaTest {

    @Inject
    Maintenance maintenance;

    @Inject
    StanzaAllowlist allowlist;

    private static void backup(String type) {
        UUID id = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.STANZA, KafkaTopics.request(id, ExecutorStack.STANZA, type));
        topics.awaitTerminal(id, BackupCompleted.class, Duration.ofSeconds(90));
    }

    private List<BackupEvent> run(MaintenanceTask... tasks) throws Exception {
        return maintenance.runAndWait(allowlist.lookup(ExecutorStack.STANZA).orElseThrow(), List.of(tasks));
    }

    @Test
    @Order(1)
    void expireRemovesExactlyTheSetsBeyondTheRetentionOldestFirst() throws Exception {
        // The stanza's pgbackrest.conf keeps 2 full sets, so its own auto-expire leaves two chains.
        backup("full");
        backup("diff");
        backup("full");
        backup("incr");
        List<String> before = ExecutorStack.stack().backupLabels();
        String newestFull = before.stream().filter(l -> l.endsWith("F")).max(String::compareTo).orElseThrow();
        List<String> older = before.stream().filter(l -> !l.startsWith(newestFull)).sorted().toList();
        assertFalse(older.isEmpty(), "the repository holds more than one full chain: " + before);

        MaintenanceCompleted expired = assertInstanceOf(MaintenanceCompleted.class,
                run(MaintenanceTask.EXPIRE).get(0));
        assertEquals(MaintenanceTask.EXPIRE, expired.task());
        assertEquals(older, expired.expiredBackups());
        assertNotNull(expired.walRemovedStart(), "WAL before the oldest kept backup is removed");
        assertTrue(expired.summary().startsWith("expired " + older.get(0)), expired.summary());
        assertEquals(before.stream().filter(l -> l.startsWith(newestFull)).toList(),
                ExecutorStack.stack().backupLabels());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> topics.events().stream()
                .anyMatch(e -> e.eventId().equals(expired.eventId())));
    }

    @Test
    @Order(2)
    void checkProvesArchivingAndOldLogsGoWhileRecentOnesStay() throws Exception {
        Path logs = ExecutorStack.stack().root().resolve("log");
        Path old = logs.resolve("main-backup.log");
        Path recent = logs.resolve("main-expire.log");
        Path otherStanza = logs.resolve("other-backup.log");
        for (Path p : List.of(old, recent, otherStanza)) {
            Os.writeFile(p, "log\n");
        }
        FileTime fortyDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
        Files.setLastModifiedTime(old, fortyDaysAgo);
        Files.setLastModifiedTime(otherStanza, fortyDaysAgo);

        List<BackupEvent> events = run(MaintenanceTask.CHECK, MaintenanceTask.LOGS);
        MaintenanceCompleted check = assertInstanceOf(MaintenanceCompleted.class, events.get(0));
        assertEquals(MaintenanceTask.CHECK, check.task());
        MaintenanceCompleted cleaned = assertInstanceOf(MaintenanceCompleted.class, events.get(1));
        assertEquals(1, cleaned.filesRemoved());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent));
        assertTrue(Files.exists(otherStanza), "another stanza's logs are its executor's business");
    }

    @Test
    @Order(3)
    void verifyReportsDamageThatPgBackRestItselfExitsZeroOn() throws Exception {
        assertInstanceOf(MaintenanceCompleted.class, run(MaintenanceTask.VERIFY).get(0));

        // Only this stanza's files: the repository also holds the other test stanzas, which this verify does not
        // read.
        Path stanzaBackups = ExecutorStack.stack().repo().resolve("backup").resolve(ExecutorStack.STANZA);
        Path damaged;
        try (Stream<Path> files = Files.walk(stanzaBackups)) {
            damaged = files.filter(p -> p.toString().endsWith(".zst")).filter(p -> p.toFile().length() > 4096)
                    .findFirst().orElseThrow();
        }
        byte[] original = Files.readAllBytes(damaged);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(100);
            f.write(new byte[]{'X', 'X', 'X', 'X'});
        }
        MaintenanceFailed failed;
        try {
            failed = assertInstanceOf(MaintenanceFailed.class, run(MaintenanceTask.VERIFY).get(0));
        } finally {
            // Repaired: the other test classes restore from this repository.
            Files.write(damaged, original);
        }
        assertEquals(MaintenanceTask.VERIFY, failed.task());
        assertEquals("VERIFY_ERRORS", failed.errorCode());
        String relative = stanzaBackups.relativize(damaged).toString();
        assertEquals(List.of("invalid checksum: " + relative), failed.invalidFiles());
        assertTrue(failed.reason().contains(relative), failed.reason());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> topics.events().stream()
                .anyMatch(e -> e.eventId().equals(failed.eventId())));
    }
}
