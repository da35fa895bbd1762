package io.pgbackup.executor.restore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandFailed;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.os.PgCtl;
import io.pgbackup.executor.os.PostgresFiles;
import io.pgbackup.executor.os.PostgresUser;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.stanza.AllowedStanza;

/**
 * The restore drill (mode test, a test restore): a scratch copy on this host is restored, started
 * on a free port with archiving off, waited for until recovery ends and it is promoted, checked,
 * measured, stopped, and removed unless it is to be kept.
 */
@ApplicationScoped
public class Drill {

    private final PgBackRest pgbackrest;
    private final RestoreTargets targets;
    private final PgCtl pgCtl;
    private final PostgresFiles files;
    private final PostgresUser postgres;
    private final ExecutorConfig config;

    public Drill(PgBackRest pgbackrest, RestoreTargets targets, PgCtl pgCtl, PostgresFiles files,
            PostgresUser postgres, ExecutorConfig config) {
        this.pgbackrest = pgbackrest;
        this.targets = targets;
        this.pgCtl = pgCtl;
        this.files = files;
        this.postgres = postgres;
        this.config = config;
    }

    public RestoreCompleted run(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws RestoreRefused, CommandFailed, IOException, InterruptedException {
        RestoreRequested r = valid.request();
        RestoreTargets.Checked checked = targets.check(stanza, valid);
        String label = checked.label();
        Path dir = scratchDirectory(stanza, r);
        checkSpace(checked.sizeBytes());
        Path data = dir.resolve("data");
        files.mkdirs(data, "700");
        boolean keep = r.keep();
        try {
            long t0 = System.nanoTime();
            CommandRun restore = pgbackrest.restore(stanza, RestoreTargets.options(valid, data, false),
                    config.restore().recoveryTimeout());
            if (!restore.ok()) {
                throw RestoreRefused.pgbackrest(restore);
            }
            double restoreSeconds = seconds(t0);
            int port = freePort();
            Path sockets = dir.resolve("sock");
            files.mkdirs(sockets, null);
            // After pgbackrest's own recovery settings: a private port and socket, no archiving, so
            // the copy can never push WAL into the live stanza's archive.
            files.append(data.resolve("postgresql.auto.conf"), "# pg-backup test restore\nport = " + port
                    + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + sockets
                    + "'\narchive_mode = off\nhot_standby = on\n");
            long t1 = System.nanoTime();
            Path log = dir.resolve("postgres.log");
            if (!pgCtl.startCopy(data, log, config.restore().recoveryTimeout()).ok()) {
                throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "the restored PostgreSQL did not start: "
                        + files.tail(log));
            }
            try {
                RestoredCopy copy = new RestoredCopy(postgres, pgCtl.bin("psql"), sockets, port,
                        config.restore().database());
                awaitPromotion(copy, data, log);
                double replaySeconds = seconds(t1);
                long t2 = System.nanoTime();
                Map<String, Long> counts = copy.check(config.restore().checks().orElse(List.of()),
                        config.restore().countTables().orElse(List.of()));
                double verifySeconds = seconds(t2);
                RestoredCopy.Point point = copy.pointReached();
                return new RestoreCompleted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(),
                        "RestoreCompleted"), r.requestId(), r.stanza(), config.id(), Instant.now(), r.mode(),
                        r.target(), label, keep ? data.toString() : null, point.timeline(), point.lsn(), point.time(),
                        restoreSeconds, replaySeconds, verifySeconds, counts);
            } finally {
                pgCtl.stop(data, Duration.ofMinutes(2));
            }
        } catch (RestoreRefused | CommandFailed | IOException | InterruptedException | RuntimeException e) {
            keep = false;
            throw e;
        } finally {
            if (!keep) {
                files.removeTree(dir);
            }
        }
    }

    /**
     * The copy's directory: the latest-test-copy directory for a kept copy without a path of its
     * own (the previous copy there removed), else under the scratch root: the request's path, or
     * stanza and request id.
     */
    private Path scratchDirectory(AllowedStanza stanza, RestoreRequested r)
            throws RestoreRefused, CommandFailed, IOException, InterruptedException {
        Optional<String> latest = config.restore().latestTestCopy().filter(d -> !d.isBlank());
        if (r.keep() && r.path() == null && latest.isPresent()) {
            return latestCopyDirectory(Path.of(latest.get()).toAbsolutePath().normalize());
        }
        Path root = scratchRoot();
        String name = directoryName(r);
        Path dir = root.resolve(name).normalize();
        if (!root.equals(dir.getParent())) {
            throw new RestoreRefused(FailureCode.INVALID_PATH, "path " + name + " is outside the scratch root");
        }
        files.mkdirs(root, null);
        if (files.exists(dir)) {
            throw new RestoreRefused(FailureCode.INVALID_PATH, "scratch directory " + name + " already exists;"
                    + " remove it or choose another path");
        }
        return dir;
    }

    /** Marks a directory as a test copy this executor made, so that only such a one is ever replaced. */
    static final String COPY_MARKER = ".pgbackup-test-copy";

    private Path latestCopyDirectory(Path dir)
            throws RestoreRefused, CommandFailed, IOException, InterruptedException {
        if (dir.getParent() == null) {
            throw new RestoreRefused(FailureCode.INVALID_PATH, "executor.restore.latest-test-copy is a root directory");
        }
        if (files.exists(dir)) {
            if (!files.exists(dir.resolve(COPY_MARKER))) {
                throw new RestoreRefused(FailureCode.INVALID_PATH, dir + " exists and is not a test copy this"
                        + " executor left there; move it away or set executor.restore.latest-test-copy elsewhere");
            }
            files.removeTree(dir);
        }
        files.mkdirs(dir, "700");
        files.append(dir.resolve(COPY_MARKER), "test copy left by pg-backup's executor; replaced by the next one\n");
        return dir;
    }

    /**
     * A copy that fills the disk halfway through fails late and can starve the host's other
     * files; refused up front instead, with room for the WAL replayed on top.
     */
    private void checkSpace(Long sizeBytes) throws RestoreRefused, IOException {
        if (sizeBytes == null) {
            return;
        }
        Path existing = scratchRoot();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        Optional<String> problem = spaceProblem(sizeBytes, Files.getFileStore(existing).getUsableSpace(),
                config.restore().spareBytes(), existing);
        if (problem.isPresent()) {
            throw new RestoreRefused(FailureCode.INSUFFICIENT_SPACE, problem.get());
        }
    }

    /** Why a copy of {@code size} bytes does not fit in {@code free}, with room for WAL and a spare. */
    static Optional<String> spaceProblem(long size, long free, long spare, Path where) {
        long needed = size + size / 10 + spare;
        if (free >= needed) {
            return Optional.empty();
        }
        return Optional.of("the copy needs about " + mib(needed) + " MiB (the set's " + mib(size)
                + " MiB, a tenth more for WAL, and executor.restore.spare-bytes) but " + where + " has " + mib(free)
                + " MiB free");
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    public Path scratchRoot() {
        return Path.of(config.restore().scratchRoot()).toAbsolutePath().normalize();
    }

    /** The name of a request's copy under the scratch root: its path, or its stanza and request id. */
    public static String directoryName(RestoreRequested r) {
        return r.path() != null ? r.path() : r.stanza() + "-" + r.requestId().toString().substring(0, 8);
    }

    private void awaitPromotion(RestoredCopy copy, Path data, Path log)
            throws RestoreRefused, IOException, InterruptedException {
        long deadline = System.nanoTime() + config.restore().recoveryTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (copy.promoted()) {
                return;
            }
            if (!pgCtl.running(data)) {
                throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "the restored PostgreSQL stopped during"
                        + " recovery: " + files.tail(log));
            }
            Thread.sleep(200); // polling a server we do not control; no event tells us
        }
        throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "recovery did not finish within "
                + config.restore().recoveryTimeout());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000_000.0) / 1000.0;
    }
}
