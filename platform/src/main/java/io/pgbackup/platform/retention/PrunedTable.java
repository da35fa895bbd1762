package io.pgbackup.platform.retention;

/**
 * A table whose finished history is pruned once it is older than pgbackup.retention.history.
 * Services declare theirs as beans; names come from code, never from configuration or events.
 *
 * @param table the table
 * @param timeColumn the timestamptz column that dates a row
 * @param finished SQL condition a row must also meet to be pruned (e.g. only finished jobs), or "true"
 */
public record PrunedTable(String table, String timeColumn, String finished) {

    public static PrunedTable all(String table, String timeColumn) {
        return new PrunedTable(table, timeColumn, "true");
    }
}
