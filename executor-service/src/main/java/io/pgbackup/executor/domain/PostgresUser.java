package io.pgbackup.executor.domain;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** Output kept per stream; pgbackrest's errors come first and its info lines are short. */
    private static final int MAX_OUTPUT = 64 * 1024;

    private final ExecutorConfig config;

    public PostgresUser(ExecutorConfig config) {
        this.config = config;
    }

    public CommandRun run(List<String> command, Duration limit) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(runAsPrefix());
        args.addAll(command);
        LOG.debugf("running %s", args);
        Path out = Files.createTempFile("pgbackup-", ".out");
        Path err = Files.createTempFile("pgbackup-", ".err");
        try {
            Process process = new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("%s exceeded %s; stopping its process tree", command.get(command.size() - 1), limit);
                    stopTree(process);
                    return new CommandRun(process.exitValue(), read(out), read(err), true);
                }
            } catch (InterruptedException e) {
                stopTree(process);
                throw e;
            }
            return new CommandRun(process.exitValue(), read(out), read(err), false);
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
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + config.killGrace().toNanos();
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // killed below
                }
            }
        }
        // Children forked after the snapshot are found again before the hard kill.
        List<ProcessHandle> left = new ArrayList<>(process.descendants().toList());
        left.addAll(tree);
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.waitFor(config.killGrace().toMillis(), TimeUnit.MILLISECONDS);
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

    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > MAX_OUTPUT) {
            // Keep the head (errors) and the tail (the summary lines) of a long log.
            byte[] head = Arrays.copyOfRange(bytes, 0, MAX_OUTPUT / 2);
            byte[] tail = Arrays.copyOfRange(bytes, bytes.length - MAX_OUTPUT / 2, bytes.length);
            return new String(head, StandardCharsets.UTF_8) + "\n...\n" + new String(tail, StandardCharsets.UTF_8);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
