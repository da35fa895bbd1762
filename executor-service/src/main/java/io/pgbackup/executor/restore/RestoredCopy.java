package io.pgbackup.executor.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.pgbackup.events.FailureCode;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.os.PostgresUser;

/**
 * SQL on a restored copy, over its private socket with psql: whether recovery has ended, the
 * stanza's checks, row counts, and the point the copy reached. Statements come from this code and
 * the executor's configuration, never from an event.
 */
public final class RestoredCopy {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Duration SHORT = Duration.ofMinutes(2);

    /** Where a copy ended up: timeline, last replayed LSN, commit time of the last transaction. */
    public record Point(long timeline, String lsn, Instant time) {
    }

    private final PostgresUser postgres;
    private final String psql;
    private final Path sockets;
    private final int port;
    private final String database;

    public RestoredCopy(PostgresUser postgres, String psql, Path sockets, int port, String database) {
        this.postgres = postgres;
        this.psql = psql;
        this.sockets = sockets;
        this.port = port;
        this.database = database;
    }

    /** True once recovery has ended and the copy was promoted; false while it replays or is unreachable. */
    public boolean promoted() throws IOException, InterruptedException {
        return List.of("f").equals(queryOrEmpty("SELECT pg_is_in_recovery()"));
    }

    /** Runs each check (must return true); returns the row count of each table (-1 when missing). */
    public Map<String, Long> check(List<String> checks, List<String> countTables)
            throws RestoreRefused, IOException, InterruptedException {
        for (String sql : checks) {
            List<String> out = queryOrEmpty(sql);
            if (!List.of("t").equals(out)) {
                throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "check failed on the restored copy: "
                        + sql + " returned " + out);
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : countTables) {
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException(
                        "executor.restore.count-tables: '" + table + "' is not schema.table");
            }
            List<String> out = queryOrEmpty("SELECT count(*) FROM " + table);
            counts.put(table, out.size() == 1 && out.get(0).matches("\\d+") ? Long.parseLong(out.get(0)) : -1L);
        }
        return counts;
    }

    public Point pointReached() throws RestoreRefused, IOException, InterruptedException {
        CommandRun run = query("SELECT timeline_id || '|' || coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())"
                + " || '|' || coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '') FROM pg_control_checkpoint()");
        if (!run.ok()) {
            throw new RestoreRefused(FailureCode.RESTORED_CLUSTER_FAILED, "query on the restored copy failed: "
                    + run.stderr().trim());
        }
        String[] p = run.stdout().lines().findFirst().orElse("").split("\\|", -1);
        return new Point(Long.parseLong(p[0]), p[1], p[2].isEmpty() ? null : Instant.parse(p[2]));
    }

    private List<String> queryOrEmpty(String sql) throws IOException, InterruptedException {
        CommandRun run = query(sql);
        return run.ok() ? run.stdout().lines().toList() : List.of();
    }

    private CommandRun query(String sql) throws IOException, InterruptedException {
        return postgres.run(List.of(psql, "-h", sockets.toString(), "-p", String.valueOf(port), "-U", "postgres", "-d",
                database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql), SHORT);
    }
}
