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

import org.jboss.logging.Logger;

import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.pgbackrest.PgBackRestExit;

/**
 * One worker thread per stanza: requests for one stanza run one after another, so this executor
 * never starts two pgbackrest backups of a stanza at once, while stanzas do not wait for each
 * other. What waits runs by {@link Priority}, then in arrival order: a backup queued behind hours
 * of drills would leave the stanza without a fresh backup.
 */
@ApplicationScoped
public class StanzaWorkers {

    private static final Logger LOG = Logger.getLogger(StanzaWorkers.class);

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
    private final CountDownLatch recovered = new CountDownLatch(1);
    private final ExecutorConfig config;
    private final StanzaAllowlist allowlist;
    private final PgBackRest pgbackrest;

    public StanzaWorkers(ExecutorConfig config, StanzaAllowlist allowlist, PgBackRest pgbackrest) {
        this.allowlist = allowlist;
        this.pgbackrest = pgbackrest;
        this.config = config;
    }

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
                            recovered.await();
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
     * Lets the workers run: until the startup {@link Recovery} has stopped what a previous process
     * left running, a new backup could meet its predecessor's pgbackrest (and lock) or test copy.
     */
    public void open() {
        recovered.countDown();
    }

    public void createStanzasIfConfigured() {
        if (config.pgbackrest().createStanzas()) {
            createStanzas();
        }
    }

    private void createStanzas() {
        for (AllowedStanza stanza : allowlist.all()) {
            try {
                CommandRun run = pgbackrest.stanzaCreate(stanza);
                if (run.ok()) {
                    LOG.infof("stanza %s is created in the repository", stanza);
                } else {
                    LOG.errorf("stanza-create for %s failed: %s", stanza,
                            PgBackRestExit.reason(run.exitCode(), run.stderr()));
                }
            } catch (java.io.IOException e) {
                LOG.errorf("stanza-create for %s could not run: %s", stanza, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
