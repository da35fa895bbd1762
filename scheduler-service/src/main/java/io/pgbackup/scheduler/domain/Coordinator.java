package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.platform.outbox.Outbox;
import io.pgbackup.scheduler.persistence.TrackedRequest;

/**
 * Tracks requests from publication to claim; the database row is what survives a restart. Every
 * answer the coordinator gives is written to the outbox in the transaction that decides it and
 * recorded as the request's last event in the same transaction: nothing depends on reading its own
 * answer back from Kafka.
 */
@ApplicationScoped
public class Coordinator {

    /** The tracked kind of restore requests: {@code restore:<mode>}. */
    static final String RESTORE_KIND = "restore:";

    private final EntityManager em;
    private final Outbox outbox;

    public Coordinator(EntityManager em, Outbox outbox) {
        this.em = em;
        this.outbox = outbox;
    }

    /** A valid backup request was seen; waits for its claim unless an executor already claimed it. */
    @Transactional
    public void track(UUID requestId, String stanza, String backupType, Instant publishedAt) {
        insertPending(requestId, stanza, backupType, publishedAt);
    }

    /** A valid restore request was seen. */
    @Transactional
    public void trackRestore(UUID requestId, String stanza, RestoreMode mode, Instant publishedAt) {
        insertPending(requestId, stanza, RESTORE_KIND + mode.wire(), publishedAt);
    }

    private void insertPending(UUID requestId, String stanza, String kind, Instant publishedAt) {
        // ON CONFLICT: the executor's claim may have been recorded first, by the other consumer.
        em.createNativeQuery("INSERT INTO tracked_request (request_id, stanza, backup_type, state, published_at,"
                + " updated_at) VALUES (?1, ?2, ?3, 'PENDING', ?4, ?5) ON CONFLICT (request_id) DO NOTHING")
                .setParameter(1, requestId).setParameter(2, stanza).setParameter(3, kind).setParameter(4, publishedAt)
                .setParameter(5, Instant.now()).executeUpdate();
    }

    /** A request that must be refused (invalid): answered at once, once. */
    @Transactional
    public void refuse(BackupEvent answer) {
        int inserted = em.createNativeQuery("INSERT INTO tracked_request (request_id, stanza, state, updated_at)"
                + " VALUES (?1, ?2, 'ANSWERED', ?3) ON CONFLICT (request_id) DO NOTHING")
                .setParameter(1, answer.requestId()).setParameter(2, answer.stanza()).setParameter(3, Instant.now())
                .executeUpdate();
        if (inserted == 1) {
            answer(answer);
        }
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
     * late), for the request status API. Idempotent: the same event again changes nothing.
     */
    @Transactional
    public void remember(BackupEvent event, String json) {
        em.createNativeQuery("INSERT INTO tracked_request (request_id, stanza, state, updated_at, last_event_type,"
                + " last_event, finished) VALUES (?1, ?2, 'CLAIMED', ?3, ?4, ?5, ?6) ON CONFLICT (request_id) DO UPDATE"
                + " SET last_event_type = excluded.last_event_type, last_event = excluded.last_event,"
                + " finished = excluded.finished, updated_at = excluded.updated_at"
                + " WHERE excluded.finished OR NOT tracked_request.finished")
                .setParameter(1, event.requestId()).setParameter(2, event.stanza()).setParameter(3, Instant.now())
                .setParameter(4, event.type()).setParameter(5, json).setParameter(6, event.terminal())
                .executeUpdate();
    }

    @Transactional
    public Optional<TrackedRequest> find(UUID requestId) {
        return TrackedRequest.findByIdOptional(requestId);
    }

    /**
     * Answers every request still unclaimed at {@code deadline} with NO_EXECUTOR, in one
     * transaction: the state change (re-checked under the row lock, so a claim committed meanwhile
     * wins) and the answers in the outbox commit together.
     */
    @Transactional
    public List<BackupEvent> answerUnclaimed(Instant deadline, long claimTimeoutSeconds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("UPDATE tracked_request SET state = 'ANSWERED', updated_at = ?1"
                + " WHERE state = 'PENDING' AND published_at < ?2 RETURNING request_id, stanza, backup_type")
                .setParameter(1, Instant.now()).setParameter(2, deadline).getResultList();
        return rows.stream().map(row -> {
            UUID requestId = (UUID) row[0];
            String stanza = (String) row[1];
            String kind = (String) row[2];
            String reason = "no executor serves stanza " + stanza + ": no executor accepted the request within "
                    + claimTimeoutSeconds + " s; check that the executor of this stanza's host is running and lists"
                    + " the stanza in executor.stanzas";
            BackupEvent answer = kind != null && kind.startsWith(RESTORE_KIND)
                    ? RestoreFailed.byCoordinator(requestId, stanza,
                            RestoreMode.fromWire(kind.substring(RESTORE_KIND.length())).orElse(null), null,
                            FailureCode.NO_EXECUTOR.code(), reason)
                    : BackupFailed.byCoordinator(requestId, stanza, kind, FailureCode.NO_EXECUTOR.code(), reason,
                            FailureCode.NO_EXECUTOR.retryable());
            answer(answer);
            return answer;
        }).toList();
    }

    private void answer(BackupEvent answer) {
        outbox.publish(answer);
        remember(answer, EventCodec.encode(answer));
    }

    /** The coordinator's answer to an invalid backup request. */
    public static BackupFailed refusal(io.pgbackup.events.BackupRequested request, FailureCode code, String reason) {
        return BackupFailed.byCoordinator(request.requestId(), StanzaNames.printable(request.stanza()),
                StanzaNames.printable(request.backupType()), code.code(), reason, code.retryable());
    }

    /** The coordinator's answer to an invalid restore request. */
    public static RestoreFailed refusal(io.pgbackup.events.RestoreRequested r, FailureCode code, String reason) {
        RestoreTarget target = r.target() == null
                ? null
                : new RestoreTarget(r.target().kind(),
                        r.target().value() == null ? null : StanzaNames.printable(r.target().value()));
        return RestoreFailed.byCoordinator(r.requestId(), StanzaNames.printable(r.stanza()), r.mode(), target,
                code.code(), reason);
    }
}
