package io.pgbackup.executor.startup;

import java.io.IOException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.pgbackup.executor.backup.BackupJobs;
import io.pgbackup.executor.backup.BackupRunner;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.pgbackrest.PgBackRestExit;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.executor.stanza.StanzaWorkers;
import io.quarkus.runtime.StartupEvent;

/**
 * An executor's start, ahead of the start event's other observers: clean up after a crashed
 * predecessor, create the stanzas if configured, then let the stanzas' workers run, whatever
 * became of those two (workers never opened would hold every request of their stanza). Queued
 * backups resume last, in arrival order.
 */
@ApplicationScoped
class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class);

    private final CrashCleanup cleanup;
    private final StanzaWorkers workers;
    private final BackupJobs backupJobs;
    private final BackupRunner runner;
    private final PgBackRest pgbackrest;
    private final StanzaAllowlist allowlist;
    private final ExecutorConfig config;

    Startup(CrashCleanup cleanup, StanzaWorkers workers, BackupJobs backupJobs, BackupRunner runner,
            PgBackRest pgbackrest, StanzaAllowlist allowlist, ExecutorConfig config) {
        this.cleanup = cleanup;
        this.workers = workers;
        this.backupJobs = backupJobs;
        this.runner = runner;
        this.pgbackrest = pgbackrest;
        this.allowlist = allowlist;
        this.config = config;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) throws InterruptedException {
        try {
            cleanup.run();
            if (config.pgbackrest().createStanzas()) {
                createStanzas();
            }
        } finally {
            workers.open();
        }
        for (BackupJob job : backupJobs.inState(BackupJob.State.QUEUED)) {
            runner.submit(job.stanza, job.requestId);
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
            } catch (IOException e) {
                LOG.errorf("stanza-create for %s could not run: %s", stanza, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
