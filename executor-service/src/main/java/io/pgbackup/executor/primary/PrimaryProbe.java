package io.pgbackup.executor.primary;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.StanzaStatusReported.Archiver;
import io.pgbackup.executor.config.ExecutorConfig;

/**
 * Asks a stanza's primary how its WAL archiving goes: pg_stat_archiver plus the .ready files in
 * archive_status (completed segments not archived yet). One short connection per report; the
 * query is fixed text, nothing from an event reaches it.
 */
@ApplicationScoped
public class PrimaryProbe {

    /** What the primary says, and its WAL segment size for the gap check. */
    public record Reading(Archiver archiver, long walSegmentSize) {
    }

    private static final String QUERY = "SELECT a.archived_count, a.last_archived_wal, a.last_archived_time,"
            + " a.failed_count, a.last_failed_wal, a.last_failed_time,"
            + " (SELECT count(*) FROM pg_ls_archive_statusdir() s WHERE s.name LIKE '%.ready')::int,"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,"
            + " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')"
            + " FROM pg_stat_archiver a";
    private static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;

    private final ExecutorConfig config;

    public PrimaryProbe(ExecutorConfig config) {
        this.config = config;
    }

    /** Empty when no connection is configured for the stanza. */
    public Optional<Reading> read(String stanza) {
        ExecutorConfig.Primary primary = config.primary().get(stanza);
        if (primary == null) {
            return Optional.empty();
        }
        try (Connection c = connect(primary);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(QUERY)) {
            rs.next();
            Archiver archiver = new Archiver(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)),
                    rs.getLong(4), rs.getString(5), instant(rs.getTimestamp(6)), rs.getInt(7), rs.getString(8),
                    null);
            long segmentSize = rs.getLong(9);
            return Optional.of(new Reading(archiver, segmentSize > 0 ? segmentSize : DEFAULT_SEGMENT_SIZE));
        } catch (SQLException e) {
            // SQLSTATE and the server's message; the JDBC URL and password are not in either.
            String why = "cannot read pg_stat_archiver on the primary of stanza " + stanza + " [" + e.getSQLState()
                    + "]: " + e.getMessage();
            return Optional.of(new Reading(new Archiver(null, null, null, null, null, null, null, null, why),
                    DEFAULT_SEGMENT_SIZE));
        }
    }

    /** A restore point made on the primary: its LSN, the WAL segment holding it, and the timeline. */
    public record RestorePoint(String lsn, String walFile, long timeline) {
    }

    /**
     * Creates a named restore point on the stanza's primary and switches WAL, so the segment that
     * holds it is archived now rather than when it fills. The name is a bound parameter (and was
     * checked against the restore point pattern).
     *
     * @throws IllegalStateException with a sentence for a person when it cannot be done
     */
    public RestorePoint createRestorePoint(String stanza, String name) {
        ExecutorConfig.Primary primary = config.primary().get(stanza);
        if (primary == null) {
            throw new IllegalStateException("executor " + config.id() + " has no connection to the primary of stanza "
                    + stanza + " (executor.primary.\"" + stanza + "\".jdbc-url)");
        }
        try (Connection c = connect(primary);
                java.sql.PreparedStatement st = c.prepareStatement("SELECT p::text, pg_walfile_name(p),"
                        + " (SELECT timeline_id FROM pg_control_checkpoint()) FROM pg_create_restore_point(?) p")) {
            st.setString(1, name);
            RestorePoint point;
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                point = new RestorePoint(rs.getString(1), rs.getString(2), rs.getLong(3));
            }
            try (Statement sw = c.createStatement()) {
                sw.execute("SELECT pg_switch_wal()");
            }
            return point;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create restore point '" + name + "' on the primary of stanza "
                    + stanza + " [" + e.getSQLState() + "]: " + e.getMessage());
        }
    }

    /** Short timeouts: a hung primary must not hold a status report or a worker for long. */
    private static Connection connect(ExecutorConfig.Primary primary) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", primary.user());
        primary.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "pgbackup-executor");
        return DriverManager.getConnection(primary.jdbcUrl(), props);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
