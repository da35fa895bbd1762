package io.pgbackup.executor.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A restore request this executor accepted (the request JSON as received, already validated). */
@Entity
@Table(name = "restore_job")
public class RestoreJob extends PanacheEntityBase {

    @Id
    @Column(name = "request_id")
    public UUID requestId;

    public String stanza;

    public String request;

    @Enumerated(EnumType.STRING)
    public BackupJob.State state;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String outcome;
}
