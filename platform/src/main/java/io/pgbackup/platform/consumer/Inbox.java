package io.pgbackup.platform.consumer;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Idempotent consumers: the processed event id is recorded in the transaction that does the
 * work, so a redelivered record (after a crash, a rebalance or a retry) changes nothing.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;

    public Inbox(EntityManager em) {
        this.em = em;
    }

    /**
     * True the first time {@code consumer} sees {@code eventId}; false when it was processed
     * before. Must run in the transaction that does the work.
     */
    @Transactional(TxType.MANDATORY)
    public boolean firstTime(String consumer, UUID eventId) {
        return em.createNativeQuery("INSERT INTO processed_event (consumer, event_id, processed_at)"
                + " VALUES (?1, ?2, now()) ON CONFLICT DO NOTHING").setParameter(1, consumer).setParameter(2, eventId)
                .executeUpdate() == 1;
    }
}
