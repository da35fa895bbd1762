package io.pgbackup.platform.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgbackup.platform.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends outbox rows to Kafka. Rows are claimed for a lease in one short statement, sent with no
 * transaction or row lock held, and then exactly the acknowledged ones are deleted; the others are
 * released for the next round. A relay that dies mid-batch leaves its claimed rows to whoever
 * runs after the lease: they are sent again with the same event ids (at least once; consumers
 * are idempotent by event id). A row is not claimed while an older row of the same topic and key
 * is claimed by a live lease, so records of one stanza keep their order across relays. A relay
 * runs one round at a time, so rows it still holds when it claims are left from a round whose
 * release failed (the database went away mid-round): it takes them again at once instead of
 * holding back their keys for the rest of the lease.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Claims serialise on this lock (a few milliseconds each) so replicas see each other's claims. */
    private static final long CLAIM_LOCK = 0x6f7574626f78L;

    /**
     * The keys that have a row under a live lease, found in one pass first: a per-row check
     * against the whole table cannot use an index (keys compare with IS NOT DISTINCT FROM) and
     * made each claim scan the outbox once per candidate row (seconds for 10,000 rows).
     */
    private static final String CLAIM = "WITH busy AS MATERIALIZED (SELECT topic, record_key, min(id) AS first_id"
            + " FROM outbox WHERE claimed_until >= now() AND claimed_by <> ? GROUP BY topic, record_key)"
            + " UPDATE outbox SET claimed_until = now() + ? * interval '1 millisecond',"
            + " claimed_by = ? WHERE id IN (SELECT o.id FROM outbox o"
            + " WHERE (o.claimed_until IS NULL OR o.claimed_until < now() OR o.claimed_by = ?)"
            + " AND NOT EXISTS (SELECT 1 FROM busy b WHERE b.topic = o.topic"
            + " AND b.record_key IS NOT DISTINCT FROM o.record_key AND b.first_id < o.id)"
            + " ORDER BY o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED) RETURNING id, topic, record_key, payload";

    private final KafkaPublisher kafka;
    private final AgroalDataSource dataSource;
    private final PlatformConfig.Outbox config;
    private final String relayId = UUID.randomUUID().toString();
    private final Semaphore wakeups = new Semaphore(0);
    /**
     * Sends of earlier rounds still open when their round stopped waiting (a slow or absent
     * broker): the producer still holds them and delivers them when it can. Sending such a row
     * again would put it on the topic twice, so its row stays claimed by this relay until the send
     * ends. Only the relay thread touches it.
     */
    private final java.util.Map<Long, CompletableFuture<Void>> open = new java.util.HashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private volatile boolean running;
    private Thread thread;
    private long statsReadAt;

    public OutboxRelay(KafkaPublisher kafka, AgroalDataSource dataSource, PlatformConfig config,
            MeterRegistry registry) {
        this.kafka = kafka;
        this.dataSource = dataSource;
        this.config = config.outbox();
        Gauge.builder("pgbackup_outbox_pending_rows", pending, AtomicLong::get)
                .description("Rows in the outbox not yet acknowledged by the broker").register(registry);
        Gauge.builder("pgbackup_outbox_oldest_age_seconds", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("Age of the oldest row in the outbox (0 when empty)").register(registry);
    }

    /** One row as claimed. */
    record Row(long id, String topic, String key, String payload) {
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The name this relay's leases carry in {@code outbox.claimed_by}. */
    public String id() {
        return relayId;
    }

    /** Called after a commit that wrote rows: send now rather than at the next poll. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                int claimed = relayOnce();
                if (failures > 0) {
                    LOG.infof("outbox relay works again after %d failed attempt(s)", failures);
                }
                failures = 0;
                refreshStats(false);
                if (claimed >= config.batchSize()) {
                    continue;
                }
                if (wakeups.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("outbox relay cannot send yet (attempt %d: %s); rows stay until the broker"
                            + " acknowledges them", failures, describe(e));
                }
                try {
                    Thread.sleep(Math.min(config.maxBackoff().toMillis(), 100L << Math.min(failures, 10)));
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** One round: claim, send, delete what was acknowledged. Returns how many rows were claimed. */
    int relayOnce() throws SQLException, InterruptedException, RelayException {
        List<Row> rows = claim();
        if (rows.isEmpty() && open.isEmpty()) {
            return 0;
        }
        // Claimed again (they are this relay's) but still in the producer: wait for them, never resend.
        List<Row> toSend = rows.stream().filter(r -> !open.containsKey(r.id())).toList();
        List<CompletableFuture<Void>> acks = new ArrayList<>(toSend.size());
        for (Row row : toSend) {
            CompletableFuture<Void> ack = kafka.send(row.topic(), row.key(), row.payload(), List.of());
            acks.add(ack);
            if (ack.isCompletedExceptionally()) {
                // The broker is away (the send could not even start): the rest would each wait as long.
                for (int i = acks.size(); i < toSend.size(); i++) {
                    acks.add(CompletableFuture.failedFuture(new IllegalStateException("not sent: an earlier"
                            + " record of the batch could not be sent")));
                }
                break;
            }
        }
        for (int i = 0; i < toSend.size(); i++) {
            open.put(toSend.get(i).id(), acks.get(i));
        }
        try {
            CompletableFuture.allOf(open.values().toArray(CompletableFuture[]::new)).get(
                    config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            // Some sends failed or are still open; the acknowledged ones are deleted below.
        }
        List<Long> sent = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        Throwable firstFailure = null;
        for (var it = open.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            CompletableFuture<Void> ack = e.getValue();
            if (!ack.isDone()) {
                if (firstFailure == null) {
                    firstFailure = new TimeoutException("no acknowledgement within " + config.sendTimeout());
                }
                continue;
            }
            it.remove();
            if (!ack.isCompletedExceptionally()) {
                sent.add(e.getKey());
            } else {
                failed.add(e.getKey());
                if (firstFailure == null) {
                    firstFailure = ack.handle((v, t) -> t).join();
                }
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            execute(c, "DELETE FROM outbox WHERE id = ANY(?)", sent);
            // Sends that failed are sent again by the next round, not after the lease.
            execute(c, "UPDATE outbox SET claimed_until = NULL, claimed_by = NULL WHERE id = ANY(?)", failed);
        }
        if (!failed.isEmpty() || !open.isEmpty()) {
            throw new RelayException((failed.size() + open.size()) + " of " + (sent.size() + failed.size()
                    + open.size()) + " record(s) not acknowledged", firstFailure);
        }
        return rows.size();
    }

    private List<Row> claim() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, CLAIM_LOCK);
                    lock.execute();
                }
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement(CLAIM)) {
                    st.setString(1, relayId);
                    st.setLong(2, config.lease().toMillis());
                    st.setString(3, relayId);
                    st.setString(4, relayId);
                    st.setInt(5, config.batchSize());
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                        }
                    }
                }
                c.commit();
                rows.sort(Comparator.comparingLong(Row::id));
                return rows;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void execute(Connection c, String sql, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            st.setArray(1, array);
            st.executeUpdate();
        }
    }

    /** The gauges: read at most every few seconds, and at once when asked. */
    void refreshStats(boolean now) {
        long t = System.nanoTime();
        if (!now && t - statsReadAt < Duration.ofSeconds(5).toNanos()) {
            return;
        }
        statsReadAt = t;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT count(*),"
                        + " coalesce(extract(epoch FROM now() - min(created_at)) * 1000, 0)::bigint FROM outbox");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            pending.set(rs.getLong(1));
            oldestAgeMillis.set(rs.getLong(2));
        } catch (SQLException e) {
            LOG.debugf("outbox gauges not refreshed: %s", e.getMessage());
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root != e
                ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"
                : "");
    }

    /** Some records of a batch were not acknowledged; they are sent again. */
    static final class RelayException extends Exception {

        RelayException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
