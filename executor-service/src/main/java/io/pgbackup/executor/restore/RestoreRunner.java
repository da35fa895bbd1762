package io.pgbackup.executor.restore;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandFailed;
import io.pgbackup.executor.stanza.AllowedStanza;

/** Runs a restore request by its mode, on the stanza's worker, to exactly one terminal event. */
@ApplicationScoped
public class RestoreRunner {

    private static final Logger LOG = Logger.getLogger(RestoreRunner.class);

    private final Drill drill;
    private final ProductionRestore production;
    private final RestorePointMaker points;
    private final ExecutorConfig config;

    public RestoreRunner(Drill drill, ProductionRestore production, RestorePointMaker points,
            ExecutorConfig config) {
        this.drill = drill;
        this.production = production;
        this.points = points;
        this.config = config;
    }

    public BackupEvent run(AllowedStanza stanza, RestoreRequests.Valid valid) {
        var r = valid.request();
        try {
            return switch (valid.mode()) {
                case TEST -> drill.run(stanza, valid);
                case PRODUCTION -> production.run(stanza, valid);
                case POINT -> points.run(stanza, valid);
            };
        } catch (RestoreRefused e) {
            return RestoreFailed.byExecutor(r, config.id(), e.code(), e.exitCode(), e.getMessage());
        } catch (CommandFailed e) {
            return RestoreFailed.byExecutor(r, config.id(), FailureCode.EXECUTION_ERROR.code(), null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RestoreFailed.byExecutor(r, config.id(), FailureCode.EXECUTOR_RESTARTED.code(), null,
                    "the executor stopped during the restore");
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "restore %s of stanza %s could not run", r.requestId(), stanza);
            return RestoreFailed.byExecutor(r, config.id(), FailureCode.EXECUTION_ERROR.code(), null,
                    "the restore could not run: " + e.getMessage());
        }
    }
}
