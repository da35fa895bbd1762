package io.pgbackup.executor.maintenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.MaintenanceCompleted;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.MaintenanceTask;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.os.PostgresUser;
import io.pgbackup.executor.pgbackrest.MaintenanceOutput;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.pgbackrest.PgBackRestExit;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.Peers;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.executor.stanza.StanzaWorkers;
import io.pgbackup.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Hourly expire, check and old-log removal, weekly verify, for every served stanza. Each task
 * ends in MaintenanceCompleted or MaintenanceFailed on backup.events.
 */
@ApplicationScoped
public class Maintenance {

    private static final Logger LOG = Logger.getLogger(Maintenance.class);

    private final PgBackRest pgbackrest;
    private final ExecutorConfig config;
    private final Outbox outbox;
    private final StanzaAllowlist allowlist;
    private final StanzaWorkers workers;

    private final Peers peers;

    public Maintenance(PgBackRest pgbackrest, ExecutorConfig config, Outbox outbox, StanzaAllowlist allowlist,
            StanzaWorkers workers, Peers peers) {
        this.peers = peers;
        this.pgbackrest = pgbackrest;
        this.config = config;
        this.outbox = outbox;
        this.allowlist = allowlist;
        this.workers = workers;
    }

    @Scheduled(cron = "${executor.maintenance.schedule}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void hourly() {
        ours().forEach(
                s -> schedule(s, List.of(MaintenanceTask.EXPIRE, MaintenanceTask.CHECK, MaintenanceTask.LOGS)));
    }

    @Scheduled(cron = "${executor.maintenance.verify-schedule}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void weekly() {
        ours().forEach(s -> schedule(s, List.of(MaintenanceTask.VERIFY)));
    }

    /** The served stanzas whose maintenance is not left to another executor serving them too. */
    private List<AllowedStanza> ours() {
        java.time.Instant now = java.time.Instant.now();
        return java.util.stream.StreamSupport.stream(allowlist.all().spliterator(), false)
                .filter(s -> peers.yieldTo(s.name(), now).isEmpty()).toList();
    }

