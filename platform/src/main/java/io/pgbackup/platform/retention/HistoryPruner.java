package io.pgbackup.platform.retention;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.pgbackup.platform.PlatformConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps state bounded: rows of every declared {@link PrunedTable} older than
 * pgbackup.retention.history (default 90 days) are deleted, in small batches each in its own
 * transaction, so pruning never holds long locks or competes with the work for long.
 */
@ApplicationScoped
public class HistoryPruner {

    private static final Logger LOG = Logger.getLogger(HistoryPruner.class);

    private final Instance<PrunedTable> tables;
    private final PlatformConfig.Retention config;
    private final EntityManager em;

    public HistoryPruner(Instance<PrunedTable> tables, PlatformConfig config, EntityManager em) {
        this.tables = tables;
        this.config = config.retention();
        this.em = em;
    }

    /** The platform's own: processed event ids are only needed while a redelivery is possible. */
    @Produces
    PrunedTable processedEvents() {
        return PrunedTable.all("processed_event", "processed_at");
    }

    @Scheduled(every = "${pgbackup.retention.prune-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            prune(Instant.now().minus(config.history()));
        } catch (RuntimeException e) {
            LOG.warnf("pruning old history failed (%s); it runs again later", e.getMessage());
        }
    }

    /** Deletes every declared table's rows dated before {@code cutoff}; returns the counts. */
    public Map<String, Long> prune(Instant cutoff) {
        Map<String, Long> removed = new LinkedHashMap<>();
        for (PrunedTable t : tables) {
            long total = 0;
            int batch;
            do {
                batch = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("DELETE FROM " + t.table()
                        + " WHERE ctid IN (SELECT ctid FROM " + t.table() + " WHERE " + t.timeColumn() + " < ?1 AND ("
                        + t.finished() + ") LIMIT ?2)").setParameter(1, cutoff).setParameter(2, config.batchSize())
                        .executeUpdate());
                total += batch;
            } while (batch >= config.batchSize());
            removed.merge(t.table(), total, Long::sum);
        }
        if (removed.values().stream().anyMatch(n -> n > 0)) {
            LOG.infof("pruned history older than %s: %s", cutoff, removed);
        }
        return removed;
    }
}
