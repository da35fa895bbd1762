package io.pgbackup.executor.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.persistence.RestoreJob;

/** Restore job state, each change in one transaction with the event that reports it. */
@ApplicationScoped
public class RestoreJobs {

    private final BackupJobs outbox;

    public RestoreJobs(BackupJobs outbox) {
        this.outbox = outbox;
    }

    /** False when this request id was seen before. */
    @Transactional
    public boolean accept(UUID requestId, String stanza, String requestJson, BackupEvent started) {
        if (RestoreJob.findById(requestId) != null) {
            return false;
        }
        RestoreJob job = new RestoreJob();
        job.requestId = requestId;
        job.stanza = stanza;
        job.request = requestJson;
        job.state = BackupJob.State.QUEUED;
        job.receivedAt = Instant.now();
        job.persist();
        outbox.publishEvent(started);
        return true;
    }

    @Transactional
    public void finish(UUID requestId, BackupEvent terminal) {
        RestoreJob job = RestoreJob.findById(requestId);
        if (job == null || job.state == BackupJob.State.DONE) {
            return;
        }
        job.state = BackupJob.State.DONE;
        job.finishedAt = Instant.now();
        job.outcome = terminal.type();
        outbox.publishEvent(terminal);
    }

    @Transactional
    public List<RestoreJob> unfinished() {
        return RestoreJob.list("state <> ?1 order by receivedAt", BackupJob.State.DONE);
    }
}
