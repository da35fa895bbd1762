package io.pgbackup.executor.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pgbackup.events.BackupType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A request this executor accepted. The row is written before the Kafka record is acknowledged,
 * so the record is never held while pgbackrest runs, and its primary key makes a redelivered
 * request a no-op.
 */
@Entity
@Table(name = "backup_job")
public class BackupJob extends PanacheEntityBase {

    public enum State {
        QUEUED,
        RUNNING,
        DONE
    }

    @Id
    @Column(name = "request_id")
    public UUID requestId;

    public String stanza;

    @Column(name = "backup_type")
    public BackupType backupType;

    @Column(name = "requested_by")
    public String requestedBy;

    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** BackupCompleted or BackupFailed, once DONE. */
    public String outcome;

    public static long countWaiting(String stanza) {
        return count("stanza = ?1 and state in (?2, ?3)", stanza, State.QUEUED, State.RUNNING);
    }

    public static List<BackupJob> inState(State state) {
        return list("state = ?1 order by receivedAt", state);
    }
}
