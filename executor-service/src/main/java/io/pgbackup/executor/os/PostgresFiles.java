package io.pgbackup.executor.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Files under the postgres user's directories (scratch copies, data directories), handled as that
 * user: this service may run as another user, and what it creates must stay PostgreSQL's.
 */
@ApplicationScoped
public class PostgresFiles {

    private static final Duration SHORT = Duration.ofMinutes(2);

    private final PostgresUser postgres;

    public PostgresFiles(PostgresUser postgres) {
        this.postgres = postgres;
    }

    /** Creates a directory and its parents; {@code mode} like "700", or null for the default. */
    public void mkdirs(Path dir, String mode) throws IOException, InterruptedException, CommandFailed {
        postgres.run(mode == null
                ? List.of("mkdir", "-p", dir.toString())
                : List.of("mkdir", "-p", "-m", mode, dir.toString()), SHORT).require("create " + dir);
    }

    public boolean exists(Path path) throws IOException, InterruptedException {
        return postgres.run(List.of("test", "-e", path.toString()), SHORT).exitCode() == 0;
    }

    public void removeTree(Path dir) throws IOException, InterruptedException {
        postgres.run(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(30));
    }

    /** Adds settings at the end of a configuration file (later lines win in PostgreSQL's files). */
    public void append(Path file, String text) throws IOException, InterruptedException, CommandFailed {
        String current = postgres.run(List.of("cat", file.toString()), SHORT).stdout();
        // Written by this service, then copied over as postgres: the file keeps its owner.
        Path tmp = Files.createTempFile("pgbackup-", ".conf");
        try {
            Files.writeString(tmp, current + "\n" + text);
            tmp.toFile().setReadable(true, false);
            postgres.run(List.of("cp", tmp.toString(), file.toString()), SHORT).require("write " + file.getFileName());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The last lines of a log, on one line, for a reason. */
    public String tail(Path log) throws IOException, InterruptedException {
        return postgres.run(List.of("tail", "-n", "5", log.toString()), SHORT).stdout().trim().replace('\n', ' ');
    }
}
