package io.pgbackup.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real programs the way the executor does: as the postgres OS user when we are root. */
public final class Os {

    /** PG_BIN, else the binaries of the newest PostgreSQL major installed (as scripts/env/lib.sh finds them). */
    public static final String POSTGRES_BIN = System.getenv().getOrDefault("PG_BIN", newestPostgres());

    private Os() {
    }

    private static String newestPostgres() {
        try (var majors = Files.list(Path.of("/usr/lib/postgresql"))) {
            return majors.filter(m -> m.getFileName().toString().matches("[0-9]+"))
                    .filter(m -> Files.isExecutable(m.resolve("bin/initdb")))
                    .max(java.util.Comparator.comparingInt(m -> Integer.parseInt(m.getFileName().toString())))
                    .map(m -> m.resolve("bin").toString()).orElse("/usr/lib/postgresql/no-major-installed/bin");
        } catch (IOException e) {
            return "/usr/lib/postgresql/no-major-installed/bin";
        }
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

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * What any program a test runs needs from the test JVM's environment: PATH, HOME, locale, time
     * zone, temporary directory. Nothing else of the JVM's (credentials of the machine, say) reaches
     * a child.
     */
    public static Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME", "USER")) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return env;
    }

    /** Runs to completion (at most 5 minutes) and returns exit code and merged output. */
    public static Result run(List<String> command) {
        return run(command, Duration.ofMinutes(5));
    }

    public static Result run(List<String> command, Duration limit) {
        return run(command, Map.of(), limit, null);
    }

    /**
     * Runs to completion with the base environment plus {@code environment}, {@code input} on its
     * standard input (null: none), and returns exit code and merged output. The output goes to a
     * file, not a pipe, so a child that writes a lot or never exits cannot block us; past
     * {@code limit} the child and everything it started are killed and the test fails with what it
     * printed.
     */
    public static Result run(List<String> command, Map<String, String> environment, Duration limit, String input) {
        Path out = null;
        try {
            out = Files.createTempFile("os-run-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().clear();
            pb.environment().putAll(baseEnvironment());
            pb.environment().putAll(environment);
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = pb.start();
            if (input != null) {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
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

    /** The last {@code lines} lines of a text. */
    public static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The last lines of a file, or why there are none. */
    public static String tail(Path file, int lines) {
        try {
            return tail(Files.readString(file, StandardCharsets.ISO_8859_1), lines);
        } catch (IOException e) {
            return "(" + file + ": " + e.getMessage() + ")";
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
            throw new IllegalStateException(what + " failed with exit " + result.exitCode() + ":\n"
                    + tail(result.output(), 60));
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
