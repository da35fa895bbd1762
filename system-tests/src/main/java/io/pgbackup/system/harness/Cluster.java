package io.pgbackup.system.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.Project;

/**
 * A PostgreSQL cluster of the project's one definition (scripts/env/postgres.sh): DIR/data, its
 * socket in DIR/sock, its log. Stopped and started as an operator would; queried as the superuser
 * by peer on its socket, inside its host's network namespace when it has one.
 */
public final class Cluster {

    private final String name;
    private final Path dir;
    private final int port;
    private final Path log;
    private final String netns;

    public Cluster(String name, Path dir, int port, Path log, String netns) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.log = log;
        this.netns = netns;
    }

    private Os.Result script(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Project.file("scripts/env/postgres.sh").toString()));
        command.addAll(List.of(args));
        return Os.run(command, netns == null ? Map.of() : Map.of("PG_NETNS", netns), Duration.ofMinutes(2), null);
    }

    /** pg_ctl stop -m fast: sessions are ended, as when an operator stops the server. */
    public void stop() {
        Os.check(script("stop", dir.toString(), "fast"), "stopping " + name);
    }

    public void start() {
        Os.check(script("start", dir.toString(), log.toString()), "starting " + name);
    }

    public boolean running() {
        return script("running", dir.toString()).ok();
    }

    /** One statement as the superuser; its rows, one line each (psql -tA). Fails on an error. */
    public String sql(String database, String statement) {
        Os.Result r = psql(database, statement);
        if (!r.ok()) {
            throw new IllegalStateException("SQL on " + name + " failed: " + statement + "\n" + r.output());
        }
        return r.output().trim();
    }

    /** One statement as the superuser, as psql answers it (errors included). */
    public Os.Result psql(String database, String statement) {
        List<String> command = new ArrayList<>();
        if (netns != null) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        command.addAll(Os.asPostgres(List.of("psql", "-h", dir.resolve("sock").toString(), "-p",
                String.valueOf(port), "-U", "postgres", "-d", database, "-XtAq", "-v", "ON_ERROR_STOP=1", "-c",
                statement)));
        return Os.run(command, Map.of(), Duration.ofMinutes(5), null);
    }

    public Path dir() {
        return dir;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    @Override
    public String toString() {
        return name + " (" + dir + ", port " + port + ")";
    }
}
