package io.pgbackup.executor.domain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCodes;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.executor.config.ExecutorConfig;

/**
 * Test restores (a scratch copy on this host: restore, start on a free port with archiving off,
 * wait for recovery and promotion, run the stanza's checks, record the point reached, stop,
 * remove unless kept) and the guarded production restore. Runs on the stanza's worker.
 */
@ApplicationScoped
public class RestoreRunner {

    private static final Logger LOG = Logger.getLogger(RestoreRunner.class);
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Duration SHORT = Duration.ofMinutes(2);

    private final PgBackRest pgbackrest;
    private final ExecutorConfig config;

    private final PrimaryProbe probe;

    public RestoreRunner(PgBackRest pgbackrest, ExecutorConfig config, PrimaryProbe probe) {
        this.probe = probe;
        this.pgbackrest = pgbackrest;
        this.config = config;
    }

    /** A failure that ends the restore with its code and reason. */
    static final class Refused extends Exception {

        final String code;
        final Integer exit;

        Refused(String code, Integer exit, String reason) {
            super(reason, null, false, false);
            this.code = code;
            this.exit = exit;
        }
    }

    public BackupEvent run(AllowedStanza stanza, RestoreRequests.Valid valid) {
        RestoreRequested r = valid.request();
        try {
            return switch (r.mode()) {
                case "production" -> production(stanza, valid);
                case "point" -> point(stanza, valid);
                default -> test(stanza, valid);
            };
        } catch (Refused e) {
            return failed(r, e.code, e.exit, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(r, FailureCodes.EXECUTOR_RESTARTED, null, "the executor stopped during the restore");
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "restore %s of stanza %s could not run", r.requestId(), stanza);
            return failed(r, FailureCodes.EXECUTION_ERROR, null, "the restore could not run: " + e.getMessage());
        }
    }

