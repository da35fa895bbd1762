package io.pgbackup.executor.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.RestoreChallenge;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestorePointCreated;
import io.pgbackup.events.RestoreProgress;
import io.pgbackup.events.RestoreStarted;
import io.pgbackup.events.Topics;
import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.executor.stanza.StanzaWorkers;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.KafkaTopics;
import io.pgbackup.testsupport.PostgresCluster;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Test restores and PITR against the real primary and repository of the test stanza. The
 * restored copies are counted by the executor (test profile: count-tables public.pitr,
 * public.gone, public.marks).
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreTest extends KafkaTest {

    private static final Duration RESTORE = Duration.ofSeconds(120);
    private static PostgresCluster primary() {
        return ExecutorStack.stack().cluster();
    }

    private static void sql(String... statements) {
        primary().execute("postgres", statements);
    }

    private static String one(String query) {
        return primary().queryColumn("postgres", query).get(0);
    }

    private static BackupCompleted backup(String type) {
        UUID id = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.STANZA, KafkaTopics.request(id, ExecutorStack.STANZA, type));
        return topics.awaitTerminal(id, BackupCompleted.class, Duration.ofSeconds(90));
    }

    private static String now() {
        return one("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')");
    }

    /** Ends the current WAL segment and waits until archive_command has put it in the repository. */
    private static void switchAndArchive() {
        String segment = one("SELECT pg_walfile_name(pg_switch_wal())");
        Awaitility.await("WAL " + segment + " archived").atMost(Duration.ofSeconds(60)).until(() -> {
            String archived = one("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
            return archived.compareTo(segment) >= 0;
        });
    }

    private static UUID restore(String kind, String value, String extra) {
        UUID id = UUID.randomUUID();
        String target = "{\"kind\":\"" + kind + "\"" + (value == null ? "" : ",\"value\":\"" + value + "\"") + "}";
        topics.publish(Topics.RESTORE_REQUESTS, ExecutorStack.STANZA, "{\"type\":\"RestoreRequested\",\"requestId\":\""
                + id + "\",\"stanza\":\"main\",\"mode\":\"test\",\"target\":" + target + extra + "}");
        return id;
    }

    private static RestoreCompleted restored(String kind, String value) {
        return topics.awaitTerminal(restore(kind, value, ""), RestoreCompleted.class, RESTORE);
    }

    private static long scratchEntries() throws Exception {
        Path root = ExecutorStack.stack().root().resolve("restore");
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.count();
        }
    }

    @Test
    @Order(1)
    void aTimeTargetBringsBackExactlyTheRowsCommittedBeforeIt() throws Exception {
        sql("CREATE TABLE pitr (id int)", "INSERT INTO pitr SELECT generate_series(1, 100)");
        BackupCompleted full = backup("full");
        // pgbackrest records stop times to the second: a target in the same second as the stop
        // would select the backup before this one.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Instant.parse(one("SELECT to_char("
                + "clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))
                .isAfter(full.stoppedAt().plusSeconds(1)));
        String t = now();
        sql("INSERT INTO pitr SELECT generate_series(101, 200)");
        switchAndArchive();

        RestoreCompleted done = restored("time", t);
        assertEquals(100L, done.rowCounts().get("public.pitr"), "exactly batch A");
        assertTrue(done.restoreSeconds() > 0 && done.replaySeconds() > 0 && done.verifySeconds() >= 0);
        assertEquals(done.restoreSeconds() + done.replaySeconds() + done.verifySeconds(), done.rtoSeconds(), 1e-9);
        assertTrue(done.timeline() >= 2, "promoted onto a new timeline");
        assertTrue(done.reachedLsn().matches("[0-9A-F]+/[0-9A-F]+"), done.reachedLsn());
        assertNull(done.keptAt());
        assertEquals(0, scratchEntries(), "the scratch copy is removed");
        assertEquals("200", one("SELECT count(*) FROM pitr"), "the primary is untouched");
    }

    @Test
    @Order(2)
    void aDroppedTableComesBackFromJustBeforeTheDrop() {
        sql("CREATE TABLE gone (id int)", "INSERT INTO gone SELECT generate_series(1, 10)");
        switchAndArchive();
        String beforeDrop = now();
        sql("DROP TABLE gone");
        switchAndArchive();
        RestoreCompleted done = restored("time", beforeDrop);
        assertEquals(10L, done.rowCounts().get("public.gone"));
    }

    @Test
    @Order(3)
    void aSetANamedPointAnLsnAnXidAndLatestEachStopWhereTheySay() throws Exception {
        sql("CREATE TABLE marks (n int)");
        String label = backup("full").label();
        sql("INSERT INTO marks VALUES (1)");
        // The restore point through the event contract (mode point), made by the executor on the primary.
        UUID point = UUID.randomUUID();
        topics.publish(Topics.RESTORE_REQUESTS, ExecutorStack.STANZA, "{\"type\":\"RestoreRequested\",\"requestId\":\""
                + point + "\",\"stanza\":\"main\",\"mode\":\"point\",\"target\":{\"kind\":\"name\",\"value\":"
                + "\"after_one\"},\"reason\":\"before the second insert\"}");
        RestorePointCreated created = topics.awaitTerminal(point, RestorePointCreated.class, RESTORE);
        assertEquals("after_one", created.name());
        assertTrue(created.lsn().matches("[0-9A-F]+/[0-9A-F]+"), created.lsn());
        assertTrue(created.walFile().matches("[0-9A-F]{24}"), created.walFile());
        sql("INSERT INTO marks VALUES (2)");
        // Without a connection to its primary (stanza prod has none configured) the request is answered, not lost.
        UUID noPrimary = UUID.randomUUID();
        topics.publish(Topics.RESTORE_REQUESTS, ExecutorStack.PROD, "{\"type\":\"RestoreRequested\",\"requestId\":\""
                + noPrimary + "\",\"stanza\":\"prod\",\"mode\":\"point\",\"target\":{\"kind\":\"name\",\"value\":"
                + "\"p1\"}}");
        RestoreFailed refused = topics.awaitTerminal(noPrimary, RestoreFailed.class, RESTORE);
        assertEquals("PRIMARY_UNREACHABLE", refused.errorCode());
        assertTrue(refused.reason().contains("executor.primary.\"prod\".jdbc-url"), refused.reason());
        String lsn = one("SELECT pg_current_wal_lsn()");
        String xid;
        try (Connection c = DriverManager.getConnection(primary().jdbcUrl("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO marks VALUES (3)");
            try (ResultSet rs = s.executeQuery("SELECT txid_current()")) {
                rs.next();
                xid = rs.getString(1);
            }
            c.commit();
        }
        sql("INSERT INTO marks VALUES (4)");
        switchAndArchive();

        assertEquals(0L, restored("set", label).rowCounts().get("public.marks"), "the set stops at its backup");
        assertEquals(1L, restored("name", "after_one").rowCounts().get("public.marks"));
        assertEquals(2L, restored("lsn", lsn).rowCounts().get("public.marks"));
        assertEquals(3L, restored("xid", xid).rowCounts().get("public.marks"));

        RestoreCompleted kept = topics.awaitTerminal(restore("latest", null, ",\"keep\":true,\"path\":\"inspect-me\""),
                RestoreCompleted.class, RESTORE);
        assertEquals(4L, kept.rowCounts().get("public.marks"));
        Path keptAt = Path.of(kept.keptAt());
        assertEquals(ExecutorStack.stack().root().resolve("restore").resolve("inspect-me").resolve("data"), keptAt);
        assertTrue(Files.exists(keptAt.resolve("PG_VERSION")), "left in place for inspection");
        assertFalse(Files.exists(keptAt.resolve("postmaster.pid")), "and stopped");

        // restore-backup.sh with no arguments: kept without a path, in the latest-test-copy directory,
        // replacing the copy the previous one left there; a directory it did not make is never replaced.
        Path latest = ExecutorStack.latestTestCopy();
        RestoreCompleted first = topics.awaitTerminal(restore("latest", null, ",\"keep\":true"),
                RestoreCompleted.class, RESTORE);
        assertEquals(latest.resolve("data"), Path.of(first.keptAt()));
        Files.writeString(latest.resolve("left-by-the-first"), "x");
        RestoreCompleted second = topics.awaitTerminal(restore("set", label, ",\"keep\":true"),
                RestoreCompleted.class, RESTORE);
        assertEquals(0L, second.rowCounts().get("public.marks"), "the second copy is the one there now");
        assertFalse(Files.exists(latest.resolve("left-by-the-first")), "the previous copy was replaced");
        assertTrue(Files.exists(latest.resolve("data").resolve("PG_VERSION")));
        assertFalse(Files.exists(latest.resolve("data").resolve("postmaster.pid")), "and stopped");
        Files.delete(latest.resolve(".pgbackup-test-copy"));
        RestoreFailed foreign = topics.awaitTerminal(restore("latest", null, ",\"keep\":true"), RestoreFailed.class,
                RESTORE);
        assertEquals("INVALID_PATH", foreign.errorCode());
        assertTrue(foreign.reason().contains("not a test copy"), foreign.reason());
        assertTrue(Files.exists(latest.resolve("data").resolve("PG_VERSION")), "a directory it did not make is kept");
    }

    @Test
    @Order(4)
    void targetsTheRepositoryCannotServeAreRefusedAndTouchNothing() throws Exception {
        long entries = scratchEntries();
        int calls = ExecutorStack.invocations().size();
        RestoreFailed unknown = topics.awaitTerminal(restore("set", "20200101-000000F", ""), RestoreFailed.class,
                RESTORE);
        assertEquals("INVALID_TARGET", unknown.errorCode());
        assertTrue(unknown.reason().contains("20200101-000000F"), unknown.reason());
        RestoreFailed tooOld = topics.awaitTerminal(restore("time", "2020-01-01T00:00:00+00:00", ""),
                RestoreFailed.class, RESTORE);
        assertEquals("TARGET_BEFORE_OLDEST_BACKUP", tooOld.errorCode());
        UUID production = UUID.randomUUID();
        topics.publish(Topics.RESTORE_REQUESTS, "main", "{\"type\":\"RestoreRequested\",\"requestId\":\"" + production
                + "\",\"stanza\":\"main\",\"mode\":\"production\",\"target\":{\"kind\":\"latest\"},"
                + "\"confirm\":\"main\",\"reason\":\"test\"}");
        RestoreFailed disabled = topics.awaitTerminal(production, RestoreFailed.class, RESTORE);
        assertEquals("PRODUCTION_RESTORE_DISABLED", disabled.errorCode());
        assertEquals(entries, scratchEntries());
        assertTrue(primary().isRunning());
        assertTrue(ExecutorStack.invocations().subList(calls, ExecutorStack.invocations().size()).stream()
                .noneMatch(c -> c.endsWith(" restore")), "pgbackrest restore never ran");
    }

    @Inject
    StanzaWorkers workers;

    @Test
    @Order(4)
    void drillsAskedForWhileOneWaitsAreAnsweredByItAndNeverPage() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The stanza's worker busy, as behind a long backup: the drills below wait for it.
        workers.submitTask(ExecutorStack.STANZA, StanzaWorkers.Priority.PRODUCTION_RESTORE, () -> {
            holding.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(holding.await(60, TimeUnit.SECONDS));
        UUID waiting;
        try {
            waiting = restore("latest", null, "");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> topics.eventsFor(waiting).stream()
                    .anyMatch(e -> e instanceof RestoreStarted));
            UUID later = restore("latest", null, "");
            RestoreFailed coalesced = topics.awaitTerminal(later, RestoreFailed.class, Duration.ofSeconds(30));
            assertEquals("DRILL_COALESCED", coalesced.errorCode());
            assertTrue(coalesced.reason().contains(waiting.toString()), coalesced.reason());
            assertTrue(coalesced.refusedBeforeRunning(), "a coalesced drill is not a failed drill");
        } finally {
            release.countDown();
        }
        topics.awaitTerminal(waiting, RestoreCompleted.class, RESTORE);
    }

    @Test
    @Order(5)
    void aDrillAgainstARepositoryMissingAWalSegmentTheBackupNeedsFails() throws Exception {
        BackupCompleted full = backup("full");
        Path archive = ExecutorStack.stack().repo().resolve("archive").resolve(ExecutorStack.STANZA);
        List<Path> segment;
        try (Stream<Path> files = Files.walk(archive)) {
            // The segment itself (<name>-<sha1>.<compression>), not its .backup history file.
            segment = files.filter(p -> p.getFileName().toString().matches(full.walStart() + "-[0-9a-f]{40}.*"))
                    .toList();
        }
        assertEquals(1, segment.size(), "the backup's first WAL segment is in the archive");
        Files.delete(segment.get(0));

        RestoreFailed failed = topics.awaitTerminal(restore("latest", null, ""), RestoreFailed.class, RESTORE);
        assertEquals("RESTORED_CLUSTER_FAILED", failed.errorCode(), failed.reason());
        assertEquals(0, scratchEntries() - 1, "only the copy kept in order 3 remains");
    }

    @Test
    @Order(6)
    void aConfirmedProductionRestoreOnAnExecutorThatAllowsItBringsTheDataBackInPlace() throws Exception {
        PostgresCluster prod = ExecutorStack.prod();
        prod.execute("postgres", "CREATE TABLE precious (id int)",
                "INSERT INTO precious SELECT generate_series(1, 50)");
        UUID backup = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.PROD, KafkaTopics.request(backup, ExecutorStack.PROD, "full"));
        BackupCompleted full = topics.awaitTerminal(backup, BackupCompleted.class, Duration.ofSeconds(90));
        // As in order 1: a target in the second the backup stopped in would find no backup before it
        // (when this class runs alone, this backup is the stanza's only one).
        String clock = "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Instant.parse(prod.queryColumn("postgres", clock)
                .get(0)).isAfter(full.stoppedAt().plusSeconds(1)));
        String beforeDisaster = prod.queryColumn("postgres", "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')").get(0);
        prod.execute("postgres", "DELETE FROM precious");
        String segment = prod.queryColumn("postgres", "SELECT pg_walfile_name(pg_switch_wal())").get(0);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> prod.queryColumn("postgres",
                "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").get(0).compareTo(segment) >= 0);

        // One message is not enough: it is answered with what would be overwritten, and nothing changes.
        RestoreFailed asked = topics.awaitTerminal(production(beforeDisaster, null), RestoreFailed.class, RESTORE);
        assertEquals("CONFIRMATION_PENDING", asked.errorCode(), asked.reason());
        RestoreChallenge challenge = asked.challenge();
        assertEquals(prod.dataDir().toString(), challenge.dataDirectory());
        assertTrue(challenge.postgresRunning());
        assertEquals(1L, challenge.timeline());
        assertTrue(challenge.checkpointLsn().matches("[0-9A-F]+/[0-9A-F]+"), challenge.checkpointLsn());
        assertTrue(challenge.dataBytes() > 1_000_000, "size " + challenge.dataBytes());
        assertEquals(RestoreChallenge.Preserve.MOVE_ASIDE, challenge.preserve());
        assertTrue(prod.isRunning());
        assertEquals("0", prod.queryColumn("postgres", "SELECT count(*) FROM precious").get(0), "untouched");

        // A made-up nonce, or the real one for another target, is refused.
        RestoreFailed madeUp = topics.awaitTerminal(production(beforeDisaster, "A".repeat(32)), RestoreFailed.class,
                RESTORE);
        assertEquals("CONFIRMATION_INVALID", madeUp.errorCode(), madeUp.reason());
        UUID otherTarget = UUID.randomUUID();
        topics.publish(Topics.RESTORE_REQUESTS, ExecutorStack.PROD, "{\"type\":\"RestoreRequested\",\"requestId\":\""
                + otherTarget + "\",\"stanza\":\"prod\",\"mode\":\"production\",\"target\":{\"kind\":\"latest\"},"
                + "\"confirm\":\"prod\",\"reason\":\"test\",\"confirmNonce\":\"" + challenge.nonce() + "\"}");
        RestoreFailed wrongTarget = topics.awaitTerminal(otherTarget, RestoreFailed.class, RESTORE);
        assertEquals("CONFIRMATION_INVALID", wrongTarget.errorCode(), wrongTarget.reason());
        assertTrue(wrongTarget.reason().contains("issued for"), wrongTarget.reason());

        // With the nonce: the current state is kept aside, then the data comes back in place.
        Path parent = prod.dataDir().getParent();
        UUID id = production(beforeDisaster, challenge.nonce());
        RestoreCompleted done = topics.awaitTerminal(id, RestoreCompleted.class, RESTORE);
        assertEquals(RestoreMode.PRODUCTION, done.mode());
        assertEquals(prod.dataDir().toString(), done.keptAt());
        assertTrue(prod.isRunning(), "started again");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "f".equals(prod.queryColumn("postgres",
                "SELECT pg_is_in_recovery()").get(0)));
        assertEquals("50", prod.queryColumn("postgres", "SELECT count(*) FROM precious").get(0), "the data is back");
        List<String> steps = topics.eventsFor(id).stream().filter(e -> e instanceof RestoreProgress)
                .map(e -> ((RestoreProgress) e).step().name()).toList();
        assertEquals(List.of("CONFIRMED", "STOPPED", "WAL_ARCHIVED", "MOVED_ASIDE", "RESTORED", "STARTED"), steps);
        try (Stream<Path> siblings = Files.list(parent)) {
            Path kept = siblings.filter(p -> p.getFileName().toString().startsWith(prod.dataDir().getFileName()
                    + ".before-restore-")).findFirst().orElseThrow(() -> new AssertionError("no kept data directory"));
            assertTrue(Files.exists(kept.resolve("PG_VERSION")), "the pre-restore state is kept in " + kept);
            assertFalse(Files.exists(kept.resolve("postmaster.pid")), "kept after a verified stop");
        }

        // The nonce works once; a fresh one stops working when it expires.
        RestoreFailed replayed = topics.awaitTerminal(production(beforeDisaster, challenge.nonce()),
                RestoreFailed.class, RESTORE);
        assertEquals("CONFIRMATION_INVALID", replayed.errorCode());
        assertTrue(replayed.reason().contains("already used"), replayed.reason());
        RestoreChallenge second = topics.awaitTerminal(production(beforeDisaster, null), RestoreFailed.class, RESTORE)
                .challenge();
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().isAfter(second.expiresAt()));
        RestoreFailed expired = topics.awaitTerminal(production(beforeDisaster, second.nonce()), RestoreFailed.class,
                RESTORE);
        assertEquals("CONFIRMATION_INVALID", expired.errorCode());
        assertTrue(expired.reason().contains("expired"), expired.reason());
        assertEquals("50", prod.queryColumn("postgres", "SELECT count(*) FROM precious").get(0));
    }

    private UUID production(String time, String nonce) {
        UUID id = UUID.randomUUID();
        topics.publish(Topics.RESTORE_REQUESTS, ExecutorStack.PROD, "{\"type\":\"RestoreRequested\",\"requestId\":\""
                + id + "\",\"stanza\":\"prod\",\"mode\":\"production\",\"target\":{\"kind\":\"time\",\"value\":\""
                + time + "\"},\"confirm\":\"prod\",\"reason\":\"rows deleted by mistake\""
                + (nonce == null ? "" : ",\"confirmNonce\":\"" + nonce + "\"") + "}");
        return id;
    }
}
