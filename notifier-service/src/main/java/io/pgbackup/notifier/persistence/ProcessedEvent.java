package io.pgbackup.notifier.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Written in the transaction that handles the event: a redelivered event is seen and skipped. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "received_at")
    public Instant receivedAt;

    /** True the first time; false when this event was handled before. */
    public static boolean firstTime(UUID eventId) {
        if (findById(eventId) != null) {
            return false;
        }
        ProcessedEvent e = new ProcessedEvent();
        e.eventId = eventId;
        e.receivedAt = Instant.now();
        e.persist();
        return true;
    }
}
