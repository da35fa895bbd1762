package io.pgbackup.executor.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreChallenge;
import io.pgbackup.events.RestoreChallenge.Preserve;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreProgress;
import io.pgbackup.events.RestoreProgress.Step;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandFailed;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.os.PgCtl;
import io.pgbackup.executor.os.PostgresFiles;
import io.pgbackup.executor.os.PostgresUser;
import io.pgbackup.executor.persistence.RestoreChallenges;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.pgbackrest.PgBackRestExit;
import io.pgbackup.executor.stanza.AllowedStanza;

/**
 * The emergency restore in place: only where the executor's own configuration enables it for the
 * stanza, never because an event says so, and never on one message. A request without a nonce is
 * answered with a challenge (what would be overwritten); only a second request carrying that
 * one-time nonce restores. Before anything is overwritten the current state is kept (the data
 * directory moved aside, or an emergency backup when there is no room for that), PostgreSQL's stop
 * is checked, and waiting WAL is archived. Each step is published as it happens.
 */
@ApplicationScoped
public class ProductionRestore {

    /** A production copy runs as long as it takes unless a limit is configured (a century is none). */
    private static final Duration NO_LIMIT = Duration.ofDays(36_500);
    private static final Duration SHORT = Duration.ofMinutes(10);
    private static final Pattern WAL_FILE = Pattern
            .compile("[0-9A-F]{24}(\\.partial)?|[0-9A-F]{8}\\.history|[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger LOG = Logger.getLogger(ProductionRestore.class);

    private final PgBackRest pgbackrest;
    private final RestoreTargets targets;
    private final PgCtl pgCtl;
    private final PostgresFiles files;
    private final PostgresUser postgres;
    private final RestoreChallenges challenges;
    private final RestoreJobs jobs;
    private final ExecutorConfig config;

    public ProductionRestore(PgBackRest pgbackrest, RestoreTargets targets, PgCtl pgCtl, PostgresFiles files,
            PostgresUser postgres, RestoreChallenges challenges, RestoreJobs jobs, ExecutorConfig config) {
        this.pgbackrest = pgbackrest;
        this.targets = targets;
        this.pgCtl = pgCtl;
        this.files = files;
        this.postgres = postgres;
        this.challenges = challenges;
        this.jobs = jobs;
        this.config = config;
    }

    public BackupEvent run(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws RestoreRefused, CommandFailed, IOException, InterruptedException {
        RestoreRequested r = valid.request();
        String dataDir = config.restore().productionDataDir().get(stanza.name());
        if (!config.restore().productionEnabled() || dataDir == null) {
            throw new RestoreRefused(FailureCode.PRODUCTION_RESTORE_DISABLED, "production restores are disabled on"
                    + " executor " + config.id() + " (executor.restore.production-enabled and"
                    + " executor.restore.production-data-dir.\"" + stanza + "\" are set on the executor itself)");
        }
        RestoreTargets.Checked checked = targets.check(stanza, valid);
        Path data = Path.of(dataDir);
        // The normalised target (a time in any offset is one instant), so the confirmation matches it exactly.
        String target = valid.kind().wire() + (valid.pgTarget() == null ? "" : " " + valid.pgTarget());
        if (r.confirmNonce() == null) {
            return challenge(stanza, r, data, checked, target);
        }
        Optional<String> refused = challenges.use(r.confirmNonce(), stanza.name(), target, r.requestId(),
                Instant.now());
        if (refused.isPresent()) {
            LOG.warnf("production restore %s of stanza %s refused: %s", r.requestId(), stanza, refused.get());
            throw new RestoreRefused(FailureCode.CONFIRMATION_INVALID, refused.get());
        }
        LOG.warnf("PRODUCTION restore %s of stanza %s into %s confirmed: %s", r.requestId(), stanza, data,
                StanzaNames.printable(r.reason()));
        step(r, Step.CONFIRMED, "restore to " + r.target().describe() + " from " + label(checked) + ", reason: "
                + StanzaNames.printable(r.reason()));
        return restore(stanza, valid, data, checked);
    }

    private RestoreFailed challenge(AllowedStanza stanza, RestoreRequested r, Path data, RestoreTargets.Checked checked,
            String target) throws IOException, InterruptedException {
        boolean running = pgCtl.running(data);
        Map<String, String> control = pgCtl.controlData(data);
        long dataBytes = size(data);
        Preserve preserve = preserve(data, checked, dataBytes, running);
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = Instant.now().plus(config.restore().challengeValidity());
        challenges.issue(nonce, stanza.name(), target, r.requestId(), expires);
        Long timeline = null;
        try {
            timeline = Long.valueOf(control.getOrDefault("Latest checkpoint's TimeLineID", ""));
        } catch (NumberFormatException unreadable) {
            // A missing or damaged control file: the challenge says so by leaving it out.
        }
        RestoreChallenge challenge = new RestoreChallenge(nonce, expires, data.toString(), running, timeline,
                control.get("Latest checkpoint location"), dataBytes, checked.label(),
                checked.sizeBytes() == null ? 0 : checked.sizeBytes(), preserve);
        LOG.warnf("production restore %s of stanza %s asked (%s): answered with a challenge valid until %s",
                r.requestId(), stanza, StanzaNames.printable(r.reason()), expires);
        return RestoreFailed.challenge(r, config.id(), challenge);
    }

    private BackupEvent restore(AllowedStanza stanza, RestoreRequests.Valid valid, Path data,
            RestoreTargets.Checked checked) throws RestoreRefused, CommandFailed, IOException, InterruptedException {
        RestoreRequested r = valid.request();
        boolean running = pgCtl.running(data);
        Preserve preserve = preserve(data, checked, size(data), running);
        if (preserve == Preserve.NONE) {
            throw new RestoreRefused(FailureCode.PRESERVE_FAILED, "nothing was overwritten: there is no room beside "
                    + data + " for the restored copy while the current one is kept, and PostgreSQL is not running"
                    + " for an emergency backup");
        }
        if (preserve == Preserve.EMERGENCY_BACKUP) {
            PgBackRest.BackupRun backup = pgbackrest.backup(stanza, BackupType.INCR);
            if (!backup.run().ok()) {
                throw new RestoreRefused(FailureCode.PRESERVE_FAILED.code(), backup.run().exitCode(),
                        "nothing was overwritten: the emergency backup failed: "
                                + PgBackRestExit.reason(backup.run().exitCode(), backup.run().stderr()));
            }
            step(r, Step.EMERGENCY_BACKUP, "backup set " + backup.label().orElse("(label not printed)"));
        }
        stop(r, data, running);
        archiveWaiting(stanza, r, data);
        boolean movedAside = false;
        if (preserve == Preserve.MOVE_ASIDE) {
            Path aside = data.resolveSibling(data.getFileName() + ".before-restore-" + STAMP.format(Instant.now()));
            postgres.run(List.of("mv", "-T", data.toString(), aside.toString()), SHORT)
                    .require("move " + data + " aside");
            files.mkdirs(data, "700");
            movedAside = true;
            step(r, Step.MOVED_ASIDE, data + " is now " + aside + " (WAL included), kept until removed by hand");
        }
        long t0 = System.nanoTime();
        CommandRun restore = pgbackrest.restore(stanza, RestoreTargets.options(valid, data, !movedAside),
                config.restore().productionTimeout().orElse(NO_LIMIT));
        if (!restore.ok()) {
            throw RestoreRefused.pgbackrest(restore);
        }
        double restoreSeconds = Drill.seconds(t0);
        step(r, Step.RESTORED, "from " + label(checked) + " in " + Math.round(restoreSeconds) + " s");
        long t1 = System.nanoTime();
        Path root = Path.of(config.restore().scratchRoot());
        files.mkdirs(root, null);
        Path log = root.resolve(stanza.name() + "-production-start.log");
        if (!pgCtl.start(data, log, config.restore().recoveryTimeout()).ok()) {
            throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "PostgreSQL did not start after the"
                    + " production restore: " + files.tail(log));
        }
        step(r, Step.STARTED, "PostgreSQL started on the restored " + data);
        return new RestoreCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreCompleted"),
                r.requestId(), r.stanza(), config.id(), Instant.now(), r.mode(), r.target(), checked.label(),
                data.toString(), 0, null, null, restoreSeconds, Drill.seconds(t1), 0, Map.of());
    }

