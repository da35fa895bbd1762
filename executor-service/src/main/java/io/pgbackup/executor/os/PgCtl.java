package io.pgbackup.executor.os;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.executor.config.ExecutorConfig;

/** Starts, stops and asks about a PostgreSQL data directory with pg_ctl, as the postgres user. */
@ApplicationScoped
public class PgCtl {

    private static final Duration SHORT = Duration.ofMinutes(2);

    private final PostgresUser postgres;
    private final ExecutorConfig config;

    public PgCtl(PostgresUser postgres, ExecutorConfig config) {
        this.postgres = postgres;
        this.config = config;
    }

    /** Starts and waits until PostgreSQL accepts connections (or recovery ends in failure). */
    public CommandRun start(Path data, Path log, Duration timeout) throws IOException, InterruptedException {
        return postgres.run(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", log.toString(), "-w", "-t",
                String.valueOf(timeout.toSeconds()), "start"), timeout.plusMinutes(1));
    }

    /**
     * Starts a test copy: its restore_command (pgbackrest archive-get, run by the copy's postmaster
     * with this environment) fetches WAL synchronously. With archive-async in pgbackrest.conf the
     * async archive-get would need the stanza's archive lock, which the live cluster's async
     * archive-push holds: the copy then finds no WAL and does not start.
     */
    public CommandRun startCopy(Path data, Path log, Duration timeout) throws IOException, InterruptedException {
        return postgres.runWith(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", log.toString(), "-w", "-t",
                String.valueOf(timeout.toSeconds()), "start"), timeout.plusMinutes(1),
                java.util.Map.of("PGBACKREST_ARCHIVE_ASYNC", "n"));
    }

    /** A fast shutdown: connections are ended, nothing is lost. */
    public CommandRun stop(Path data, Duration timeout) throws IOException, InterruptedException {
        return postgres.run(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop"), timeout);
    }

    /** An immediate shutdown, for a copy whose contents no longer matter (crash recovery on start). */
    public CommandRun abandon(Path data) throws IOException, InterruptedException {
        return postgres.run(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop"), SHORT);
    }

    public boolean running(Path data) throws IOException, InterruptedException {
        return postgres.run(List.of(bin("pg_ctl"), "-D", data.toString(), "status"), SHORT).exitCode() == 0;
    }

    /** The control file's facts (pg_controldata), readable whether the cluster runs or not. */
    public java.util.Map<String, String> controlData(Path data) throws IOException, InterruptedException {
        CommandRun run = postgres.run(List.of(bin("pg_controldata"), "-D", data.toString()), SHORT);
        java.util.Map<String, String> facts = new java.util.HashMap<>();
        if (run.ok()) {
            run.stdout().lines().forEach(line -> {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    facts.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            });
        }
        return facts;
    }

    public String bin(String program) {
        return config.restore().pgBin() + "/" + program;
    }
}
