package io.pgbackup.executor.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.executor.stanza.JobAcceptance;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The state database away when a queued backup is about to start: the job waits for it, then
 * runs and is answered once, instead of staying QUEUED unanswered until the next restart.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
class StateDatabaseOutageTest extends KafkaTest {

    @Inject
    BackupJobs jobs;

    @Inject
    BackupRunner runner;

    @Inject
    StanzaAllowlist allowlist;

    @Test
    void aBackupWhoseStartMeetsADatabaseOutageRunsWhenTheDatabaseReturns() {
        UUID id = UUID.randomUUID();
        BackupRequested request = new BackupRequested(BackupEvent.SCHEMA_VERSION, id, ExecutorStack.STANZA, "incr",
                Instant.now(), "outage-test", null, null);
        assertEquals(JobAcceptance.QUEUED,
                jobs.accept(request, allowlist.lookup(ExecutorStack.STANZA).orElseThrow(), BackupType.INCR));

        StateDatabase.cluster().stop();
        CompletableFuture<Void> run;
        try {
            run = CompletableFuture.runAsync(() -> runner.run(id));
            // Nothing goes ahead while the start cannot be recorded (and the outage lasts this long).
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> !run.isDone());
        } finally {
            StateDatabase.cluster().start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(run::isDone);
        topics.awaitTerminal(id, BackupCompleted.class, Duration.ofSeconds(60));
        assertEquals(1, topics.events().stream().filter(e -> e.requestId().equals(id) && e.terminal()).count(),
                "answered once");
    }
}
