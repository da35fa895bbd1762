package io.pgbackup.executor.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pgbackup.events.BackupAccepted;
import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupSkipped;
import io.pgbackup.events.BackupStarted;
import io.pgbackup.events.BackupType;
import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.KafkaTopics;
import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The executor against a real Kafka broker, a real archiving PostgreSQL and the real pgbackrest:
 * requests published by hand to backup.requests end in events on backup.events.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupPipelineTest extends KafkaTest {

    private static final Duration BACKUP = Duration.ofSeconds(90);
    private static UUID request(String type) {
        UUID id = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.STANZA, KafkaTopics.request(id, ExecutorStack.STANZA, type));
        return id;
    }

    @Test
    @Order(1)
    void incrWithoutAFullIsTakenAsFullAndSaysSo() {
        UUID id = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.FRESH, KafkaTopics.request(id, ExecutorStack.FRESH, "incr"));
        BackupCompleted done = topics.awaitTerminal(id, BackupCompleted.class, BACKUP);
        assertEquals(BackupType.INCR, done.requestedType());
        assertEquals(BackupType.FULL, done.backupType());
        assertTrue(done.promotedToFull());
        assertTrue(done.label().endsWith("F"), done.label());
        assertEquals(List.of(done.label()), ExecutorStack.stack().backupLabels(ExecutorStack.FRESH));
    }

    @Test
    @Order(2)
    void fullDiffAndIncrEachCompleteWithTheirLabelTypeAndFacts() {
        UUID full = request("full");
        UUID diff = request("diff");
        UUID incr = request("incr");
        BackupCompleted f = topics.awaitTerminal(full, BackupCompleted.class, BACKUP);
        BackupCompleted d = topics.awaitTerminal(diff, BackupCompleted.class, BACKUP);
        BackupCompleted i = topics.awaitTerminal(incr, BackupCompleted.class, BACKUP);

        assertTrue(f.label().matches("\\d{8}-\\d{6}F"), f.label());
        assertTrue(d.label().matches("\\d{8}-\\d{6}F_\\d{8}-\\d{6}D"), d.label());
        assertTrue(i.label().matches("\\d{8}-\\d{6}F_\\d{8}-\\d{6}I"), i.label());
        assertEquals(f.label(), d.prior(), "a diff depends on the full");
        assertEquals(d.label(), i.prior(), "an incr depends on the previous backup");
        for (BackupCompleted c : List.of(f, d, i)) {
            assertFalse(c.promotedToFull());
            assertEquals(c.requestedType(), c.backupType());
            assertEquals("exec-test-1", c.executorId());
            assertEquals(ExecutorStack.STANZA, c.stanza());
            assertNotNull(c.startedAt());
            assertFalse(c.stoppedAt().isBefore(c.startedAt()));
            assertTrue(c.databaseSizeBytes() > 1_000_000, "a fresh cluster is some MB");
            assertTrue(c.repoSizeBytes() > 0);
            assertNotNull(c.repoDeltaBytes());
            assertTrue(c.walStart().matches("[0-9A-F]{24}"), c.walStart());
            assertTrue(c.walStop().compareTo(c.walStart()) >= 0);
        }
        assertTrue(i.databaseSizeBytes() >= i.repoDeltaBytes(), "an incr stores only what changed");
        // Accepted, then Started, then the one terminal event, in that order.
        List<String> types = topics.eventsFor(diff).stream().map(BackupEvent::type).toList();
        assertEquals(List.of("BackupAccepted", "BackupStarted", "BackupCompleted"), types);
        assertTrue(ExecutorStack.stack().backupLabels().containsAll(List.of(f.label(), d.label(), i.label())));
    }

    @Test
    @Order(3)
    void aBackupWhilePostgresIsDownFailsWithPgBackRestsCodeAndReason() {
        ExecutorStack.stack().cluster().stop();
        try {
            UUID id = request("full");
            BackupFailed failed = topics.awaitTerminal(id, BackupFailed.class, BACKUP);
            assertEquals("56", failed.errorCode());
            assertEquals(56, failed.pgbackrestExitCode());
            assertTrue(failed.retryable(), "starting PostgreSQL again is enough");
            assertTrue(failed.reason().startsWith("PostgreSQL is not running or not reachable"), failed.reason());
            assertTrue(failed.reason().contains("unable to find primary cluster"), failed.reason());
            assertEquals("exec-test-1", failed.executorId());
        } finally {
            ExecutorStack.stack().cluster().start();
        }
        topics.awaitTerminal(request("incr"), BackupCompleted.class, BACKUP);
    }

    @Test
    @Order(4)
    void hostileRequestsNeverReachPgBackRestAndTheNextValidOneSucceeds() {
        int labelsBefore = ExecutorStack.stack().backupLabels().size();
        int invocationsBefore = ExecutorStack.invocations().size();
        List<String[]> hostile = List.of(
                new String[]{"--repo1-path=/tmp", "full"}, new String[]{"-x", "full"},
                new String[]{"main;id", "full"}, new String[]{"$(id)", "full"},
                new String[]{"../..", "full"}, new String[]{"", "full"},
                new String[]{"a".repeat(10_240), "full"},
                new String[]{"main", "FULL"}, new String[]{"main", "snapshot"},
                new String[]{"main", "full --cmd-ssh=/tmp/x"});
        List<UUID> hostileIds = new java.util.ArrayList<>();
        for (String[] h : hostile) {
            UUID id = UUID.randomUUID();
            hostileIds.add(id);
            topics.publishRequest("main", KafkaTopics.request(id, h[0], h[1]));
        }
        topics.publishRequest("main", "this is not json");
        topics.publishRequest("main", "{\"type\":\"BackupRequested\",\"stanza\":\"main\"}");

        // Records of one key are consumed in order: once this one is done, all above were read.
        UUID valid = request("incr");
        topics.awaitTerminal(valid, BackupCompleted.class, BACKUP);

        for (UUID id : hostileIds) {
            assertEquals(List.of(), topics.eventsFor(id), "the executor stays silent; the coordinator answers");
        }
        assertEquals(labelsBefore + 1, ExecutorStack.stack().backupLabels().size());
        List<String> calls = ExecutorStack.invocations().subList(invocationsBefore, ExecutorStack.invocations().size());
        assertFalse(calls.isEmpty());
        for (String call : calls) {
            assertTrue(call.contains("--stanza=main "), call);
            for (String bad : List.of("repo1-path=/tmp", "-x", ";", "$(", "..", "FULL", "snapshot", "cmd-ssh")) {
                assertFalse(call.replace("--config=", "").replace(ExecutorStack.stack().root().toString(), "")
                        .contains(bad), "'" + bad + "' reached pgbackrest: " + call);
            }
        }
    }

    @Test
    @Order(5)
    void theSameRequestIdDeliveredTwiceRunsOneBackup() {
        int labelsBefore = ExecutorStack.stack().backupLabels().size();
        UUID id = UUID.randomUUID();
        String record = KafkaTopics.request(id, ExecutorStack.STANZA, "incr");
        topics.publishRequest(ExecutorStack.STANZA, record);
        topics.publishRequest(ExecutorStack.STANZA, record);
        UUID after = request("incr");
        topics.awaitTerminal(after, BackupCompleted.class, BACKUP);

        List<BackupEvent> events = topics.eventsFor(id);
        assertEquals(1, events.stream().filter(BackupEvent::terminal).count(), events.toString());
        assertEquals(1, events.stream().filter(e -> e instanceof BackupAccepted).count());
        assertEquals(1, events.stream().filter(e -> e instanceof BackupStarted).count());
        assertEquals(labelsBefore + 2, ExecutorStack.stack().backupLabels().size());
    }

    @Test
    @Order(5)
    void aKnownRequestIdWithOtherContentIsRefusedNotTakenForARedelivery() {
        // As a forger would: the id of a planned full, published first as an incr.
        UUID id = UUID.randomUUID();
        topics.publishRequest(ExecutorStack.STANZA, KafkaTopics.request(id, ExecutorStack.STANZA, "incr"));
        BackupCompleted first = topics.awaitTerminal(id, BackupCompleted.class, BACKUP);
        int labels = ExecutorStack.stack().backupLabels().size();
        String full = KafkaTopics.request(id, ExecutorStack.STANZA, "full");
        topics.publishRequest(ExecutorStack.STANZA, full);
        topics.publishRequest(ExecutorStack.STANZA, full);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> topics.eventsFor(id).stream()
                .anyMatch(e -> e instanceof BackupFailed f && "REQUEST_ID_CONFLICT".equals(f.errorCode())));
        UUID after = request("incr");
        topics.awaitTerminal(after, BackupCompleted.class, BACKUP);

        List<BackupEvent> events = topics.eventsFor(id);
        List<BackupFailed> refusals = events.stream().filter(e -> e instanceof BackupFailed).map(e -> (BackupFailed) e)
                .toList();
        assertEquals(1, refusals.stream().map(BackupFailed::eventId).distinct().count(),
                "one refusal, the same event on redelivery: " + events);
        assertTrue(refusals.get(0).reason().contains("already used for a incr backup"), refusals.get(0).reason());
        assertFalse(refusals.get(0).eventId().equals(first.eventId()), "not the first request's answer");
        assertEquals(1, events.stream().filter(e -> e instanceof BackupCompleted).count(), events.toString());
        assertEquals(labels + 1, ExecutorStack.stack().backupLabels().size(), "only the later incr ran");
    }

    @Test
    @Order(6)
    void aBackupLongerThanTheConnectorLimitCompletesOnceAndRequestsArrivingMeanwhileAreCoalesced() {
        // pgbackrest waits 12 s before backing up: longer than the connector's limit for an
        // un-acknowledged record (8 s in the test profile; a real backup outlasts the 60 s default
        // the same way), so the request must have been acknowledged before its backup ran.
        Os.writeFile(ExecutorStack.slowFlag(), "12");
        UUID slow = request("full");
        Awaitility.await().atMost(BACKUP).until(() -> topics.eventsFor(slow).stream()
                .anyMatch(e -> e instanceof BackupStarted));
        UUID first = request("incr");
        UUID second = request("incr");
        UUID third = request("incr");

        BackupCompleted full = topics.awaitTerminal(slow, BackupCompleted.class, Duration.ofMinutes(4));
        BackupCompleted incr = topics.awaitTerminal(first, BackupCompleted.class, BACKUP);
        for (UUID id : List.of(second, third)) {
            BackupSkipped skipped = topics.awaitTerminal(id, BackupSkipped.class, BACKUP);
            assertEquals("coalesced", skipped.reason());
            assertEquals(first, skipped.coalescedInto());
        }
        BackupAccepted queued = (BackupAccepted) topics.eventsFor(first).get(0);
        assertEquals(1, queued.queuedBehind(), "the incr waited behind the running full");
        assertFalse(incr.startedAt().isBefore(full.stoppedAt()), "never two backups of a stanza at once");
        assertEquals(full.label(), incr.prior());
        // (Counting all labels would not do: the full's auto-expire removed the oldest chain.)
        assertEquals(List.of(incr.label()), ExecutorStack.stack().backupLabels().stream()
                .filter(l -> l.startsWith(full.label() + "_")).toList(), "one further backup ran");
        assertTrue(topics.events().stream().noneMatch(e -> e instanceof BackupFailed f && "50".equals(f.errorCode())),
                "no lock errors from our own backups");
        assertEquals(1, topics.eventsFor(slow).stream().filter(BackupEvent::terminal).count());

        // The channel still consumes: a request published now, well past the limit, is served.
        topics.awaitTerminal(request("incr"), BackupCompleted.class, BACKUP);
    }

    @Test
    @Order(7)
    void aBackupPastTheTimeLimitIsStoppedWithNothingLeftRunning() {
        // The test profile's executor.backup-timeout is 25 s; this pgbackrest would wait 600 s.
        Os.writeFile(ExecutorStack.slowFlag(), "600");
        UUID stuck = request("full");
        BackupFailed failed = topics.awaitTerminal(stuck, BackupFailed.class, Duration.ofMinutes(3));
        assertEquals("TIMEOUT", failed.errorCode());
        assertTrue(failed.reason().startsWith("timeout"), failed.reason());
        assertTrue(failed.retryable());
        String root = ExecutorStack.stack().root().toString();
        Awaitility.await("no pgbackrest backup or wrapper left").atMost(Duration.ofSeconds(30)).until(
                () -> ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                        .noneMatch(c -> (c.contains(root) && c.contains("--type=")) || c.contains("sleep 600")));
        // The stanza's lock is free again: the next backup runs.
        topics.awaitTerminal(request("incr"), BackupCompleted.class, BACKUP);
    }
}
