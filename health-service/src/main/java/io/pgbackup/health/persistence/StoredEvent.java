package io.pgbackup.health.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Every event of backup.events, once (keyed by event id): the audit trail. */
@Entity
@Table(name = "stored_event")
public class StoredEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "request_id")
    public UUID requestId;

    public String stanza;

    public String type;

    @Column(name = "executor_id")
    public String executorId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "received_at")
    public Instant receivedAt;

    public String payload;

    /** Stores a record received now. */
    public static void store(UUID eventId, UUID requestId, String stanza, String type, String executorId,
            Instant occurredAt, String payload) {
        StoredEvent stored = new StoredEvent();
        stored.eventId = eventId;
        stored.requestId = requestId;
        stored.stanza = stanza;
        stored.type = type;
        stored.executorId = executorId;
        stored.occurredAt = occurredAt;
        stored.receivedAt = Instant.now();
        stored.payload = payload;
        stored.persist();
    }
}
