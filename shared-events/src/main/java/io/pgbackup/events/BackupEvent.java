package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Every record on {@code backup.requests}, {@code restore.requests} and {@code backup.events}. The
 * JSON property {@code type} carries the record's simple name; {@code schemaVersion} lets consumers
 * tell compatible additions (same version, new optional fields) from breaking changes (a new
 * version).
 *
 * <p>
 * The {@code permits} list is the one list of event types: the codec derives the Jackson subtypes
 * and the set of known types from it, so adding a type means adding its record here.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public sealed interface BackupEvent permits BackupRequested, BackupAccepted, BackupStarted, BackupCompleted,
        BackupFailed, BackupSkipped, MaintenanceCompleted, MaintenanceFailed, RestoreRequested, RestoreStarted,
        RestoreCompleted, RestoreFailed, RestorePointCreated, RestoreProgress {

    /** The schema version this code writes. */
    int SCHEMA_VERSION = 1;

    int schemaVersion();

    UUID requestId();

    /**
     * Unique per event and stable across re-sends; requests, which carry none on the wire, get
     * one derived from their request id.
     */
    default UUID eventId() {
        return EventIds.of(requestId(), type());
    }

    String stanza();

    /** The executor that produced the event; null for requests and for the coordinator's answers. */
    default String executorId() {
        return null;
    }

    /** When the producer created the event. */
    Instant occurredAt();

    /** Where the event stands in the life of its request. */
    EventCategory category();

    /** Backup, restore or maintenance. */
    Subject subject();

    /**
     * What the event is about within its subject, as on the wire: the backup type, the restore mode
     * or the maintenance task ("full", "test", "verify"); null when the request did not say a valid one.
     */
    String detail();

    /** True for events about a backup or restore request, false for maintenance runs. */
    default boolean aboutRequest() {
        return subject() != Subject.MAINTENANCE;
    }

    /** True for the events that end a request: exactly one of them is published per request. */
    default boolean terminal() {
        return category().terminal();
    }

    /** The discriminator written as {@code type}. */
    default String type() {
        return getClass().getSimpleName();
    }
}
