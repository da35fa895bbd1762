package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupRequested;
import io.pgbackup.scheduler.persistence.TrackedRequest;

/** Tracks requests from publication to claim; the database row is what survives a restart. */
@ApplicationScoped
public class Coordinator {

    /** A valid request was seen; starts waiting for its claim unless an executor already claimed it. */
    @Transactional
    public void track(BackupRequested request, Instant publishedAt) {
        if (TrackedRequest.findById(request.requestId()) != null) {
            return;
        }
        TrackedRequest row = new TrackedRequest();
        row.requestId = request.requestId();
        row.stanza = request.stanza();
        row.backupType = request.backupType();
        row.state = TrackedRequest.State.PENDING;
        row.publishedAt = publishedAt;
        row.updatedAt = Instant.now();
        row.persist();
    }

    /** An executor spoke about the request: from now on it owns the answer. */
    @Transactional
    public void claimed(UUID requestId, String stanza, String executorId) {
        TrackedRequest row = TrackedRequest.findById(requestId);
        if (row == null) {
            row = new TrackedRequest();
            row.requestId = requestId;
            row.stanza = stanza;
            row.persist();
        } else if (row.state != TrackedRequest.State.PENDING) {
            return;
        }
        row.state = TrackedRequest.State.CLAIMED;
        row.claimedBy = executorId;
        row.updatedAt = Instant.now();
    }

    /**
     * Requests past the deadline become ANSWERED in one transaction, before anything is sent, so
     * a claim arriving later cannot produce a second terminal event from this side.
     */
    @Transactional
    public java.util.List<TrackedRequest> expireUnclaimed(Instant deadline) {
        for (TrackedRequest row : TrackedRequest.unclaimedBefore(deadline)) {
            row.state = TrackedRequest.State.ANSWERED;
            row.updatedAt = Instant.now();
        }
        return TrackedRequest.answersToSend();
    }

    @Transactional
    public void answerSent(UUID requestId) {
        TrackedRequest row = TrackedRequest.findById(requestId);
        row.answerSent = true;
        row.updatedAt = Instant.now();
    }
}
