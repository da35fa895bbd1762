package io.pgbackup.scheduler.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A valid request the coordinator waits on until an executor claims it or the claim times out. */
@Entity
@Table(name = "tracked_request")
public class TrackedRequest extends PanacheEntityBase {

    public enum State {
        /** Published, no executor has claimed it yet. */
        PENDING,
        /** An executor accepted it; the executor owns the terminal answer. */
        CLAIMED,
        /** The coordinator answered it: refused as invalid, or NO_EXECUTOR when nobody claimed it. */
        ANSWERED
    }

    @Id
    @Column(name = "request_id")
    public UUID requestId;

    public String stanza;

    @Column(name = "backup_type")
    public String backupType;

    @Enumerated(EnumType.STRING)
    public State state;

    /** The Kafka record's timestamp: executors measure staleness from the same instant. */
    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "last_event_type")
    public String lastEventType;

    /** The latest event about the request, as published (JSON). */
    @Column(name = "last_event")
    public String lastEvent;

    /** Whether the last event ended the request (BackupEvent.terminal()). */
    public boolean finished;

}
