package io.pgbackup.executor.domain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.executor.config.ExecutorConfig;

/**
 * The emergency restore in place: only where the executor's own configuration enables it for the
 * stanza, never because an event says so. PostgreSQL is stopped, restored with delta and started.
 */
@ApplicationScoped
public class ProductionRestore {

    /** A production copy runs as long as it takes unless a limit is configured (a century is none). */
    private static final Duration NO_LIMIT = Duration.ofDays(36_500);

    private static final Logger LOG = Logger.getLogger(ProductionRestore.class);

    private final PgBackRest pgbackrest;
    private final RestoreTargets targets;
    private final PgCtl pgCtl;
    private final PostgresFiles files;
    private final ExecutorConfig config;

    public ProductionRestore(PgBackRest pgbackrest, RestoreTargets targets, PgCtl pgCtl, PostgresFiles files,
            ExecutorConfig config) {
        this.pgbackrest = pgbackrest;
        this.targets = targets;
        this.pgCtl = pgCtl;
        this.files = files;
        this.config = config;
    }

    public RestoreCompleted run(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws RestoreRefused, IOException, InterruptedException {
        RestoreRequested r = valid.request();
        String dataDir = config.restore().productionDataDir().get(stanza.name());
        if (!config.restore().productionEnabled() || dataDir == null) {
            throw new RestoreRefused(FailureCode.PRODUCTION_RESTORE_DISABLED, "production restores are disabled on"
                    + " executor " + config.id() + " (executor.restore.production-enabled and"
                    + " executor.restore.production-data-dir.\"" + stanza + "\" are set on the executor itself)");
        }
        String label = targets.check(stanza, valid).label();
        Path data = Path.of(dataDir);
        Path root = Path.of(config.restore().scratchRoot());
        files.mkdirs(root, null);
        LOG.warnf("PRODUCTION restore %s of stanza %s into %s: %s", r.requestId(), stanza, data,
                StanzaNames.printable(r.reason()));
        pgCtl.stop(data, Duration.ofMinutes(10));
        long t0 = System.nanoTime();
        CommandRun restore = pgbackrest.restore(stanza, RestoreTargets.options(valid, data, true),
                config.restore().productionTimeout().orElse(NO_LIMIT));
        if (!restore.ok()) {
            throw RestoreRefused.pgbackrest(restore);
        }
        double restoreSeconds = TestRestore.seconds(t0);
        long t1 = System.nanoTime();
        Path log = root.resolve(stanza.name() + "-production-start.log");
        if (!pgCtl.start(data, log, config.restore().recoveryTimeout()).ok()) {
            throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "PostgreSQL did not start after the"
                    + " production restore: " + files.tail(log));
        }
        return new RestoreCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreCompleted"),
                r.requestId(), r.stanza(), config.id(), Instant.now(), r.mode(), r.target(), label, data.toString(),
                0, null, null, restoreSeconds, TestRestore.seconds(t1), 0, Map.of());
    }
}
