package io.pgbackup.events;

/**
 * Where a restore stops. {@code kind}: latest (end of the archived WAL), set (a backup label, stops
 * at that backup), time (an ISO-8601 time with a zone offset), lsn, xid, or name (a restore point).
 */
public record RestoreTarget(String kind, String value) {
}
