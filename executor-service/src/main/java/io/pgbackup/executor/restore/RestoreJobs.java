package io.pgbackup.executor.restore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.executor.persistence.BackupJob;
import io.pgbackup.executor.persistence.RestoreJob;
import io.pgbackup.executor.stanza.JobAcceptance;
import io.pgbackup.platform.outbox.Outbox;

/** Restore job state, each change in one transaction with the event that reports it. */
@ApplicationScoped
public class RestoreJobs {

    private final Outbox outbox;

    public RestoreJobs(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Records the request. At most one drill per stanza waits: drills asked for while one waits
     * prove nothing more, and a pile of them would hold the stanza's worker for hours.
     *
     * @param coalescedInto the answer to a drill coalesced into the waiting one (given its request id)
     * @param conflicting the answer to a request reusing a known id with other content (given the known one)
     */
    @Transactional
    public JobAcceptance accept(RestoreRequests.Valid valid, String requestJson, BackupEvent started,
            Function<UUID, BackupEvent> coalescedInto, Function<RestoreRequested, BackupEvent> conflicting) {
        UUID requestId = valid.request().requestId();
        RestoreJob known = RestoreJob.findById(requestId);
        if (known != null) {
            RestoreRequested before = RestoreRequests.read(known.request,
                    Instant.now()) instanceof RestoreRequests.Valid k
                            ? k.request()
                            : null;
            if (known.request.equals(requestJson) || valid.request().equals(before)) {
                return JobAcceptance.DUPLICATE;
            }
            outbox.publish(conflicting.apply(before));
            return JobAcceptance.CONFLICT;
        }
        RestoreJob job = new RestoreJob();
        job.requestId = requestId;
        job.stanza = valid.request().stanza();
        job.request = requestJson;
        job.receivedAt = Instant.now();
        Optional<UUID> waiting = valid.mode() == RestoreMode.TEST ? waitingDrill(job.stanza) : Optional.empty();
        if (waiting.isPresent()) {
            BackupEvent answer = coalescedInto.apply(waiting.get());
            job.state = BackupJob.State.DONE;
            job.finishedAt = job.receivedAt;
            job.outcome = answer.type();
            job.persist();
            outbox.publish(answer);
            return JobAcceptance.COALESCED;
        }
        job.state = BackupJob.State.QUEUED;
        job.persist();
        outbox.publish(started);
        return JobAcceptance.QUEUED;
    }

    private static Optional<UUID> waitingDrill(String stanza) {
        return RestoreJob.<RestoreJob>list("stanza = ?1 and state = ?2 order by receivedAt", stanza,
                BackupJob.State.QUEUED).stream()
                .filter(j -> RestoreRequests.read(j.request, Instant.now()) instanceof RestoreRequests.Valid v
                        && v.mode() == RestoreMode.TEST)
                .map(j -> j.requestId).findFirst();
    }

    /** The worker took the job: from now on it is running, not waiting. */
    @Transactional
    public void start(UUID requestId) {
        RestoreJob job = RestoreJob.findById(requestId);
        if (job != null && job.state == BackupJob.State.QUEUED) {
            job.state = BackupJob.State.RUNNING;
        }
    }

    /** A step of a running restore, published as it happens (the stanza's history keeps it). */
    @Transactional
    public void progress(BackupEvent step) {
        outbox.publish(step);
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
        outbox.publish(terminal);
    }

    @Transactional
    public List<RestoreJob> unfinished() {
        return RestoreJob.list("state <> ?1 order by receivedAt", BackupJob.State.DONE);
    }
}
