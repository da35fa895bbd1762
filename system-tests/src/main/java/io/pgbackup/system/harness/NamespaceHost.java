package io.pgbackup.system.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.awaitility.Awaitility;

import io.pgbackup.testsupport.ChildProcess;
import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.Project;

/**
 * A database host in a network namespace of its own, linked to this machine by a veth pair
 * (10.231.N.2 there, 10.231.N.1 here): its own PostgreSQL (the project's one cluster definition, no
 * trust), its stanza in the stack's repository with a pgbackrest.conf from the one renderer, and
 * its executor, which reaches the broker over the link as the executor principal. Made by
 * {@link #builder}; needs root.
 */
public final class NamespaceHost implements DatabaseHost, AutoCloseable {

    /** The namespace and its link; made before the stack so the broker can listen on the link. */
    public record Network(int number, int kafkaPort) {

        public String namespace() {
            return "pgbst-h" + number;
        }

        /** This machine's end of the link. */
        public String hostAddress() {
            return "10.231." + number + ".1";
        }

        private String link() {
            return "pgbst" + number + "a";
        }

        /** The broker's listener for this host, for make up's KAFKA_EXTRA_LISTENERS. */
        public String kafkaListener() {
            return "HOST" + number + "://" + hostAddress() + ":" + kafkaPort;
        }

        /** Makes the namespace and the link (replacing leftovers of an earlier run of these tests). */
        public static Network create(int number, int kafkaPort) {
            Network net = new Network(number, kafkaPort);
            net.remove();
            String ns = net.namespace();
            String peer = "pgbst" + number + "b";
            for (List<String> step : List.of(List.of("ip", "netns", "add", ns),
                    List.of("ip", "link", "add", net.link(), "type", "veth", "peer", "name", peer),
                    List.of("ip", "link", "set", peer, "netns", ns),
                    List.of("ip", "addr", "add", net.hostAddress() + "/24", "dev", net.link()),
                    List.of("ip", "link", "set", net.link(), "up"),
                    List.of("ip", "netns", "exec", ns, "ip", "addr", "add", "10.231." + number + ".2/24", "dev", peer),
                    List.of("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up"),
                    List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"))) {
                Os.check(Os.run(step), "network of host " + number + ": " + String.join(" ", step));
            }
            return net;
        }

        /** Only what these tests made: the namespace pgbst-hN and its link. */
        public void remove() {
            Os.run(List.of("ip", "netns", "del", namespace()));
            Os.run(List.of("ip", "link", "del", link()));
        }
    }

    private static final int PG_PORT = 5432;

    private final Stack stack;
    private final Network network;
    private final String stanza;
    private final Path dir;
    private final Cluster postgres;
    private final Path config;
    private final Map<String, NamespaceExecutor> executors = new LinkedHashMap<>();
    private final String executorId;

    private NamespaceHost(Stack stack, Network network, String stanza, String executorId, Path dir) {
        this.stack = stack;
        this.network = network;
        this.stanza = stanza;
        this.executorId = executorId;
        this.dir = dir;
        this.postgres = new Cluster("PostgreSQL of host " + network.number(), dir.resolve("pg"), PG_PORT,
                dir.resolve("postgres.log"), network.namespace());
        this.config = dir.resolve("pgbackrest.conf");
    }

    public static Builder builder(Stack stack, Network network) {
        return new Builder(stack, network);
    }

    public static final class Builder {

        private final Stack stack;
        private final Network network;
        private String stanza;
        private String executorId;
        private boolean archiveAsync;
        private boolean waitReady = true;

        private Builder(Stack stack, Network network) {
            this.stack = stack;
            this.network = network;
        }

        public Builder stanza(String name) {
            this.stanza = name;
            return this;
        }

        public Builder executorId(String id) {
            this.executorId = id;
            return this;
        }

        /** WAL pushed in batches by an asynchronous process, as on a busy host. */
        public Builder archiveAsync() {
            this.archiveAsync = true;
            return this;
        }

        /** Returns as soon as the executor is started, without waiting for it to be ready. */
        public Builder noWait() {
            this.waitReady = false;
            return this;
        }

        public NamespaceHost build() {
            Path dir = stack.dir().resolve("host" + network.number());
            NamespaceHost host = new NamespaceHost(stack, network, stanza, executorId, dir);
            host.create(archiveAsync);
            host.startExecutor(executorId, "executor", 8081, waitReady);
            return host;
        }
    }

