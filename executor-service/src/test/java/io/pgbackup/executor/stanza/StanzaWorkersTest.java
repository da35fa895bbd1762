package io.pgbackup.executor.stanza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The order of work waiting for a stanza's worker (scheduling logic, real threads). */
class StanzaWorkersTest {

    @Test
    void aWaitingBackupGoesBeforeWaitingMaintenanceAndDrills() throws Exception {
        StanzaWorkers workers = new StanzaWorkers();
        workers.open();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        // A long drill holds the worker while the rest arrives, drills first.
        workers.submitTask("s", StanzaWorkers.Priority.DRILL, () -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        workers.submitTask("s", StanzaWorkers.Priority.DRILL, () -> order.add("drill 1"));
        workers.submitTask("s", StanzaWorkers.Priority.DRILL, () -> order.add("drill 2"));
        workers.submitTask("s", StanzaWorkers.Priority.MAINTENANCE, () -> order.add("verify"));
        workers.submitTask("s", StanzaWorkers.Priority.BACKUP, () -> order.add("backup 1"));
        workers.submitTask("s", StanzaWorkers.Priority.BACKUP, () -> order.add("backup 2"));
        Future<?> last = workers.submitTask("s", StanzaWorkers.Priority.PRODUCTION_RESTORE,
                () -> order.add("production restore"));
        // Another stanza does not wait for this one.
        workers.submitTask("t", StanzaWorkers.Priority.DRILL, () -> order.add("other stanza")).get(10,
                TimeUnit.SECONDS);

        release.countDown();
        Future<?> drill2 = workers.submitTask("s", StanzaWorkers.Priority.DRILL, () -> order.add("drill 3"));
        drill2.get(10, TimeUnit.SECONDS);
        last.get(1, TimeUnit.SECONDS);
        assertEquals(List.of("other stanza", "production restore", "backup 1", "backup 2", "verify", "drill 1",
                "drill 2", "drill 3"), order);
        workers.shutdown();
    }
}
