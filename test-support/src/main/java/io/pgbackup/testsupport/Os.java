package io.pgbackup.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real programs the way the executor does: as the postgres OS user when we are root. */
public final class Os {

    public static final String POSTGRES_BIN = System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin");

    private Os() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command, prefixed with {@code runuser -u postgres --} when running as root. */
    public static List<String> asPostgres(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        return full;
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs to completion (at most 5 minutes) and returns exit code and merged output. */
    public static Result run(List<String> command) {
        return run(command, Duration.ofMinutes(5));
    }

    /**
     * Runs to completion and returns exit code and merged output. The output goes to a file, not a
     * pipe, so a child that writes a lot or never exits cannot block us; past {@code limit} the
     * child and everything it started are killed and the test fails with what it printed.
     */
    public static Result run(List<String> command, Duration limit) {
        Path out = null;
        try {
            out = Files.createTempFile("os-run-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process.toHandle());
                throw new IllegalStateException("timed out after " + limit + ": " + command + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** SIGKILL to a process and every process it started. */
    public static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
    }

    public static Result runAsPostgres(String... command) {
        return run(asPostgres(List.of(command)));
    }

    /** Runs and fails the test setup with the program's output when it does not exit 0. */
    public static String check(Result result, String what) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(what + " failed with exit " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** A fresh directory that the postgres OS user owns, under a parent it can traverse. */
    public static Path postgresOwnedDir(String prefix) {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "pgbackup-tests");
            Files.createDirectories(base);
            base.toFile().setExecutable(true, false);
            base.toFile().setReadable(true, false);
            Path dir = Files.createTempDirectory(base, prefix);
            chownToPostgres(dir);
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void chownToPostgres(Path path) {
        if (isRoot()) {
            check(run(List.of("chown", "-R", "postgres:postgres", path.toString())), "chown " + path);
        }
    }

    public static void writeFile(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            chownToPostgres(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