    /** Stops PostgreSQL and checks that it is stopped: a restore over a live cluster corrupts it. */
    private void stop(RestoreRequested r, Path data, boolean running)
            throws RestoreRefused, IOException, InterruptedException {
        CommandRun stop = running ? pgCtl.stop(data, SHORT) : null;
        if (pgCtl.running(data) || files.exists(data.resolve("postmaster.pid"))) {
            throw new RestoreRefused(FailureCode.PRODUCTION_STOP_FAILED, "nothing was overwritten: PostgreSQL in "
                    + data + " is still running (or left postmaster.pid) after pg_ctl stop"
                    + (stop == null ? "" : ": " + stop.stderr().trim()));
        }
        Map<String, String> control = pgCtl.controlData(data);
        step(r, Step.STOPPED, (running ? "stopped" : "was not running") + "; cluster state: "
                + control.getOrDefault("Database cluster state", "unknown") + ", timeline "
                + control.getOrDefault("Latest checkpoint's TimeLineID", "?") + ", checkpoint at "
                + control.getOrDefault("Latest checkpoint location", "?"));
    }

    /** Pushes the WAL files the stopped cluster still marks ready, so the repository has all of it. */
    private void archiveWaiting(AllowedStanza stanza, RestoreRequested r, Path data)
            throws RestoreRefused, IOException, InterruptedException {
        Path status = data.resolve("pg_wal").resolve("archive_status");
        CommandRun list = postgres.run(List.of("find", status.toString(), "-maxdepth", "1", "-name", "*.ready",
                "-printf", "%f\\n"), SHORT);
        int pushed = 0;
        for (String ready : list.stdout().lines().sorted().toList()) {
            String wal = ready.substring(0, ready.length() - ".ready".length());
            if (!WAL_FILE.matcher(wal).matches()) {
                continue;
            }
            CommandRun push = pgbackrest.archivePush(stanza, data.resolve("pg_wal").resolve(wal));
            if (!push.ok()) {
                throw new RestoreRefused(FailureCode.PRESERVE_FAILED.code(), push.exitCode(), "nothing was"
                        + " overwritten: WAL file " + wal + " could not be archived: "
                        + PgBackRestExit.reason(push.exitCode(), push.stderr()));
            }
            pushed++;
        }
        step(r, Step.WAL_ARCHIVED, pushed == 0
                ? "no WAL was waiting: the archive had all of it"
                : pushed + " waiting WAL file(s) pushed to the repository");
    }

    /** Moving aside needs room for the restored copy beside the kept one; else an emergency backup. */
    private Preserve preserve(Path data, RestoreTargets.Checked checked, long dataBytes, boolean running)
            throws IOException {
        long restored = checked.sizeBytes() == null ? dataBytes : checked.sizeBytes();
        Path existing = data.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long free = existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
        if (Drill.spaceProblem(restored, free, config.restore().spareBytes(), existing).isEmpty()) {
            return Preserve.MOVE_ASIDE;
        }
        return running ? Preserve.EMERGENCY_BACKUP : Preserve.NONE;
    }

    private long size(Path data) throws IOException, InterruptedException {
        CommandRun du = postgres.run(List.of("du", "-sb", data.toString()), SHORT);
        try {
            return Long.parseLong(du.stdout().trim().split("\\s+")[0]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return 0;
        }
    }

    private void step(RestoreRequested r, Step step, String note) {
        jobs.progress(RestoreProgress.of(r, config.id(), step, note));
    }

    private static String label(RestoreTargets.Checked checked) {
        return checked.label() == null ? "the latest backup set" : "backup set " + checked.label();
    }
}
