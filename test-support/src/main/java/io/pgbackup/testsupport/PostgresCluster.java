package io.pgbackup.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL 15 cluster in a temporary directory, on a free port, owned by the postgres OS
 * user. Trust authentication on 127.0.0.1 only.
 */
public final class PostgresCluster implements AutoCloseable {

    private final Path dataDir;
    private final Path socketDir;
    private final Path logFile;
    private final int port;
    private final Map<String, String> settings;

    private PostgresCluster(Path dataDir, Path socketDir, Path logFile, int port, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.socketDir = socketDir;
        this.logFile = logFile;
        this.port = port;
        this.settings = settings;
    }

    /** initdb into a new directory; {@code settings} go to postgresql.conf (e.g. archive_command). */
    public static PostgresCluster create(String name, Map<String, String> settings) {
        Path root = Os.postgresOwnedDir(name + "-");
        Path data = root.resolve("data");
        Path sockets = root.resolve("sock");
        Os.check(Os.runAsPostgres("mkdir", "-p", sockets.toString()), "mkdir sockets");
        Os.check(Os.runAsPostgres(Os.POSTGRES_BIN + "/initdb", "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync"), "initdb");
        int port = FreePorts.next();
        StringBuilder conf = new StringBuilder();
        // The port is in the configuration, as on a real host: whoever starts the cluster (an
        // in-place restore, say) brings it back on the same port.
        conf.append("port = ").append(port).append('\n');
        conf.append("listen_addresses = '127.0.0.1'\n");
        conf.append("unix_socket_directories = '").append(sockets).append("'\n");
        conf.append("fsync = off\n");
        settings.forEach((k, v) -> conf.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        Os.writeFile(data.resolve("postgresql.auto.conf"), conf.toString());
        PostgresCluster cluster = new PostgresCluster(data, sockets, root.resolve("postgres.log"), port, settings);
        cluster.start();
        return cluster;
    }

    public void start() {
        Os.check(Os.runAsPostgres(Os.POSTGRES_BIN + "/pg_ctl", "-D", dataDir.toString(), "-l", logFile.toString(),
                "-w", "-t", "60", "-o", "-p " + port, "start"), "pg_ctl start");
    }

    public void stop() {
        Os.check(Os.runAsPostgres(Os.POSTGRES_BIN + "/pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w",
                "stop"), "pg_ctl stop");
    }

    public boolean isRunning() {
        return Os.runAsPostgres(Os.POSTGRES_BIN + "/pg_ctl", "-D", dataDir.toString(), "status").exitCode() == 0;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path socketDir() {
        return socketDir;
    }

    public int port() {
        return port;
    }

    public Map<String, String> settings() {
        return settings;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE \"" + name + "\"");
    }

    public void execute(String database, String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), "postgres", "");
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage(), e);
        }
    }

    public List<String> queryColumn(String database, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), "postgres", "");
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (isRunning()) {
            Os.runAsPostgres(Os.POSTGRES_BIN + "/pg_ctl", "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
        }
        Os.run(List.of("rm", "-rf", dataDir.getParent().toString()));
    }
}
