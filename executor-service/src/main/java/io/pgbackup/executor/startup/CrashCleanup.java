package io.pgbackup.executor.startup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.executor.backup.BackupJobs;
import io.pgbackup.executor.backup.BackupRunner;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.ChildProcesses;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.os.PgCtl;
import io.pgbackup.executor.os.PostgresFiles;
import io.pgbackup.executor.os.PostgresUser;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.persistence.RestoreJob;
import io.pgbackup.executor.pgbackrest.BackupInfo;
import io.pgbackup.executor.pgbackrest.InfoParser;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.restore.Drill;
import io.pgbackup.executor.restore.RestoreJobs;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.StanzaAllowlist;

/**
 * What a previous executor may have left, cleaned up at start before any worker runs: it may have
 * been killed in the middle of a backup or a drill. In order: stop the process groups it left
 * (pgbackrest, runuser, pg_ctl), stop test copies still running in the scratch root, remove the
 * scratch copies of interrupted drills, and answer each interrupted request once: a backup whose
 * set is in the repository (pgbackrest finished before the crash) as completed, anything else as
 * EXECUTOR_RESTARTED. Not PostgreSQL's recovery: nothing here replays WAL.
 */
@ApplicationScoped
class CrashCleanup {

    private static final Logger LOG = Logger.getLogger(CrashCleanup.class);
    /** A label's timestamp has whole seconds; the job's start is recorded just before pgbackrest runs. */
    private static final Duration LABEL_SLACK = Duration.ofSeconds(2);

    private final ChildProcesses children;
    private final PgCtl pgCtl;
    private final PostgresUser postgres;
    private final PostgresFiles files;
    private final Drill drill;
    private final RestoreJobs restoreJobs;
    private final BackupJobs backupJobs;
    private final BackupRunner runner;
    private final PgBackRest pgbackrest;
    private final StanzaAllowlist allowlist;
    private final ExecutorConfig config;

    CrashCleanup(ChildProcesses children, PgCtl pgCtl, PostgresUser postgres, PostgresFiles files, Drill drill,
            RestoreJobs restoreJobs, BackupJobs backupJobs, BackupRunner runner, PgBackRest pgbackrest,
            StanzaAllowlist allowlist, ExecutorConfig config) {
        this.children = children;
        this.pgCtl = pgCtl;
        this.postgres = postgres;
        this.files = files;
        this.drill = drill;
        this.restoreJobs = restoreJobs;
        this.backupJobs = backupJobs;
        this.runner = runner;
        this.pgbackrest = pgbackrest;
        this.allowlist = allowlist;
        this.config = config;
    }

    void run() throws InterruptedException {
        List<String> stopped = children.stopLeftovers();
        if (!stopped.isEmpty()) {
            LOG.warnf("stopped what a previous executor left running: %s", stopped);
        }
        stopTestCopies();
        answerRestores();
        answerBackups();
    }

    /** A test copy is stopped after its check, so one still running belongs to an interrupted drill. */
    private void stopTestCopies() throws InterruptedException {
        Path root = drill.scratchRoot();
        try {
            PostgresUser.Read<List<Path>> running = postgres.run(List.of("find", root.toString(), "-mindepth", "3",
                    "-maxdepth", "3", "-name", "postmaster.pid", "-path", "*/data/postmaster.pid"),
                    Duration.ofMinutes(2), out -> out.lines().map(Path::of).toList());
            if (!running.run().ok()) {
                if (files.exists(root)) {
                    LOG.errorf("test copies in %s not checked: find exited %d: %s", root, running.run().exitCode(),
                            running.run().stderr().trim());
                }
                return;
            }
            for (Path pid : running.value()) {
                Path data = pid.getParent();
                if (pgCtl.running(data)) {
                    LOG.warnf("stopping test copy %s left running by a previous executor", data);
                    CommandRun stop = pgCtl.abandon(data);
                    if (!stop.ok()) {
                        LOG.errorf("test copy %s did not stop: %s", data, stop.stderr().trim());
                    }
                } else {
                    LOG.infof("test copy %s has a postmaster.pid but pg_ctl says no server runs there", data);
                }
            }
        } catch (IOException e) {
            LOG.errorf("test copies in %s not checked: %s", root, e.getMessage());
        }
    }

    private void answerRestores() throws InterruptedException {
        for (RestoreJob job : restoreJobs.unfinished()) {
            if (!(RestoreRequests.read(job.request, Instant.now()) instanceof RestoreRequests.Valid valid)) {
                continue;
            }
            if (valid.mode() == RestoreMode.TEST && !valid.request().keep()) {
                Path dir = drill.scratchRoot().resolve(Drill.directoryName(valid.request())).normalize();
                if (dir.getParent().equals(drill.scratchRoot())) {
                    try {
                        files.removeTree(dir);
                    } catch (IOException e) {
                        LOG.errorf("scratch copy %s of interrupted restore %s not removed: %s", dir, job.requestId,
                                e.getMessage());
                    }
                }
            }
            LOG.warnf("restore %s of stanza %s was cut short by a restart", job.requestId, job.stanza);
            restoreJobs.finish(job.requestId, RestoreFailed.byExecutor(valid.request(), config.id(),
                    FailureCode.EXECUTOR_RESTARTED.code(), null, "executor " + config.id()
                            + " restarted before the restore finished; request it again"));
        }
    }

    private void answerBackups() throws InterruptedException {
        for (BackupJob job : backupJobs.inState(BackupJob.State.RUNNING)) {
            Optional<BackupInfo> finished = setMadeBy(job);
            BackupEvent answer;
            if (finished.isPresent()) {
                LOG.warnf("backup %s of stanza %s finished as %s while the executor was down", job.requestId,
                        job.stanza, finished.get().label());
                answer = runner.completed(job, finished.get());
            } else {
                LOG.warnf("backup %s of stanza %s was running when the executor stopped", job.requestId, job.stanza);
                answer = runner.failed(job, FailureCode.EXECUTOR_RESTARTED.code(), null, "executor " + config.id()
                        + " restarted while this backup ran; request a new backup", true);
            }
            backupJobs.finish(job.requestId, answer);
        }
    }

    /**
     * The set pgbackrest made for a job that was running: the first of its type (or a full, which
     * pgbackrest makes instead of a first diff or incr) started after the job. Its pgbackrest was
     * stopped above, so an unfinished backup is not in the repository.
     */
    private Optional<BackupInfo> setMadeBy(BackupJob job) throws InterruptedException {
        Optional<AllowedStanza> stanza = allowlist.lookup(job.stanza);
        if (stanza.isEmpty() || job.startedAt == null) {
            return Optional.empty();
        }
        Instant from = job.startedAt.truncatedTo(ChronoUnit.SECONDS).minus(LABEL_SLACK);
        try {
            InfoParser.RepoFacts repo = pgbackrest.repoFacts(stanza.get());
            return repo.sets().stream()
                    .filter(b -> b.start() != null && !b.start().isBefore(from) && !b.error())
                    .filter(b -> BackupType.fromLabel(b.label())
                            .map(t -> t == job.backupType || t == BackupType.FULL).orElse(false))
                    .min(Comparator.comparing(BackupInfo::start));
        } catch (IOException e) {
            LOG.errorf("the repository of stanza %s could not be read: %s", job.stanza, e.getMessage());
            return Optional.empty();
        }
    }
}
