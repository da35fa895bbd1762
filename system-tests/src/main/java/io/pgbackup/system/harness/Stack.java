package io.pgbackup.system.harness;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.Project;

/**
 * The system as {@code make up} runs it, launched by make up's own script in a folder and on ports
 * of its own: Kafka (SASL_SSL, ACLs), the state database, the demo primary with pgbackrest, the four
 * packaged services, and the offsite store when asked for. Faults are operations on it: a service
 * or the broker stopped, the state database stopped, and back.
 */
public final class Stack implements AutoCloseable {

    /** The stack's own ports, each free when it starts. */
    public record Ports(int kafka, int kafkaController, int kafkaBroker, int demoPg, int statePg, int health,
            int executor, int scheduler, int notifier, int azurite) {

        static Ports free() {
            return new Ports(FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
                    FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next());
        }
    }

    private final Path dir;
    private final Ports ports;
    private final Map<String, String> environment;
    private final Cluster demo;
    private final Cluster state;
    private final HealthApi health;
    private final SchedulerApi scheduler;
    private final Map<String, String> secrets;
    private Kafka kafka;
    private boolean keep;
    private boolean closed;

    private Stack(Path dir, Ports ports, Map<String, String> environment, Map<String, String> secrets) {
        this.dir = dir;
        this.ports = ports;
        this.environment = environment;
        this.secrets = secrets;
        this.demo = new Cluster("demo primary", dir.resolve("pg-demo"), ports.demoPg(),
                logs().resolve("postgres-demo.log"),
                null);
        this.state = new Cluster("state database", dir.resolve("pg-state"), ports.statePg(),
                logs().resolve("postgres-state.log"), null);
        this.health = new HealthApi("http://127.0.0.1:" + ports.health());
        this.scheduler = new SchedulerApi("http://127.0.0.1:" + ports.scheduler(), dir.resolve("api-token"));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** What the stack is started with; everything else is make up's default. */
    public static final class Builder {

        private final String name;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, String> secrets = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** A setting of make up or of the services (their environment variables). */
        public Builder with(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /** Secrets make up takes from its environment at the first start only (POSTGRES_PASSWORD...). */
        public Builder secret(String variable, String value) {
            secrets.put(variable, value);
            return this;
        }

        public Stack up() {
            Path dir = Os.postgresOwnedDir("stack-" + name + "-");
            Ports ports = Ports.free();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("STACK_DIR", dir.toString());
            env.put("LOG_DIR", dir.resolve("logs").toString());
            env.put("KAFKA_PORT", String.valueOf(ports.kafka()));
            env.put("KAFKA_CONTROLLER_PORT", String.valueOf(ports.kafkaController()));
            env.put("KAFKA_BROKER_PORT", String.valueOf(ports.kafkaBroker()));
            env.put("DEMO_PG_PORT", String.valueOf(ports.demoPg()));
            env.put("STATE_PG_PORT", String.valueOf(ports.statePg()));
            env.put("HEALTH_HTTP_PORT", String.valueOf(ports.health()));
            env.put("EXECUTOR_HTTP_PORT", String.valueOf(ports.executor()));
            env.put("SCHEDULER_HTTP_PORT", String.valueOf(ports.scheduler()));
            env.put("NOTIFIER_HTTP_PORT", String.valueOf(ports.notifier()));
            env.put("AZURITE_PORT", String.valueOf(ports.azurite()));
            env.put("RESTORE_TEST_DIR", dir.resolve("postgres-restore-test").toString());
            env.put("APPS_DIR", packagedServices().toString());
            env.putAll(environment);
            Stack stack = new Stack(dir, ports, env, Map.copyOf(secrets));
            Teardown.register("stack-" + name + "-down", stack::close);
            stack.launch(secrets);
            return stack;
        }
    }

    /**
     * The packaged services the stack runs: system.apps when given (make test's copy), else a copy of
     * the modules' packages taken now, so that a build while the suite runs changes nothing under
     * it, and make up's script never builds from inside a test.
     */
    private static synchronized Path packagedServices() {
        String given = System.getProperty("system.apps", "");
        if (!given.isBlank()) {
            return Path.of(given);
        }
        Path copy = Path.of(System.getProperty("java.io.tmpdir"), "pgbackup-tests",
                "apps-" + ProcessHandle.current().pid());
        if (!Files.isDirectory(copy)) {
            for (String s : List.of("scheduler", "executor", "health", "notifier")) {
                Path app = Project.file(s + "-service/target/quarkus-app");
                if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                    throw new IllegalStateException(
                            app + " is missing: build the services first (scripts/stack.sh build)");
                }
                Os.check(Os.run(List.of("mkdir", "-p", copy.resolve(s + "-service").toString())), "mkdir");
                Os.check(Os.run(List.of("cp", "-a", app.toString(), copy.resolve(s + "-service").toString())),
                        "copying " + app);
            }
            Teardown.register("apps-copy-removal", () -> Os.run(List.of("rm", "-rf", copy.toString())));
        }
        return copy;
    }

    private void launch(Map<String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(secrets);
        Os.Result up = Os.run(List.of("bash", Project.file("scripts/stack.sh").toString(), "up"), env,
                Duration.ofMinutes(15), null);
        if (!up.ok()) {
            keep = true;
            throw new IllegalStateException("make up (scripts/stack.sh up) failed with exit " + up.exitCode() + ":\n"
                    + Os.tail(up.output(), 30) + "\n" + serviceLogTails());
        }
    }

    /** Starts whatever of the stack is not running (make up again), with extra settings for it. */
    public void upAgain(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(extra);
        long start = System.nanoTime();
        Os.Result up = Os.run(List.of("bash", Project.file("scripts/stack.sh").toString(), "up"), env,
                Duration.ofMinutes(10), null);
        if (!up.ok()) {
            throw new IllegalStateException("make up again failed with exit " + up.exitCode() + ":\n"
                    + Os.tail(up.output(), 30));
        }
        System.out.printf("[stack] make up again took %d s%n", (System.nanoTime() - start) / 1_000_000_000L);
    }

    public void upAgain() {
        upAgain(Map.of());
    }

    /** Stops one component (kafka, executor, scheduler, health, notifier) and waits until it exited. */
    public void stop(String component) {
        Os.check(Os.run(List.of("bash", Project.file("scripts/stack.sh").toString(), "stop", component), environment,
                Duration.ofMinutes(2), null), "stopping " + component);
    }

    /** The pid of a running component, as make up recorded it. */
    public long pid(String component) {
        try {
            return Long.parseLong(Files.readString(dir.resolve("run").resolve(component + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(component + " has no pid file: is it running?", e);
        }
    }

    /** A principal's Kafka client settings, as make up gives them to a service or an operator. */
    public Properties kafkaClient(String principal) {
        String text = Os.check(Os.run(List.of("bash", Project.file("scripts/stack.sh").toString(), "kafka-client",
                principal), environment, Duration.ofSeconds(30), null), "kafka client settings of " + principal);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    /** The operator's Kafka: publish by hand, read topics from their start. */
    public synchronized Kafka kafka() {
        if (kafka == null) {
            kafka = new Kafka(kafkaClient("operator"));
        }
        return kafka;
    }

    public HealthApi health() {
        return health;
    }

    public SchedulerApi scheduler() {
        return scheduler;
    }

    public Cluster demo() {
        return demo;
    }

    public Cluster state() {
        return state;
    }

    public Ports ports() {
        return ports;
    }

    public Path dir() {
        return dir;
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path tls() {
        return dir.resolve("tls");
    }

    /** A file of make up's secrets folder (0600), e.g. {@code pgbackrest-password}. */
    public Path secret(String name) {
        return dir.resolve("secrets").resolve(name);
    }

    /** The secrets the stack was started with, by variable (POSTGRES_PASSWORD...). */
    public Map<String, String> plantedSecrets() {
        return secrets;
    }

    /** The settings make up runs with (for tools that need the same: another scheduler replica...). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The packaged jar of a service, as make up runs it. */
    public Path jar(String service) {
        String apps = environment.get("APPS_DIR");
        Path base = apps != null
                ? Path.of(apps).resolve(service + "-service")
                : Project.file(service + "-service/target");
        return base.resolve("quarkus-app/quarkus-run.jar");
    }

    /** pgbackrest on the demo primary's stanza, as postgres, with make up's configuration. */
    public Os.Result pgbackrest(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("pgbackrest",
                "--config=" + dir.resolve("pgbackrest/pgbackrest.conf")));
        command.addAll(List.of(args));
        return Os.run(Os.asPostgres(command), Map.of(), Duration.ofMinutes(10), null);
    }

    /** Leaves the stack's folder in place at the end (a check failed: its logs are evidence). */
    public void keep() {
        keep = true;
    }

    /** The last lines of every service's log, for a failure's report. */
    public String serviceLogTails() {
        StringBuilder b = new StringBuilder();
        for (String s : List.of("executor", "scheduler", "health", "notifier")) {
            b.append("--- tail of ").append(s).append("-service.log\n")
                    .append(Os.tail(logs().resolve(s + "-service.log"), 25)).append('\n');
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        Os.run(List.of("bash", Project.file("scripts/stack.sh").toString(), "down"), environment,
                Duration.ofMinutes(3), null);
        if (keep || Boolean.getBoolean("system.keep")) {
            System.err.println("system tests: the stack's folder is kept for inspection: " + dir);
        } else {
            Os.run(List.of("rm", "-rf", dir.toString()));
        }
    }
}
