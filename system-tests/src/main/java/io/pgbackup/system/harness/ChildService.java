package io.pgbackup.system.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import io.pgbackup.testsupport.ChildProcess;
import io.pgbackup.testsupport.FreePorts;

/**
 * One more replica of a stack's service, beside the one make up runs: the same jar, login and
 * database (it starts in the service's folder, whose config/ holds the login), on a port of its
 * own. Kafka sessions are short so a killed replica's partitions move on in seconds.
 */
public final class ChildService {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path directory;
    private final Path log;
    private final int port;
    private ChildProcess process;

    private ChildService(String name, List<String> command, Map<String, String> environment, Path directory,
            Path log, int port) {
        this.name = name;
        this.command = command;
        this.environment = environment;
        this.directory = directory;
        this.log = log;
        this.port = port;
    }

    /** A scheduler replica with extra settings (its schedules, its stanzas). */
    public static ChildService scheduler(Stack stack, String name, Map<String, String> settings) {
        int port = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>(stack.environment());
        env.put("SCHEDULER_HTTP_PORT", String.valueOf(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + stack.ports().kafka());
        env.put("SCHEDULER_DB_URL", "jdbc:postgresql://127.0.0.1:" + stack.ports().statePg()
                + "/scheduler?sslmode=verify-full&sslrootcert=" + stack.tls().resolve("ca.pem"));
        env.put("OPERATION_LOG_DIR", stack.logs().toString());
        env.putAll(settings);
        ChildService service = new ChildService("scheduler " + name + " on " + port,
                List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=6000",
                        "-Dmp.messaging.connector.smallrye-kafka.heartbeat.interval.ms=1000", "-jar",
                        stack.jar("scheduler").toString()),
                env, stack.dir().resolve("run/scheduler"), stack.logs().resolve("system-scheduler-" + port + ".log"),
                port);
        service.start();
        return service;
    }

    public void start() {
        process = ChildProcess.start(name, command, environment, directory, log, Duration.ofHours(2));
    }

    public void awaitReady() {
        Awaitility.await(name + " ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Http.get("http://127.0.0.1:" + port + "/q/health/ready").status() == 200);
    }

    /** SIGKILL, as a crash. */
    public void kill() {
        process.kill();
    }

    public void stop() {
        if (process != null && process.isAlive()) {
            process.stop();
        }
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }
}
