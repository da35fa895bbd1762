package io.pgbackup.executor.stanza;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One worker thread per stanza: requests for one stanza run one after another, so this executor
 * never starts two pgbackrest backups of a stanza at once, while stanzas do not wait for each
 * other. What waits runs by {@link Priority}, then in arrival order: a backup queued behind hours
 * of drills would leave the stanza without a fresh backup.
 */
@ApplicationScoped
public class StanzaWorkers {

    /** What goes first among the work waiting for a stanza's worker (the running one always finishes). */
    public enum Priority {
        /** An in-place restore: production is down. */
        PRODUCTION_RESTORE,
        /** Backups and restore points: the recovery point. */
        BACKUP,
        /** expire, check, verify, log cleanup. */
        MAINTENANCE,
        /** Test restores: proof, which can wait behind a backup. */
        DRILL
    }

    /** A waiting task, ordered by priority and then by when it arrived. */
    private static final class Queued extends FutureTask<Void> implements Comparable<Queued> {

        private static final AtomicLong ARRIVALS = new AtomicLong();
        private final Priority priority;
        private final long arrival = ARRIVALS.incrementAndGet();

        Queued(Priority priority, Runnable task) {
            super(task, null);
            this.priority = priority;
        }

        @Override
        public int compareTo(Queued other) {
            int byPriority = priority.compareTo(other.priority);
            return byPriority != 0 ? byPriority : Long.compare(arrival, other.arrival);
        }
    }

    private final Map<String, ThreadPoolExecutor> workers = new ConcurrentHashMap<>();
    private final CountDownLatch opened = new CountDownLatch(1);

    /** Work on the stanza (backups, restores, maintenance), queued so that none overlaps another. */
    public Future<?> submitTask(String stanza, Priority priority, Runnable task) {
        Queued queued = new Queued(priority, task);
        worker(stanza).execute(queued);
        return queued;
    }

    private ThreadPoolExecutor worker(String stanza) {
        return workers.computeIfAbsent(stanza, s -> new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS,
                new PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(() -> {
                        try {
                            opened.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        r.run();
                    }, "backup-" + s);
                    t.setDaemon(true);
                    return t;
                }));
    }

    /**
     * Lets the workers run: until the start-up crash cleanup has stopped what a previous process
     * left running, a new backup could meet its predecessor's pgbackrest (and lock) or test copy.
     */
    public void open() {
        opened.countDown();
    }

    @PreDestroy
    void shutdown() {
        workers.values().forEach(ExecutorService::shutdownNow);
        workers.values().forEach(w -> {
            try {
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
