package io.pgbackup.executor.backup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.Answerer;
import io.pgbackup.events.BackupAccepted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupSkipped;
import io.pgbackup.events.BackupStarted;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.JobAcceptance;
import io.pgbackup.platform.outbox.Outbox;

/** Job state changes, each in one transaction with the event that reports it (outbox). */
@ApplicationScoped
public class BackupJobs {

    private final ExecutorConfig config;
    private final Outbox outbox;

    public BackupJobs(ExecutorConfig config, Outbox outbox) {
        this.config = config;
        this.outbox = outbox;
    }

    /**
     * Records the request and reports it: queued (BackupAccepted), or coalesced into an identical
     * request that waits and has not started (BackupSkipped, terminal), or nothing for a
     * redelivery.
     */
    @Transactional
    public JobAcceptance accept(BackupRequested request, AllowedStanza stanza, BackupType type) {
        BackupJob known = BackupJob.findById(request.requestId());
        if (known != null) {
            if (known.stanza.equals(stanza.name()) && known.backupType == type
                    && java.util.Objects.equals(known.requestedBy, request.requestedBy())) {
                return JobAcceptance.DUPLICATE;
            }
            // Its own event id, so the refusal is not taken for the first request's answer, and the
            // same one on every redelivery of this record.
            UUID eventId = EventIds.of(request.requestId(), "BackupFailed/conflict/" + stanza.name() + "/"
                    + type.wire() + "/" + request.requestedBy());
            outbox.publish(new BackupFailed(BackupEvent.SCHEMA_VERSION, eventId, request.requestId(), stanza.name(),
                    config.id(), Instant.now(), type.wire(), FailureCode.REQUEST_ID_CONFLICT.code(), null,
                    "request id " + request.requestId() + " was already used for a " + known.backupType.wire()
                            + " backup of stanza " + known.stanza + " (requested by "
                            + StanzaNames.printable(known.requestedBy) + "); this " + type.wire()
                            + " request with the same id is refused, not run: give each request its own id",
                    false, Answerer.EXECUTOR));
            return JobAcceptance.CONFLICT;
        }
        Optional<BackupJob> waiting = BackupJob
                .find("stanza = ?1 and backupType = ?2 and state = ?3 order by receivedAt",
                        stanza.name(), type, BackupJob.State.QUEUED)
                .firstResultOptional();
        if (waiting.isPresent()) {
            BackupJob skipped = newJob(request, stanza, type);
            skipped.state = BackupJob.State.DONE;
            skipped.finishedAt = Instant.now();
            skipped.outcome = "BackupSkipped";
            skipped.persist();
            outbox.publish(new BackupSkipped(BackupEvent.SCHEMA_VERSION,
                    EventIds.of(request.requestId(), "BackupSkipped"), request.requestId(), stanza.name(), config.id(),
                    Instant.now(), type, BackupSkipped.COALESCED, waiting.get().requestId));
            return JobAcceptance.COALESCED;
        }
        long ahead = BackupJob.countWaiting(stanza.name());
        BackupJob job = newJob(request, stanza, type);
        job.state = BackupJob.State.QUEUED;
        job.persist();
        outbox.publish(new BackupAccepted(BackupEvent.SCHEMA_VERSION, EventIds.of(job.requestId, "BackupAccepted"),
                job.requestId, job.stanza, config.id(), Instant.now(), job.backupType, (int) ahead));
        return JobAcceptance.QUEUED;
    }

    private static BackupJob newJob(BackupRequested request, AllowedStanza stanza, BackupType type) {
        BackupJob job = new BackupJob();
        job.requestId = request.requestId();
        job.stanza = stanza.name();
        job.backupType = type;
        job.requestedBy = request.requestedBy();
        job.receivedAt = Instant.now();
        return job;
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
        outbox.publish(new BackupStarted(BackupEvent.SCHEMA_VERSION, EventIds.of(requestId, "BackupStarted"), requestId,
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
        outbox.publish(terminal);
    }

    @Transactional
    public List<BackupJob> inState(BackupJob.State state) {
        return BackupJob.inState(state);
    }

    @Transactional
    public Optional<BackupJob> find(UUID requestId) {
        return BackupJob.findByIdOptional(requestId);
    }
}
