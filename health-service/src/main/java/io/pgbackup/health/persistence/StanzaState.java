package io.pgbackup.health.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.MaintenanceTask;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What the health rules need per stanza, updated in the transaction that stores the event. */
@Entity
@Table(name = "stanza_state")
public class StanzaState extends PanacheEntityBase {

    @Id
    public String stanza;

    @Column(name = "first_seen_at")
    public Instant firstSeenAt;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "last_success_label")
    public String lastSuccessLabel;

    @Column(name = "last_success_type")
    public BackupType lastSuccessType;

    @Column(name = "last_success_duration_seconds")
    public Double lastSuccessDurationSeconds;

    @Column(name = "last_success_repo_size")
    public Long lastSuccessRepoSize;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_attempt_request_id")
    public UUID lastAttemptRequestId;

    /** BackupCompleted or BackupFailed. */
    @Column(name = "last_outcome")
    public String lastOutcome;

    @Column(name = "last_error_code")
    public String lastErrorCode;

    @Column(name = "last_error_reason")
    public String lastErrorReason;

    @Column(name = "last_executor_id")
    public String lastExecutorId;

    @Column(name = "last_drill_at")
    public Instant lastDrillAt;

    /** RestoreCompleted or RestoreFailed of the latest test restore. */
    @Column(name = "last_drill_outcome")
    public String lastDrillOutcome;

    @Column(name = "last_drill_rto_seconds")
    public Double lastDrillRtoSeconds;

    @Column(name = "last_drill_reason")
    public String lastDrillReason;

    /** The executor that reported for this stanza before the current one (see duplicateSeenAt). */
    @Column(name = "other_executor_id")
    public String otherExecutorId;

    @Column(name = "other_executor_seen_at")
    public Instant otherExecutorSeenAt;

    /** When two executors were last seen reporting for this stanza at once (their reports alternate). */
    @Column(name = "duplicate_seen_at")
    public Instant duplicateSeenAt;

    @Column(name = "last_full_at")
    public Instant lastFullAt;

    @Column(name = "last_diff_at")
    public Instant lastDiffAt;

    @Column(name = "last_incr_at")
    public Instant lastIncrAt;

    /** The maintenance task whose latest run failed; null otherwise. */
    @Column(name = "last_maintenance_failed_task")
    public MaintenanceTask lastMaintenanceFailedTask;

    @Column(name = "last_maintenance_reason")
    public String lastMaintenanceReason;

    /** The newest successful backup of one type, or null. */
    public Instant lastSuccessOf(BackupType type) {
        return switch (type) {
            case FULL -> lastFullAt;
            case DIFF -> lastDiffAt;
            case INCR -> lastIncrAt;
        };
    }

    /** The newest successful backup of {@code type} or a stronger one, or null. */
    public Instant newestAtLeast(BackupType type) {
        return type.satisfiedBy().stream().map(this::lastSuccessOf).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }

    /** A stanza seen for the first time now (configured, reported or backed up), stored. */
    public static StanzaState firstSeen(String stanza) {
        StanzaState state = new StanzaState();
        state.stanza = stanza;
        state.firstSeenAt = Instant.now();
        state.persist();
        return state;
    }

    /** The status last published on backup.health; null before the first publication. */
    @Column(name = "published_status")
    public HealthStatus publishedStatus;
}
