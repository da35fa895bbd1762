package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Every record on {@code backup.requests} and {@code backup.events}. The JSON property {@code type}
 * carries the record's simple name; {@code schemaVersion} lets consumers tell compatible
 * additions (same version, new optional fields) from breaking changes (a new version).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BackupRequested.class, name = "BackupRequested"),
        @JsonSubTypes.Type(value = BackupAccepted.class, name = "BackupAccepted"),
        @JsonSubTypes.Type(value = BackupStarted.class, name = "BackupStarted"),
        @JsonSubTypes.Type(value = BackupCompleted.class, name = "BackupCompleted"),
        @JsonSubTypes.Type(value = BackupFailed.class, name = "BackupFailed"),
        @JsonSubTypes.Type(value = BackupSkipped.class, name = "BackupSkipped"),
        @JsonSubTypes.Type(value = MaintenanceCompleted.class, name = "MaintenanceCompleted"),
        @JsonSubTypes.Type(value = MaintenanceFailed.class, name = "MaintenanceFailed"),
        @JsonSubTypes.Type(value = RestoreRequested.class, name = "RestoreRequested"),
        @JsonSubTypes.Type(value = RestoreStarted.class, name = "RestoreStarted"),
        @JsonSubTypes.Type(value = RestoreCompleted.class, name = "RestoreCompleted"),
        @JsonSubTypes.Type(value = RestoreFailed.class, name = "RestoreFailed")
})
public sealed interface BackupEvent permits BackupRequested, BackupAccepted, BackupStarted, BackupCompleted,
        BackupFailed, BackupSkipped, MaintenanceCompleted, MaintenanceFailed, RestoreRequested, RestoreStarted,
        RestoreCompleted, RestoreFailed {

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

    /** True for events about a backup or restore request, false for maintenance runs. */
    default boolean aboutRequest() {
        return !type().startsWith("Maintenance");
    }

    /** True for the events that end a request: exactly one of them is published per request. */
    default boolean terminal() {
        return false;
    }

    /** The discriminator written as {@code type}. */
    default String type() {
        return getClass().getSimpleName();
    }
}
