package io.pgbackup.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A primary PostgreSQL with WAL archiving through the real pgbackrest binary into a local
 * repository, and the stanza created and checked: what an executor finds on a database host.
 */
public final class PgBackRestStack implements AutoCloseable {

    private final String stanza;
    private final Path root;
    private final Path configFile;
    private final Path repo;
    private final PostgresCluster cluster;

    private PgBackRestStack(String stanza, Path root, Path configFile, Path repo, PostgresCluster cluster) {
        this.stanza = stanza;
        this.root = root;
        this.configFile = configFile;
        this.repo = repo;
        this.cluster = cluster;
    }

    public static PgBackRestStack create(String stanza) {
        Path root = Os.postgresOwnedDir("pgbr-" + stanza + "-");
        Path config = root.resolve("pgbackrest.conf");
        Path repo = root.resolve("repo");
        for (String dir : List.of("repo", "log", "lock", "spool")) {
            Os.check(Os.runAsPostgres("mkdir", "-p", root.resolve(dir).toString()), "mkdir " + dir);
        }
        // pg1-path and the port are only known once the cluster exists, but archive_command needs
        // the config file first: write the global part now and the stanza part after initdb.
        PostgresCluster cluster = PostgresCluster.create("primary-" + stanza, Map.of(
                "archive_mode", "on",
                "archive_command", "pgbackrest --config=" + config + " --stanza=" + stanza + " archive-push %p",
                "wal_level", "replica",
                "max_wal_senders", "3"));
        String conf = render(Map.of("PGBR_REPO1_PATH", repo.toString(), "PGBR_RETENTION_FULL", "2",
                "PGBR_LOG_PATH", root.resolve("log").toString(), "PGBR_LOCK_PATH", root.resolve("lock").toString(),
                "PGBR_SPOOL_PATH", root.resolve("spool").toString(), "PGBR_LOG_LEVEL_FILE", "off",
                "PGBR_ARCHIVE_TIMEOUT", "30"), "global") + stanzaSection(stanza, cluster);
        Os.writeFile(config, conf);
        PgBackRestStack stack = new PgBackRestStack(stanza, root, config, repo, cluster);
        Os.check(stack.pgbackrest("stanza-create"), "stanza-create");
        Os.check(stack.pgbackrest("check"), "pgbackrest check");
        return stack;
    }

    /**
     * A second primary with its own stanza in the same pgbackrest configuration and repository,
     * as on a host that serves two databases.
     */
    public PostgresCluster addStanza(String other) {
        PostgresCluster second = PostgresCluster.create("primary-" + other, Map.of(
                "archive_mode", "on",
                "archive_command", "pgbackrest --config=" + configFile + " --stanza=" + other + " archive-push %p",
                "wal_level", "replica",
                "max_wal_senders", "3"));
        String conf;
        try {
            conf = java.nio.file.Files.readString(configFile);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Os.writeFile(configFile, conf + stanzaSection(other, second));
        for (String command : List.of("stanza-create", "check")) {
            Os.check(Os.run(Os.asPostgres(List.of("pgbackrest", "--config=" + configFile, "--stanza=" + other,
                    command))), other + " " + command);
        }
        return second;
    }

    private static String stanzaSection(String stanza, PostgresCluster cluster) {
        return render(Map.of("PGBR_STANZA", stanza, "PGBR_PG_PATH", cluster.dataDir().toString(), "PGBR_PG_PORT",
                String.valueOf(cluster.port()), "PGBR_PG_SOCKET", cluster.socketDir().toString()), "stanza");
    }

    /** pgbackrest.conf text from the project's one renderer (scripts/env/pgbackrest-conf.sh). */
    static String render(Map<String, String> settings, String part) {
        List<String> command = new java.util.ArrayList<>(List.of("env"));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of("bash", Project.file("scripts/env/pgbackrest-conf.sh").toString(), part));
        return Os.check(Os.run(command), "rendering pgbackrest.conf (" + part + ")");
    }

    /** Runs pgbackrest for this stanza as the postgres user, e.g. {@code pgbackrest("info", "--output=json")}. */
    public Os.Result pgbackrest(String command, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("pgbackrest", "--config=" + configFile,
                "--stanza=" + stanza));
        args.addAll(List.of(options));
        args.add(command);
        return Os.run(Os.asPostgres(args));
    }

    /** Labels of this stanza's backups in the repository, oldest first. */
    public List<String> backupLabels() {
        return backupLabels(stanza);
    }

    /** Labels of another stanza's backups (one made with {@link #addStanza}), oldest first. */
    public List<String> backupLabels(String of) {
        String json = Os.check(Os.run(Os.asPostgres(List.of("pgbackrest", "--config=" + configFile, "--stanza=" + of,
                "--output=json", "info"))), "pgbackrest info");
        List<String> labels = new java.util.ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\"label\":\"([0-9A-Z_-]+)\"").matcher(json);
        while (matcher.find()) {
            labels.add(matcher.group(1));
        }
        return labels;
    }

    public String stanza() {
        return stanza;
    }

    public Path configFile() {
        return configFile;
    }

    public Path root() {
        return root;
    }

    public Path repo() {
        return repo;
    }

    public PostgresCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        cluster.close();
        Os.run(List.of("rm", "-rf", root.toString()));
    }
}
