package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupRequested;
import io.pgbackup.scheduler.persistence.TrackedRequest;

/** Tracks requests from publication to claim; the database row is what survives a restart. */
@ApplicationScoped
public class Coordinator {

    private final EntityManager em;

    public Coordinator(EntityManager em) {
        this.em = em;
    }

    /** A valid request was seen; starts waiting for its claim unless an executor already claimed it. */
    @Transactional
    public void track(BackupRequested request, Instant publishedAt) {
        track(request.requestId(), request.stanza(), request.backupType(), publishedAt);
    }

    /** @param kind the backup type, or restore:MODE for restores */
    @Transactional
    public void track(UUID requestId, String stanza, String kind, Instant publishedAt) {
        // ON CONFLICT: the executor's claim may have been recorded first, by the other consumer.
        em.createNativeQuery("INSERT INTO tracked_request (request_id, stanza, backup_type, state, published_at,"
                + " updated_at) VALUES (?1, ?2, ?3, 'PENDING', ?4, ?5) ON CONFLICT (request_id) DO NOTHING")
                .setParameter(1, requestId).setParameter(2, stanza).setParameter(3, kind).setParameter(4, publishedAt)
                .setParameter(5, Instant.now()).executeUpdate();
    }

    /** An executor spoke about the request: from now on it owns the answer. */
    @Transactional
    public void claimed(UUID requestId, String stanza, String executorId) {
        em.createNativeQuery("INSERT INTO tracked_request (request_id, stanza, state, claimed_by, updated_at)"
                + " VALUES (?1, ?2, 'CLAIMED', ?3, ?4) ON CONFLICT (request_id) DO UPDATE SET state = 'CLAIMED',"
                + " claimed_by = excluded.claimed_by, updated_at = excluded.updated_at"
                + " WHERE tracked_request.state = 'PENDING'")
                .setParameter(1, requestId).setParameter(2, stanza).setParameter(3, executorId)
                .setParameter(4, Instant.now()).executeUpdate();
    }

    /**
     * Keeps the latest event about a request (terminal events win over earlier ones arriving
     * late), for the request status API.
     */
    @Transactional
    public void remember(UUID requestId, String stanza, String type, String json, boolean terminal) {
        em.createNativeQuery("INSERT INTO tracked_request (request_id, stanza, state, updated_at, last_event_type,"
                + " last_event, finished) VALUES (?1, ?2, 'CLAIMED', ?3, ?4, ?5, ?6) ON CONFLICT (request_id) DO UPDATE"
                + " SET last_event_type = excluded.last_event_type, last_event = excluded.last_event,"
                + " finished = excluded.finished WHERE excluded.finished OR NOT tracked_request.finished")
                .setParameter(1, requestId).setParameter(2, stanza).setParameter(3, Instant.now())
                .setParameter(4, type).setParameter(5, json).setParameter(6, terminal).executeUpdate();
    }

    @Transactional
    public java.util.Optional<TrackedRequest> find(UUID requestId) {
        return TrackedRequest.findByIdOptional(requestId);
    }

    /**
     * Requests past the deadline become ANSWERED in one transaction, before anything is sent, so
     * a claim arriving later cannot produce a second terminal event from this side.
     */
    @Transactional
    public java.util.List<TrackedRequest> expireUnclaimed(Instant deadline) {
        // One statement, re-checking PENDING under the row lock: a claim committed meanwhile wins.
        em.createNativeQuery("UPDATE tracked_request SET state = 'ANSWERED', updated_at = ?1"
                + " WHERE state = 'PENDING' AND published_at < ?2").setParameter(1, Instant.now())
                .setParameter(2, deadline).executeUpdate();
        return TrackedRequest.answersToSend();
    }

    /**
     * A native update of the two columns only: loading the entity and letting Hibernate write the
     * whole row back would erase an event that remember() stored in between, which is exactly
     * when our own answer comes back from backup.events.
     */
    @Transactional
    public void answerSent(UUID requestId) {
        em.createNativeQuery("UPDATE tracked_request SET answer_sent = true, updated_at = ?2 WHERE request_id = ?1")
                .setParameter(1, requestId).setParameter(2, Instant.now()).executeUpdate();
    }
}
