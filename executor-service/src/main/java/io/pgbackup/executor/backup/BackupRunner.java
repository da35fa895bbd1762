package io.pgbackup.executor.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.MaintenanceTask;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.maintenance.Maintenance;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.pgbackrest.BackupInfo;
import io.pgbackup.executor.pgbackrest.InfoParser;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.pgbackrest.PgBackRestExit;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.executor.stanza.StanzaWorkers;
import io.pgbackup.platform.consumer.ConsumerPolicy;

/**
 * Runs one queued job to its terminal event, on the stanza's own worker thread ({@link #submit}):
 * never two backups of a stanza at once.
 */
@ApplicationScoped
public class BackupRunner {

    private static final Logger LOG = Logger.getLogger(BackupRunner.class);

    private final BackupJobs jobs;
    private final PgBackRest pgbackrest;
    private final StanzaAllowlist allowlist;
    private final ExecutorConfig config;
    private final ConsumerPolicy consumers;

    private final Maintenance maintenance;
    private final StanzaWorkers workers;

    public BackupRunner(BackupJobs jobs, PgBackRest pgbackrest, StanzaAllowlist allowlist, ExecutorConfig config,
            ConsumerPolicy consumers, Maintenance maintenance, StanzaWorkers workers) {
        this.maintenance = maintenance;
        this.workers = workers;
        this.consumers = consumers;
        this.jobs = jobs;
        this.pgbackrest = pgbackrest;
        this.allowlist = allowlist;
        this.config = config;
    }

    /**
     * Queues a stored job on its stanza's worker: a new one, or one a previous process left
     * QUEUED (resumed in arrival order).
     */
    public void submit(String stanza, UUID requestId) {
        workers.submitTask(stanza, StanzaWorkers.Priority.BACKUP, () -> {
            try {
                run(requestId);
            } catch (RuntimeException e) {
                // The job stays QUEUED or RUNNING in the database and is picked up again at restart.
                LOG.errorf(e, "backup %s of stanza %s could not be recorded", requestId, stanza);
            }
        });
    }

    public void run(UUID requestId) {
        // Retried while the state database is away: a job whose start is not recorded would stay QUEUED
        // unanswered, and the outcome of a backup that ran would be lost.
        if (!consumers.untilDone("recording the start of backup " + requestId, () -> jobs.start(requestId))) {
            return;
        }
        BackupJob job = jobs.find(requestId).orElseThrow();
        BackupEvent outcome;
        try {
            outcome = execute(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = failed(job, FailureCode.EXECUTOR_RESTARTED.code(), null,
                    "the executor was stopping while the backup ran; the backup may be incomplete", true);
        } catch (Exception e) {
            LOG.errorf(e, "backup %s of stanza %s could not run", requestId, job.stanza);
            outcome = failed(job, FailureCode.EXECUTION_ERROR.code(), null,
                    "pgbackrest could not be run on executor " + config.id() + ": " + e.getMessage(), false);
        }
        BackupEvent terminal = outcome;
        consumers.untilDone("recording the outcome of backup " + requestId, () -> {
            jobs.finish(requestId, terminal);
            return true;
        });
        if (outcome instanceof BackupFailed f) {
            LOG.warnf("backup %s of stanza %s failed [%s]: %s", requestId, job.stanza, f.errorCode(), f.reason());
        } else {
            LOG.infof("backup %s of stanza %s completed", requestId, job.stanza);
        }
        // Each full backup is followed by one to the offsite repository, queued behind waiting backups.
        if (outcome instanceof BackupCompleted c && c.backupType() == BackupType.FULL
                && config.repos().offsite().isPresent()) {
            allowlist.lookup(job.stanza).ifPresent(s -> maintenance.schedule(s, List.of(MaintenanceTask.OFFSITE)));
        }
    }

    private BackupEvent execute(BackupJob job) throws Exception {
        // The allowlist is checked again here: a row could only have come from accept(), but the
        // name that reaches pgbackrest must be the configured one, not the stored text.
        Optional<AllowedStanza> stanza = allowlist.lookup(job.stanza);
        BackupType type = job.backupType;
        if (stanza.isEmpty()) {
            return failed(job, FailureCode.INVALID_STANZA.code(), null,
                    "stanza " + job.stanza + " is no longer served by executor " + config.id(), false);
        }
        PgBackRest.BackupRun run = pgbackrest.backup(stanza.get(), type);
        if (run.run().timedOut()) {
            return failed(job, FailureCode.TIMEOUT.code(), null, "timeout: the backup ran longer than "
                    + config.backupTimeout() + " (executor.backup-timeout) and was stopped; pgbackrest resumes it"
                    + " on the next backup of this type", true);
        }
        if (!run.run().ok()) {
            int exit = run.run().exitCode();
            return failed(job, String.valueOf(exit), exit, PgBackRestExit.reason(exit, run.run().stderr()),
                    PgBackRestExit.retryable(exit));
        }
        InfoParser.StanzaInfo info = pgbackrest.info(stanza.get(), run.label());
        Optional<BackupInfo> backup = run.label().isPresent() ? info.backup() : info.newest();
        if (backup.isEmpty() || (run.label().isPresent() && !run.label().get().equals(backup.get().label()))) {
            return failed(job, FailureCode.BACKUP_NOT_IN_INFO.code(), null,
                    "pgbackrest backup exited 0 but pgbackrest info does not show the backup (stanza status "
                            + info.statusCode() + ": " + info.statusMessage() + ")",
                    true);
        }
        return completed(job, backup.get());
    }

    /** The BackupCompleted of a job, from what pgbackrest info says of its set. */
    public BackupCompleted completed(BackupJob job, BackupInfo b) {
        BackupType actual = BackupType.fromLabel(b.label()).orElse(job.backupType);
        double seconds = b.start() != null && b.stop() != null
                ? Duration.between(b.start(), b.stop()).toMillis() / 1000.0
                : 0;
        return new BackupCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(job.requestId, "BackupCompleted"),
                job.requestId, job.stanza, config.id(), Instant.now(), job.backupType, actual,
                actual == BackupType.FULL && job.backupType != BackupType.FULL, b.label(), b.prior(), b.start(),
                b.stop(), seconds, b.databaseSize(), b.repoSize(), b.repoDelta(), b.walStart(), b.walStop(),
                b.lsnStart(), b.lsnStop());
    }

    public BackupFailed failed(BackupJob job, String code, Integer exit, String reason, boolean retryable) {
        return BackupFailed.byExecutor(job.requestId, job.stanza, config.id(), job.backupType.wire(), code, exit,
                reason, retryable);
    }
}
