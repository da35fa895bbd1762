package io.pgbackup.executor.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupAccepted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupStarted;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.persistence.OutboxEvent;

/** Job state changes, each in one transaction with the event that reports it (outbox). */
@ApplicationScoped
public class BackupJobs {

    private final ExecutorConfig config;

    public BackupJobs(ExecutorConfig config) {
        this.config = config;
    }

    /**
     * Records the request as queued and reports {@code BackupAccepted}. Empty when this request id
     * was seen before (a redelivery): nothing is queued or published twice.
     */
    @Transactional
    public Optional<BackupJob> accept(BackupRequested request, AllowedStanza stanza, BackupType type) {
        if (BackupJob.findById(request.requestId()) != null) {
            return Optional.empty();
        }
        long ahead = BackupJob.countWaiting(stanza.name());
        BackupJob job = new BackupJob();
        job.requestId = request.requestId();
        job.stanza = stanza.name();
        job.backupType = type.wire();
        job.requestedBy = request.requestedBy();
        job.state = BackupJob.State.QUEUED;
        job.receivedAt = Instant.now();
        job.persist();
        publish(new BackupAccepted(BackupEvent.SCHEMA_VERSION, EventIds.of(job.requestId, "BackupAccepted"),
                job.requestId, job.stanza, config.id(), Instant.now(), job.backupType, (int) ahead));
        return Optional.of(job);
    }

    /** QUEUED to RUNNING with {@code BackupStarted}; false if the job is not queued any more. */
    @Transactional
    public boolean start(UUID requestId) {
        BackupJob job = BackupJob.findById(requestId);
        if (job == null || job.state != BackupJob.State.QUEUED) {
            return false;
        }
        job.state = BackupJob.State.RUNNING;
        job.startedAt = Instant.now();
        publish(new BackupStarted(BackupEvent.SCHEMA_VERSION, EventIds.of(requestId, "BackupStarted"), requestId,
                job.stanza, config.id(), job.startedAt, job.backupType));
        return true;
    }

    /** RUNNING to DONE with its terminal event. */
    @Transactional
    public void finish(UUID requestId, BackupEvent terminal) {
        BackupJob job = BackupJob.findById(requestId);
        if (job == null || job.state == BackupJob.State.DONE) {
            return;
        }
        job.state = BackupJob.State.DONE;
        job.finishedAt = Instant.now();
        job.outcome = terminal.type();
        publish(terminal);
    }

    @Transactional
    public List<BackupJob> inState(BackupJob.State state) {
        return BackupJob.inState(state);
    }

    @Transactional
    public Optional<BackupJob> find(UUID requestId) {
        return BackupJob.findByIdOptional(requestId);
    }

    private static void publish(BackupEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.recordKey = event.stanza();
        row.payload = EventCodec.encode(event);
        row.createdAt = Instant.now();
        row.persist();
    }
}
