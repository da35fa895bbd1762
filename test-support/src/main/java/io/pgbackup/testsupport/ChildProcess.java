package io.pgbackup.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A long-running program a test starts (a packaged service, a Kafka broker): its output goes to a
 * log file, and it has a hard time limit after which it and its children are killed, so a test
 * that hangs or forgets to stop it leaves nothing running. It is also killed when the JVM exits.
 */
public final class ChildProcess implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "child-process-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final Path log;
    private final String name;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with the base environment plus {@code environment}, appending its output
     * to {@code log}; killed after {@code limit}.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log,
            Duration limit) {
        return start(name, command, environment, null, log, limit);
    }

    /** The same, in {@code directory} (null: the test's own). */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment,
            Path directory, Path log, Duration limit) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.environment().clear();
            pb.environment().putAll(Os.baseEnvironment());
            pb.environment().putAll(environment);
            Process process = pb.start();
            ChildProcess child = new ChildProcess(name, process, log);
            WATCHDOG.schedule(() -> {
                if (process.isAlive()) {
                    System.err.println(name + " ran past its limit of " + limit + "; killed");
                    child.kill();
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(child::kill));
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * A packaged Quarkus service ({@code quarkus-run.jar}) with its settings in the environment. Its
     * Kafka consumers keep a short session, so a killed one leaves its group in seconds, not 45.
     */
    public static ChildProcess service(String name, String jar, Map<String, String> environment, Path log) {
        return start(name,
                List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=6000",
                        "-Dmp.messaging.connector.smallrye-kafka.heartbeat.interval.ms=1000", "-jar", jar),
                environment, log,
                Duration.ofMinutes(10));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, as a crash: nothing gets to clean up. */
    public void kill() {
        Os.killTree(process.toHandle());
    }

    /** SIGTERM and a wait for a clean exit; killed if it takes longer than 30 s. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