    /** Queues the tasks on the stanza's worker, behind its waiting backups. */
    public Future<List<BackupEvent>> schedule(AllowedStanza stanza, List<MaintenanceTask> tasks) {
        java.util.concurrent.CompletableFuture<List<BackupEvent>> result = new java.util.concurrent.CompletableFuture<>();
        workers.submitTask(stanza.name(), StanzaWorkers.Priority.MAINTENANCE, () -> {
            try {
                result.complete(run(stanza, tasks));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Runs the tasks now on the caller's thread and publishes one event per task. */
    List<BackupEvent> run(AllowedStanza stanza, List<MaintenanceTask> tasks) {
        UUID runId = UUID.randomUUID();
        List<BackupEvent> events = new ArrayList<>();
        for (MaintenanceTask task : tasks) {
            BackupEvent event;
            try {
                event = switch (task) {
                    case EXPIRE -> expire(stanza, runId);
                    case CHECK -> check(stanza, runId);
                    case LOGS -> logs(stanza, runId);
                    case VERIFY -> verify(stanza, runId);
                    case OFFSITE -> offsite(stanza, runId);
                };
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return events;
            } catch (IOException | RuntimeException e) {
                event = failed(stanza, runId, task, FailureCode.EXECUTION_ERROR.code(), null,
                        task.wire() + " could not run: " + e.getMessage(), true, List.of());
            }
            publish(event);
            events.add(event);
            if (event instanceof MaintenanceFailed f) {
                LOG.warnf("maintenance %s of stanza %s failed [%s]: %s", task.wire(), stanza, f.errorCode(),
                        f.reason());
            } else {
                LOG.infof("maintenance %s of stanza %s: %s", task.wire(), stanza,
                        ((MaintenanceCompleted) event).summary());
            }
        }
        return events;
    }

    /** Each task's event in a transaction of its own: the outbox takes nothing outside one. */
    private void publish(BackupEvent event) {
        QuarkusTransaction.joiningExisting().run(() -> outbox.publish(event));
    }

    /** For tests and operators: run now, wait for the result. */
    public List<BackupEvent> runAndWait(AllowedStanza stanza, List<MaintenanceTask> tasks)
            throws InterruptedException, ExecutionException {
        return schedule(stanza, tasks).get();
    }

    private BackupEvent expire(AllowedStanza stanza, UUID runId) throws IOException, InterruptedException {
        ExecutorConfig.Maintenance m = config.maintenance();
        PostgresUser.Read<MaintenanceOutput.Expired> read = pgbackrest.expire(stanza, m.retentionFull(),
                m.retentionDiff());
        if (!read.run().ok()) {
            return failedRun(stanza, runId, MaintenanceTask.EXPIRE, read.run());
        }
        MaintenanceOutput.Expired expired = read.value();
        String summary = expired.backups().isEmpty()
                ? "nothing to expire (retention: " + m.retentionFull() + " full, " + m.retentionDiff() + " diff)"
                : "expired " + String.join(", ", expired.backups())
                        + (expired.walStart() == null
                                ? ""
                                : "; removed WAL " + expired.walStart() + " to " + expired.walStop());
        return completed(stanza, runId, MaintenanceTask.EXPIRE, summary, expired.backups(), expired.walStart(),
                expired.walStop(), null);
    }

    private BackupEvent check(AllowedStanza stanza, UUID runId) throws IOException, InterruptedException {
        CommandRun run = pgbackrest.check(stanza);
        if (!run.ok()) {
            return failedRun(stanza, runId, MaintenanceTask.CHECK, run);
        }
        return completed(stanza, runId, MaintenanceTask.CHECK, "archiving works: a WAL switch reached the repository",
                List.of(), null, null, null);
    }

    private BackupEvent verify(AllowedStanza stanza, UUID runId) throws IOException, InterruptedException {
        PostgresUser.Read<MaintenanceOutput.Verified> read = pgbackrest.verify(stanza);
        if (!read.run().ok()) {
            return failedRun(stanza, runId, MaintenanceTask.VERIFY, read.run());
        }
        MaintenanceOutput.Verified verified = read.value();
        if (!verified.ok()) {
            return failed(stanza, runId, MaintenanceTask.VERIFY, FailureCode.VERIFY_ERRORS.code(), null,
                    "pgbackrest verify found " + verified.badCount() + " damaged file(s) in the repository: "
                            + String.join("; ", verified.badFiles().stream().limit(10).toList()),
                    false, verified.badFiles());
        }
        return completed(stanza, runId, MaintenanceTask.VERIFY, "every backup and WAL file matches its checksum",
                List.of(),
                null, null, null);
    }

    private BackupEvent offsite(AllowedStanza stanza, UUID runId) throws IOException, InterruptedException {
        Optional<Integer> repo = config.repos().offsite();
        if (repo.isEmpty()) {
            return completed(stanza, runId, MaintenanceTask.OFFSITE,
                    "no offsite repository configured (executor.repos.offsite); nothing copied", List.of(), null,
                    null, null);
        }
        PgBackRest.BackupRun run = pgbackrest.fullBackupTo(stanza, repo.get());
        if (!run.run().ok()) {
            return failedRun(stanza, runId, MaintenanceTask.OFFSITE, run.run());
        }
        return completed(stanza, runId, MaintenanceTask.OFFSITE, "full backup "
                + run.label().orElse("(label not printed)") + " in offsite repository repo" + repo.get(), List.of(),
                null, null, null);
    }

    private BackupEvent logs(AllowedStanza stanza, UUID runId) throws IOException {
        ExecutorConfig.Maintenance m = config.maintenance();
        if (m.logPath().isEmpty()) {
            return completed(stanza, runId, MaintenanceTask.LOGS,
                    "no executor.maintenance.log-path set; nothing removed",
                    List.of(), null, null, 0);
        }
        Instant cutoff = Instant.now().minus(m.logRetentionDays(), ChronoUnit.DAYS);
        int removed = 0;
        // pgbackrest names its logs <stanza>-<command>.log (and .log.N when rotated by the OS).
        try (Stream<Path> files = Files.list(Path.of(m.logPath().get()))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith(stanza.name() + "-"))
                    .filter(f -> f.getFileName().toString().contains(".log")).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.delete(file);
                    removed++;
                }
            }
        }
        return completed(stanza, runId, MaintenanceTask.LOGS, "removed " + removed + " log file(s) older than "
                + m.logRetentionDays() + " days", List.of(), null, null, removed);
    }

    private BackupEvent failedRun(AllowedStanza stanza, UUID runId, MaintenanceTask task, CommandRun run) {
        if (run.timedOut()) {
            return failed(stanza, runId, task, FailureCode.TIMEOUT.code(), null, "timeout: " + task.wire()
                    + " ran longer than " + config.maintenance().timeout() + " and was stopped", true, List.of());
        }
        return failed(stanza, runId, task, String.valueOf(run.exitCode()), run.exitCode(),
                task.wire() + ": " + PgBackRestExit.reason(run.exitCode(), run.stderr()),
                PgBackRestExit.retryable(run.exitCode()), List.of());
    }

    private MaintenanceCompleted completed(AllowedStanza stanza, UUID runId, MaintenanceTask task, String summary,
            List<String> expired, String walStart, String walStop, Integer filesRemoved) {
        return new MaintenanceCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(runId, "MaintenanceCompleted/"
                + task.wire()), runId, stanza.name(), config.id(), Instant.now(), task, summary, expired,
                walStart, walStop, filesRemoved);
    }

    private MaintenanceFailed failed(AllowedStanza stanza, UUID runId, MaintenanceTask task, String code, Integer exit,
            String reason, boolean retryable, List<String> files) {
        return new MaintenanceFailed(BackupEvent.SCHEMA_VERSION, EventIds.of(runId, "MaintenanceFailed/" + task.wire()),
                runId, stanza.name(), config.id(), Instant.now(), task, code, exit, reason, retryable, files);
    }
}