    /** Mode point: no restore, a named restore point on the primary for a later PITR. */
    private BackupEvent point(AllowedStanza stanza, RestoreRequests.Valid valid) throws Refused {
        RestoreRequested r = valid.request();
        PrimaryProbe.RestorePoint point;
        try {
            point = probe.createRestorePoint(stanza.name(), valid.pgTarget());
        } catch (IllegalStateException e) {
            throw new Refused(FailureCodes.PRIMARY_UNREACHABLE, null, e.getMessage());
        }
        LOG.infof("restore point %s of stanza %s created at %s", valid.pgTarget(), stanza, point.lsn());
        return new RestoreCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreCompleted"),
                r.requestId(), r.stanza(), config.id(), Instant.now(), r.mode(), r.target(), null, null,
                point.timeline(), point.lsn(), Instant.now(), 0, 0, 0, java.util.Map.of());
    }

    private BackupEvent test(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws Refused, IOException, InterruptedException {
        RestoreRequested r = valid.request();
        String label = checkAgainstRepository(stanza, valid);
        Path root = Path.of(config.restore().scratchRoot()).toAbsolutePath().normalize();
        String name = r.path() != null ? r.path() : stanza.name() + "-" + r.requestId().toString().substring(0, 8);
        Path dir = root.resolve(name).normalize();
        if (!dir.getParent().equals(root)) {
            throw new Refused(FailureCodes.INVALID_PATH, null, "path " + name + " is outside the scratch root");
        }
        check(pgbackrest.asPostgres(List.of("mkdir", "-p", root.toString()), SHORT), "create the scratch root");
        if (pgbackrest.asPostgres(List.of("test", "-e", dir.toString()), SHORT).exitCode() == 0) {
            throw new Refused(FailureCodes.INVALID_PATH, null, "scratch directory " + name + " already exists;"
                    + " remove it or choose another path");
        }
        Path data = dir.resolve("data");
        check(pgbackrest.asPostgres(List.of("mkdir", "-p", "-m", "700", data.toString()), SHORT),
                "create the scratch directory");
        boolean keep = r.keep();
        try {
            long t0 = System.nanoTime();
            PgBackRest.Run restore = pgbackrest.restore(stanza, restoreOptions(valid, data, false));
            if (!restore.ok()) {
                throw pgbackrestFailed(restore);
            }
            double restoreSeconds = seconds(t0);
            int port = freePort();
            Path sockets = dir.resolve("sock");
            check(pgbackrest.asPostgres(List.of("mkdir", "-p", sockets.toString()), SHORT), "create the socket dir");
            // After pgbackrest's own recovery settings: a private port and socket, no archiving, so
            // the copy can never push WAL into the live stanza's archive.
            appendSettings(data, "port = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
                    + sockets + "'\narchive_mode = off\nhot_standby = on\n");
            long t1 = System.nanoTime();
            PgBackRest.Run start = pgbackrest.asPostgres(List.of(config.restore().pgBin() + "/pg_ctl", "-D",
                    data.toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t",
                    String.valueOf(config.restore().recoveryTimeout().toSeconds()), "start"),
                    config.restore().recoveryTimeout().plusMinutes(1));
            if (!start.ok()) {
                throw new Refused(FailureCodes.RESTORED_CLUSTER_FAILED, null, "the restored PostgreSQL did not start:"
                        + " " + tail(dir.resolve("postgres.log")));
            }
            try {
                awaitPromotion(sockets, port, dir);
                double replaySeconds = seconds(t1);
                long t2 = System.nanoTime();
                Map<String, Long> counts = runChecks(sockets, port);
                double verifySeconds = seconds(t2);
                List<String> point = psql(sockets, port,
                        "SELECT timeline_id || '|' || coalesce(pg_last_wal_replay_lsn(),"
                                + " pg_current_wal_lsn()) || '|' || coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME"
                                + " ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '') FROM pg_control_checkpoint()");
                String[] p = point.get(0).split("\\|", -1);
                return new RestoreCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreCompleted"),
                        r.requestId(), r.stanza(), config.id(), Instant.now(), r.mode(), r.target(), label,
                        keep ? data.toString() : null, Long.parseLong(p[0]), p[1],
                        p[2].isEmpty() ? null : Instant.parse(p[2]), restoreSeconds, replaySeconds, verifySeconds,
                        counts);
            } finally {
                pgbackrest.asPostgres(List.of(config.restore().pgBin() + "/pg_ctl", "-D", data.toString(), "-m", "fast",
                        "-w", "stop"), SHORT);
            }
        } catch (Refused | IOException | InterruptedException | RuntimeException e) {
            keep = false;
            throw e;
        } finally {
            if (!keep) {
                pgbackrest.asPostgres(List.of("rm", "-rf", dir.toString()), SHORT);
            }
        }
    }

    private BackupEvent production(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws Refused, IOException, InterruptedException {
        RestoreRequested r = valid.request();
        String dataDir = config.restore().productionDataDir().get(stanza.name());
        if (!config.restore().productionEnabled() || dataDir == null) {
            throw new Refused(FailureCodes.PRODUCTION_RESTORE_DISABLED, null, "production restores are disabled on"
                    + " executor " + config.id() + " (executor.restore.production-enabled and"
                    + " executor.restore.production-data-dir.\"" + stanza + "\" are set on the executor itself)");
        }
        String label = checkAgainstRepository(stanza, valid);
        Path data = Path.of(dataDir);
        check(pgbackrest.asPostgres(List.of("mkdir", "-p", config.restore().scratchRoot()), SHORT),
                "create the scratch root for the start log");
        LOG.warnf("PRODUCTION restore %s of stanza %s into %s: %s", r.requestId(), stanza, data, r.reason());
        pgbackrest.asPostgres(List.of(config.restore().pgBin() + "/pg_ctl", "-D", data.toString(), "-m", "fast", "-w",
                "stop"), Duration.ofMinutes(10));
        long t0 = System.nanoTime();
        PgBackRest.Run restore = pgbackrest.restore(stanza, restoreOptions(valid, data, true));
        if (!restore.ok()) {
            throw pgbackrestFailed(restore);
        }
        double restoreSeconds = seconds(t0);
        long t1 = System.nanoTime();
        Path log = Path.of(config.restore().scratchRoot(), stanza.name() + "-production-start.log");
        PgBackRest.Run start = pgbackrest.asPostgres(List.of(config.restore().pgBin() + "/pg_ctl", "-D",
                data.toString(), "-l", log.toString(), "-w", "-t",
                String.valueOf(config.restore().recoveryTimeout().toSeconds()), "start"),
                config.restore().recoveryTimeout().plusMinutes(1));
        if (!start.ok()) {
            throw new Refused(FailureCodes.RESTORED_CLUSTER_FAILED, null, "PostgreSQL did not start after the"
                    + " production restore: " + tail(log));
        }
        return new RestoreCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreCompleted"),
                r.requestId(), r.stanza(), config.id(), Instant.now(), r.mode(), r.target(), label, data.toString(),
                0, null, null, restoreSeconds, seconds(t1), 0, Map.of());
    }

    /** Refuses targets the repository cannot serve; returns the label of a set target. */
    private String checkAgainstRepository(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws Refused, IOException, InterruptedException {
        String kind = valid.request().target().kind();
        InfoParser.StanzaInfo info = pgbackrest.info(stanza, "set".equals(kind)
                ? Optional.of(valid.pgTarget())
                : Optional.empty());
        if ("set".equals(kind) && (info.statusCode() == 6 || info.backup().isEmpty())) {
            throw new Refused(FailureCodes.INVALID_TARGET, null, "set " + valid.pgTarget() + " is not a backup of"
                    + " stanza " + stanza + " (pgbackrest info does not know it)");
        }
        if (!info.healthy() || info.backup().isEmpty()) {
            throw new Refused(FailureCodes.INVALID_TARGET, null, "stanza " + stanza + " has no usable backup"
                    + " (pgbackrest info status " + info.statusCode() + ": " + info.statusMessage() + ")");
        }
        if (valid.targetTime() != null && info.backup().get().stop() != null
                && valid.targetTime().isBefore(info.backup().get().stop())) {
            throw new Refused(FailureCodes.TARGET_BEFORE_OLDEST_BACKUP, null, "time " + valid.pgTarget()
                    + " is before the end of the oldest backup (" + info.backup().get().label() + ", "
                    + info.backup().get().stop() + "): no backup can reach it");
        }
        return "set".equals(kind) ? valid.pgTarget() : null;
    }

    private static List<String> restoreOptions(RestoreRequests.Valid valid, Path data, boolean delta) {
        List<String> options = new ArrayList<>(List.of("--pg1-path=" + data));
        if (delta) {
            options.add("--delta");
        } else {
            options.add("--archive-mode=off");
        }
        String kind = valid.request().target().kind();
        switch (kind) {
            case "latest" -> options.add("--type=default");
            case "set" -> options.addAll(List.of("--set=" + valid.pgTarget(), "--type=immediate",
                    "--target-action=promote"));
            default -> options.addAll(List.of("--type=" + kind, "--target=" + valid.pgTarget(),
                    "--target-action=promote"));
        }
        return options;
    }

    private void awaitPromotion(Path sockets, int port, Path dir) throws Refused, IOException, InterruptedException {
        long deadline = System.nanoTime() + config.restore().recoveryTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            List<String> inRecovery = psqlOrEmpty(sockets, port, "SELECT pg_is_in_recovery()");
            if (List.of("f").equals(inRecovery)) {
                return;
            }
            if (pgbackrest.asPostgres(List.of(config.restore().pgBin() + "/pg_ctl", "-D", dir.resolve("data")
                    .toString(), "status"), SHORT).exitCode() != 0) {
                throw new Refused(FailureCodes.RESTORED_CLUSTER_FAILED, null, "the restored PostgreSQL stopped during"
                        + " recovery: " + tail(dir.resolve("postgres.log")));
            }
            Thread.sleep(200); // polling a server we do not control; no event tells us
        }
        throw new Refused(FailureCodes.RESTORED_CLUSTER_FAILED, null, "recovery did not finish within "
                + config.restore().recoveryTimeout());
    }

    private Map<String, Long> runChecks(Path sockets, int port) throws Refused, IOException, InterruptedException {
        for (String sql : config.restore().checks().orElse(List.of())) {
            List<String> out = psqlOrEmpty(sockets, port, sql);
            if (!List.of("t").equals(out)) {
                throw new Refused(FailureCodes.RESTORED_CLUSTER_FAILED, null, "check failed on the restored copy: "
                        + sql + " returned " + out);
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : config.restore().countTables().orElse(List.of())) {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException(
                        "executor.restore.count-tables: '" + table + "' is not schema.table");
            }
            List<String> out = psqlOrEmpty(sockets, port, "SELECT count(*) FROM " + table);
            counts.put(table, out.size() == 1 && out.get(0).matches("\\d+") ? Long.parseLong(out.get(0)) : -1L);
        }
        return counts;
    }

    private List<String> psql(Path sockets, int port, String sql) throws Refused, IOException, InterruptedException {
        PgBackRest.Run run = psqlRun(sockets, port, sql);
        if (!run.ok()) {
            throw new Refused(FailureCodes.RESTORED_CLUSTER_FAILED, null, "query on the restored copy failed: "
                    + run.stderr().trim());
        }
        return run.stdout().lines().toList();
    }

    private List<String> psqlOrEmpty(Path sockets, int port, String sql) throws IOException, InterruptedException {
        PgBackRest.Run run = psqlRun(sockets, port, sql);
        return run.ok() ? run.stdout().lines().toList() : List.of();
    }

    private PgBackRest.Run psqlRun(Path sockets, int port, String sql) throws IOException, InterruptedException {
        return pgbackrest.asPostgres(List.of(config.restore().pgBin() + "/psql", "-h", sockets.toString(), "-p",
                String.valueOf(port), "-U", "postgres", "-d", config.restore().database(), "-XAtq", "-v",
                "ON_ERROR_STOP=1", "-c", sql), SHORT);
    }

    private void appendSettings(Path data, String settings) throws IOException, InterruptedException, Refused {
        Path conf = data.resolve("postgresql.auto.conf");
        String current = pgbackrest.asPostgres(List.of("cat", conf.toString()), SHORT).stdout();
        Path tmp = java.nio.file.Files.createTempFile("restore-", ".conf");
        try {
            java.nio.file.Files.writeString(tmp, current + "\n# pg-backup test restore\n" + settings);
            tmp.toFile().setReadable(true, false);
            check(pgbackrest.asPostgres(List.of("cp", tmp.toString(), conf.toString()), SHORT),
                    "write postgresql.auto.conf");
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    private String tail(Path log) throws IOException, InterruptedException {
        String out = pgbackrest.asPostgres(List.of("tail", "-n", "5", log.toString()), SHORT).stdout().trim();
        return out.replace('\n', ' ');
    }

    private static void check(PgBackRest.Run run, String what) throws Refused {
        if (!run.ok()) {
            throw new Refused(FailureCodes.EXECUTION_ERROR, null, "could not " + what + ": " + run.stderr().trim());
        }
    }

    private static Refused pgbackrestFailed(PgBackRest.Run run) {
        if (run.timedOut()) {
            return new Refused(FailureCodes.TIMEOUT, null, "timeout: pgbackrest restore was stopped");
        }
        return new Refused(String.valueOf(run.exitCode()), run.exitCode(),
                "restore: " + PgBackRestExit.reason(run.exitCode(), run.stderr()));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000_000.0) / 1000.0;
    }

    private RestoreFailed failed(RestoreRequested r, String code, Integer exit, String reason) {
        return new RestoreFailed(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreFailed"), r.requestId(),
                r.stanza(), config.id(), Instant.now(), r.mode(), r.target(), code, exit, reason);
    }
}