    private void create(boolean archiveAsync) {
        try {
            for (String d : List.of("pgbackrest/log", "pgbackrest/lock", "pgbackrest/spool", "secrets")) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.setPosixFilePermissions(dir.resolve("secrets"), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path superuser = password("postgres");
        Path pgbackrest = password("pgbackrest");
        String archive = "pgbackrest --config=" + config + " --stanza=" + stanza + " archive-push %p";
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("PGBR_REPO1_PATH", stack.dir().resolve("pgbackrest/repo").toString());
        conf.put("PGBR_CIPHER_PASS_FILE", stack.dir().resolve("pgbackrest/cipher-pass").toString());
        conf.put("PGBR_LOG_PATH", dir.resolve("pgbackrest/log").toString());
        conf.put("PGBR_LOCK_PATH", dir.resolve("pgbackrest/lock").toString());
        conf.put("PGBR_SPOOL_PATH", dir.resolve("pgbackrest/spool").toString());
        conf.put("PGBR_ARCHIVE_ASYNC", archiveAsync ? "y" : "n");
        String text = render(conf, "global") + render(Map.of("PGBR_STANZA", stanza, "PGBR_PG_PATH",
                postgres.dataDir().toString(), "PGBR_PG_PORT", String.valueOf(PG_PORT), "PGBR_PG_SOCKET",
                postgres.dir().resolve("sock").toString(), "PGBR_PG_USER", "pgbackrest"), "stanza");
        write(config, text);
        Os.chownToPostgres(dir);
        Os.check(Os.run(List.of("chmod", "600", config.toString())), "chmod pgbackrest.conf");
        Os.check(Os.run(List.of("chown", "-R", "root:root", dir.resolve("secrets").toString())), "chown secrets");

        String postgresSh = Project.file("scripts/env/postgres.sh").toString();
        Os.check(Os.run(List.of("bash", postgresSh, "init", postgres.dir().toString(), superuser.toString())),
                "initdb of host " + network.number());
        Os.check(Os.run(List.of("bash", postgresSh, "configure", postgres.dir().toString(), String.valueOf(PG_PORT),
                stack.tls().toString()),
                Map.of("PG_CONF", "wal_level = replica\narchive_mode = on\narchive_command = '"
                        + archive + "'"),
                Duration.ofMinutes(1), null), "configuring PostgreSQL of host " + network.number());
        postgres.start();
        sqlFile("superuser.sql", superuser, List.of());
        sqlFile("pgbackrest-role.sql", pgbackrest, List.of());
        Os.check(pgbackrest("stanza-create"), "stanza-create " + stanza);
    }

    /** Runs one of the project's SQL definitions (scripts/env/sql) with its password file. */
    private void sqlFile(String name, Path passwordFile, List<String> psqlOptions) {
        List<String> command = new ArrayList<>(
                List.of("bash", Project.file("scripts/env/postgres.sh").toString(), "sql",
                        postgres.dir().toString(), String.valueOf(PG_PORT), "postgres",
                        Project.file("scripts/env/sql/" + name).toString()));
        command.addAll(psqlOptions);
        Os.check(Os.run(command, Map.of("PG_NETNS", network.namespace(), "PG_PWFILE", passwordFile.toString()),
                Duration.ofMinutes(1), null), name + " on host " + network.number());
    }

    /** A generated password in the host's secrets folder (0600). */
    private Path password(String name) {
        Path file = dir.resolve("secrets").resolve(name + "-password");
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new java.security.SecureRandom().nextBytes(random);
            write(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return file;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String render(Map<String, String> settings, String part) {
        List<String> command = new ArrayList<>(
                List.of("bash", Project.file("scripts/env/pgbackrest-conf.sh").toString(),
                        part));
        return Os.check(Os.run(command, settings, Duration.ofSeconds(30), null), "rendering pgbackrest.conf");
    }

    /**
     * Starts an executor on this host (a second one for the same stanza makes a duplicate), with its
     * own state database in the host's cluster and its own HTTP port inside the namespace.
     */
    public NamespaceExecutor startExecutor(String id, String database, int httpPort, boolean waitReady) {
        Path stateDbPassword = password("db-" + database);
        sqlFile("service-database.sql", stateDbPassword, List.of("-v", "role=" + database));
        Path work = dir.resolve("executor-" + id);
        try {
            Files.createDirectories(work.resolve("config"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String ca = stack.tls().resolve("ca.pem").toString();
        String tls = "?sslmode=verify-full&sslrootcert=" + ca;
        Properties kafka = stack.kafkaClient("executor");
        StringBuilder secrets = new StringBuilder();
        kafka.forEach((k, v) -> secrets.append("kafka.").append(k).append('=')
                .append("bootstrap.servers".equals(k) ? network.hostAddress() + ":" + network.kafkaPort() : v)
                .append('\n'));
        secrets.append("quarkus.datasource.username=").append(database).append('\n');
        secrets.append("quarkus.datasource.password=").append(read(stateDbPassword)).append('\n');
        secrets.append("executor.primary.\"").append(stanza).append("\".user=pgbackrest\n");
        secrets.append("executor.primary.\"").append(stanza).append("\".password=")
                .append(read(password("pgbackrest"))).append('\n');
        write(work.resolve("config/application.properties"), secrets.toString());

        Map<String, String> env = new LinkedHashMap<>();
        for (String inherited : List.of("EXECUTOR_STATUS_INTERVAL", "EXECUTOR_STATUS_REPO_INTERVAL",
                "EXECUTOR_CLAIM_TIMEOUT", "EXECUTOR_RESTORE_COUNT_TABLES")) {
            String value = stack.environment().get(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", network.hostAddress() + ":" + network.kafkaPort());
        env.put("EXECUTOR_ID", id);
        env.put("EXECUTOR_STANZAS", stanza);
        env.put("EXECUTOR_DB_URL", "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + database + tls);
        env.put("EXECUTOR_HTTP_PORT", String.valueOf(httpPort));
        env.put("PGBACKREST_CONFIG", config.toString());
        env.put("EXECUTOR_MAINTENANCE_LOG_PATH", dir.resolve("pgbackrest/log").toString());
        env.put("EXECUTOR_RESTORE_SCRATCH_ROOT", dir.resolve("restore-" + id).toString());
        // The long-lived stanza's sets are made by pgbackrest directly, so the executor's hourly
        // expire would meet their lock ([050]): the test hosts' scheduled maintenance is off.
        env.put("BACKUP_SCHEDULE_MAINTENANCE", "off");
        env.put("EXECUTOR_PRIMARY__" + stanza.toUpperCase().replace('-', '_') + "__JDBC_URL",
                "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/postgres" + tls);
        NamespaceExecutor executor = new NamespaceExecutor(id, work, httpPort, env);
        executors.put(id, executor);
        executor.launch();
        if (waitReady) {
            executor.awaitReady();
        }
        return executor;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An executor process inside the host's namespace. */
    public final class NamespaceExecutor implements ExecutorProcess {

        private final String id;
        private final Path work;
        private final int httpPort;
        private final Map<String, String> env;
        private ChildProcess process;

        private NamespaceExecutor(String id, Path work, int httpPort, Map<String, String> env) {
            this.id = id;
            this.work = work;
            this.httpPort = httpPort;
            this.env = env;
        }

        private void launch() {
            // ip execs java: the child's pid is the executor's own. Its working directory holds
            // config/application.properties, its secret settings.
            process = ChildProcess.start("executor " + id,
                    List.of("ip", "netns", "exec", network.namespace(), "java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC", "-jar",
                            stack.jar("executor").toString()),
                    env, work, work.resolve("executor.log"), Duration.ofHours(3));
        }

        public void awaitReady() {
            Awaitility.await("executor " + id + " ready on host " + network.number()).atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).until(this::ready);
        }

        private boolean ready() {
            return Os.run(List.of("ip", "netns", "exec", network.namespace(), "curl", "-fsS", "-o", "/dev/null",
                    "http://127.0.0.1:" + httpPort + "/q/health/ready"), Map.of(), Duration.ofSeconds(10), null).ok();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void kill() {
            process.kill();
        }

        @Override
        public void stop() {
            process.stop();
        }

        @Override
        public void start() {
            launch();
            awaitReady();
        }

        public Path log() {
            return work.resolve("executor.log");
        }
    }

    @Override
    public String name() {
        return "host" + network.number();
    }

    @Override
    public String stanza() {
        return stanza;
    }

    @Override
    public Cluster postgres() {
        return postgres;
    }

    @Override
    public NamespaceExecutor executor() {
        return executors.get(executorId);
    }

    public NamespaceExecutor executor(String id) {
        return executors.get(id);
    }

    public Network network() {
        return network;
    }

    @Override
    public Os.Result pgbackrest(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", network.namespace(), "runuser", "-u",
                "postgres", "--", "pgbackrest", "--config=" + config, "--stanza=" + stanza));
        command.addAll(List.of(args));
        return Os.run(command, Map.of(), Duration.ofMinutes(15), null);
    }

    /** psql as the superuser inside the host. */
    public String sql(String statement) {
        return postgres.sql("postgres", statement);
    }

    @Override
    public void cutOff() {
        Os.check(Os.run(List.of("ip", "link", "set", network.link(), "down")), "cutting off " + name());
    }

    @Override
    public void reconnect() {
        Os.check(Os.run(List.of("ip", "link", "set", network.link(), "up")), "reconnecting " + name());
    }

    @Override
    public void close() {
        executors.values().forEach(e -> {
            if (e.process != null && e.process.isAlive()) {
                e.stop();
            }
        });
        Os.run(List.of("bash", Project.file("scripts/env/postgres.sh").toString(), "stop", postgres.dir().toString(),
                "fast"));
        network.remove();
    }
}
