package io.pgbackup.executor.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.Topics;
import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.PostgresCluster;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;

/**
 * The executor's status reports on backup.status, read from the real primary and the real
 * repository: archiving as pg_stat_archiver sees it (broken and mended), and a WAL segment
 * missing from the archive. (Test profile: a report per second; repository checks on demand.)
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
class StatusReportTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ConsumerTask<String, String> reports;

    @Inject
    StatusReporter reporter;

    @BeforeAll
    static void watch() {
        reports = topics.companion().consumeStrings().withGroupId("status-" + UUID.randomUUID())
                .withOffsetReset("earliest").fromTopics(Topics.BACKUP_STATUS);
    }

    @AfterAll
    static void close() {
        reports.close();
    }

    private static StanzaStatusReported awaitReport(String stanza, Instant after,
            Predicate<StanzaStatusReported> condition) {
        return Awaitility.await().atMost(WAIT).until(() -> latest(stanza, after), r -> r.isPresent()
                && condition.test(r.get())).orElseThrow();
    }

    private static Optional<StanzaStatusReported> latest(String stanza, Instant after) {
        return reports.getRecords().stream().map(r -> EventCodec.decodeStatus(r.value())).flatMap(Optional::stream)
                .filter(r -> r.stanza().equals(stanza) && r.occurredAt().isAfter(after))
                .reduce((a, b) -> b);
    }

    private static PostgresCluster primary() {
        return ExecutorStack.stack().cluster();
    }

    private static String switchWal() {
        primary().execute("postgres", "CREATE TABLE IF NOT EXISTS status_noise (x int)",
                "INSERT INTO status_noise SELECT generate_series(1, 1000)");
        return primary().queryColumn("postgres", "SELECT pg_walfile_name(pg_switch_wal())").get(0);
    }

    @Test
    void everyServedStanzaHasAHeartbeatAndArchivingIsReadFromItsPrimary() {
        Instant start = Instant.now();
        StanzaStatusReported main = awaitReport(ExecutorStack.STANZA, start,
                r -> r.archiver() != null && Integer.valueOf(0).equals(r.archiver().walReady()));
        assertEquals("exec-test-1", main.executorId());
        assertEquals(1, main.intervalSeconds());
        assertNull(main.archiver().error(), main.archiver().error());
        assertNotNull(main.archiver().currentWal());
        // No connection is configured for the second stanza: a heartbeat, but no archiving facts.
        StanzaStatusReported prod = awaitReport(ExecutorStack.PROD, start, r -> true);
        assertNull(prod.archiver());
    }

    @Test
    void aBrokenArchiveCommandShowsAsFailuresAndABacklogUntilItIsMended() {
        PostgresCluster primary = primary();
        // The cluster's settings live in postgresql.auto.conf: RESET would leave archive_command empty.
        String working = primary.queryColumn("postgres", "SHOW archive_command").get(0);
        try {
            primary.execute("postgres", "ALTER SYSTEM SET archive_command = '/bin/false'", "SELECT pg_reload_conf()");
            Instant broken = Instant.now();
            switchWal();
            StanzaStatusReported failing = awaitReport(ExecutorStack.STANZA, broken,
                    r -> r.archiver() != null && r.archiver().lastFailedAt() != null
                            && r.archiver().lastFailedAt().isAfter(broken) && r.archiver().walReady() >= 1);
            assertTrue(failing.archiver().failedCount() >= 1);
            assertNotNull(failing.archiver().lastFailedWal());
        } finally {
            primary.execute("postgres", "ALTER SYSTEM SET archive_command = '" + working.replace("'", "''") + "'",
                    "SELECT pg_reload_conf()");
        }
        Instant mended = Instant.now();
        String segment = switchWal();
        StanzaStatusReported ok = awaitReport(ExecutorStack.STANZA, mended,
                r -> r.archiver() != null && r.archiver().walReady() == 0
                        && segment.compareTo(Objects.requireNonNullElse(r.archiver().lastArchivedWal(), "")) <= 0);
        assertTrue(ok.archiver().lastArchivedAt().isAfter(ok.archiver().lastFailedAt()),
                "the newest archive attempt succeeded");
    }

    @Test
    void theRepositoryReportListsTheSetsAndFindsASegmentMissingFromTheArchive() throws Exception {
        // Two fresh full backups: retention-full=2 expires older sets and the WAL before them, so
        // the range checked below is this test's own.
        Os.check(ExecutorStack.stack().pgbackrest("backup", "--type=full"), "full backup");
        switchWal();
        Os.check(ExecutorStack.stack().pgbackrest("backup", "--type=full"), "full backup");
        String last = switchWal();
        Awaitility.await().atMost(WAIT).until(() -> primary().queryColumn("postgres",
                "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").get(0).compareTo(last) >= 0);

        Instant checked = Instant.now();
        reporter.checkRepositories();
        StanzaStatusReported.Repo repo = awaitReport(ExecutorStack.STANZA, checked,
                r -> r.repo() != null && !r.repo().checkedAt().isBefore(checked)).repo();
        assertEquals(0, repo.statusCode(), repo.statusMessage());
        assertEquals(ExecutorStack.stack().backupLabels(), repo.sets().stream().map(s -> s.label()).toList());
        assertEquals(BackupType.FULL, repo.sets().get(0).type());
        assertNotNull(repo.walGap(), "the WAL range was checked");
        assertEquals(0, repo.walGap().missing(), repo.walGap().toString());
        assertEquals(repo.sets().get(0).walStart(), repo.walGap().checkedFrom());

        // Take away a segment inside the checked range, as a failed copy or a careless clean-up would.
        String victim = repo.sets().get(repo.sets().size() - 1).walStart();
        Path archive = ExecutorStack.stack().repo().resolve("archive").resolve(ExecutorStack.STANZA);
        Path file;
        try (Stream<Path> files = Files.walk(archive)) {
            file = files.filter(p -> p.getFileName().toString().matches(victim + "-[0-9a-f]{40}.*")).findFirst()
                    .orElseThrow();
        }
        Path aside = ExecutorStack.stack().root().resolve(file.getFileName());
        Os.check(Os.runAsPostgres("mv", file.toString(), aside.toString()), "hide the segment");
        try {
            Instant again = Instant.now();
            reporter.checkRepositories();
            StanzaStatusReported.WalGap gap = awaitReport(ExecutorStack.STANZA, again,
                    r -> r.repo() != null && !r.repo().checkedAt().isBefore(again)).repo().walGap();
            assertEquals(1, gap.missing(), gap.toString());
            assertEquals(victim, gap.firstMissing());
        } finally {
            Os.check(Os.runAsPostgres("mv", aside.toString(), file.toString()), "put the segment back");
        }
        List<String> labels = ExecutorStack.stack().backupLabels();
        assertEquals(2, labels.stream().filter(l -> l.endsWith("F")).count(), labels.toString());
    }
}
