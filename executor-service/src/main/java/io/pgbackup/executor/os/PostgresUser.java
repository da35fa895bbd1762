package io.pgbackup.executor.os;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.executor.config.ExecutorConfig;

/**
 * Runs programs as the OS user that owns the PostgreSQL files (pgbackrest, pg_ctl, psql, file
 * tools): an argument list, never a shell line, with a time limit after which the whole process
 * tree is stopped. Output goes to files, so a chatty or hung child can never block the caller.
 */
@ApplicationScoped
public class PostgresUser {

    private static final Logger LOG = Logger.getLogger(PostgresUser.class);
    /**
     * Output kept per stream for events and logs; pgbackrest's errors come first and its info lines
     * are short. Parsers read the whole output through an {@link OutputReader}.
     */
    private static final int MAX_OUTPUT = 64 * 1024;

    private final ExecutorConfig config;
    private final ChildProcesses children;

    public PostgresUser(ExecutorConfig config, ChildProcesses children) {
        this.config = config;
        this.children = children;
    }

    public CommandRun run(List<String> command, Duration limit) throws IOException, InterruptedException {
        return run(command, limit, null).run();
    }

    /**
     * Reads a program's whole standard output as a stream, however large (pgbackrest's info and
     * archive listings grow with the repository's age); what a {@link CommandRun} keeps is shortened.
     * Invalid UTF-8 (a wrong cipher pass) reads as replacement characters.
     */
    @FunctionalInterface
    public interface OutputReader<T> {

        T read(BufferedReader stdout) throws IOException;
    }

    /** A run and what its reader made of its output (null unless the program exited 0 in time). */
    public record Read<T>(CommandRun run, T value) {
    }

    /** Runs {@code command}; when it exits 0 in time, {@code reader} (if any) reads its whole output. */
    public <T> Read<T> run(List<String> command, Duration limit, OutputReader<T> reader)
            throws IOException, InterruptedException {
        return run(command, limit, reader, Map.of());
    }

    /** As {@link #run(List, Duration)}, with settings added to the child's minimal environment. */
    public CommandRun runWith(List<String> command, Duration limit, Map<String, String> extraEnvironment)
            throws IOException, InterruptedException {
        return run(command, limit, (OutputReader<Void>) null, extraEnvironment).run();
    }

    private <T> Read<T> run(List<String> command, Duration limit, OutputReader<T> reader,
            Map<String, String> extraEnvironment) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(children.groupPrefix());
        args.addAll(runAsPrefix());
        args.addAll(command);
        LOG.debugf("running %s", args);
        Path out = Files.createTempFile("pgbackup-", ".out");
        Path err = Files.createTempFile("pgbackup-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(args).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // Not this service's working directory, which holds its secrets and is closed to the postgres
            // user: find, for one, exits 1 when it cannot return to the directory it started in.
            builder.directory(new File("/"));
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(childEnvironment(System.getenv()));
            environment.putAll(extraEnvironment);
            Process process = builder.start();
            children.started(process, Path.of(command.get(0)).getFileName() + " " + command.get(command.size() - 1));
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("%s exceeded %s; stopping its process tree", command.get(command.size() - 1), limit);
                    stopTree(process);
                    return new Read<>(new CommandRun(process.exitValue(), read(out), read(err), true), null);
                }
            } catch (InterruptedException e) {
                stopTree(process);
                throw e;
            } finally {
                if (!process.isAlive()) {
                    children.ended(process);
                }
            }
            CommandRun run = new CommandRun(process.exitValue(), read(out), read(err), false);
            if (reader == null || !run.ok()) {
                return new Read<>(run, null);
            }
            try (BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(Files.newInputStream(out), StandardCharsets.UTF_8))) {
                return new Read<>(run, reader.read(stdout));
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * SIGTERM to the whole tree (runuser, pgbackrest and its local worker processes) so pgbackrest
     * can release its lock, then SIGKILL to whatever is left after the grace period.
     */
    private void stopTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        ChildProcesses.terminate(tree, config.killGrace());
        // Children forked after the snapshot are found again before the hard kill.
        List<ProcessHandle> left = new ArrayList<>(process.descendants().toList());
        left.addAll(tree);
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.waitFor(config.killGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * What a child may see of the executor's environment: the search path, the locale and time
     * zone, and pgbackrest's own variables (PGBACKREST_*, where an operator may keep the cipher
     * pass). Nothing else: the executor's database password, webhook and mail settings must not
     * reach pgbackrest, psql, pg_ctl or the postmaster a production restore starts.
     */
    static Map<String, String> childEnvironment(Map<String, String> parent) {
        Map<String, String> child = new TreeMap<>();
        child.put("PATH", parent.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        for (Map.Entry<String, String> e : parent.entrySet()) {
            String name = e.getKey();
            if (name.equals("LANG") || name.startsWith("LC_") || name.equals("TZ") || name.startsWith("PGBACKREST_")) {
                child.put(name, e.getValue());
            }
        }
        return child;
    }

    private List<String> runAsPrefix() {
        String self = System.getProperty("user.name");
        Optional<String> user = config.pgbackrest().runAs()
                .or(() -> "root".equals(self) ? Optional.of("postgres") : Optional.empty());
        if (user.isEmpty() || user.get().equals(self)) {
            return List.of();
        }
        return List.of("runuser", "-u", user.get(), "--");
    }

    /** The output as kept: whole when short, else its head (errors) and tail (summary lines). */
    private static String read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= MAX_OUTPUT) {
                return decode(channel, 0, (int) size);
            }
            return decode(channel, 0, MAX_OUTPUT / 2) + "\n...\n"
                    + decode(channel, size - MAX_OUTPUT / 2, MAX_OUTPUT / 2);
        }
    }

    private static String decode(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // reads until the range is filled or the file ends
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
