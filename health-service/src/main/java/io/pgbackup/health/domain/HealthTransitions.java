package io.pgbackup.health.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.StanzaHealthChanged;
import io.pgbackup.health.persistence.StanzaPlan;
import io.pgbackup.health.persistence.StanzaReport;
import io.pgbackup.health.persistence.StanzaState;
import io.pgbackup.platform.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes each stanza's status transitions on backup.health. Evaluated in the transaction that
 * stores an event (so the change and its announcement commit together) and every 30 s for the
 * rules that change with time alone (a backup growing too old).
 */
@ApplicationScoped
public class HealthTransitions {

    private final HealthPolicy policy;
    private final EntityManager em;
    private final Outbox outbox;

    public HealthTransitions(HealthPolicy policy, EntityManager em, Outbox outbox) {
        this.policy = policy;
        this.em = em;
        this.outbox = outbox;
    }

    @Scheduled(every = "${health.evaluate-every:30s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void periodically() {
        lock();
        evaluate(Instant.now());
    }

    /**
     * Serialises every writer of stanza state (event ingestion and the periodic sweep) until the
     * transaction ends. Without it the sweep could publish a transition computed from a state an
     * event has just replaced, and Hibernate would write that stale row back.
     */
    public void lock() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(7340021)").getSingleResult();
    }

    /** Must run inside a transaction. */
    public void evaluate(Instant now) {
        List<StanzaState> all = StanzaState.listAll();
        all.forEach(state -> evaluate(state, now));
    }

    /** The one stanza an event changed. Must run inside a transaction. */
    public void evaluate(String stanza, Instant now) {
        StanzaState.<StanzaState>findByIdOptional(stanza).ifPresent(state -> evaluate(state, now));
    }

    private void evaluate(StanzaState state, Instant now) {
        StanzaReport report = StanzaReport.findById(state.stanza);
        StanzaPlan plan = StanzaPlan.findById(state.stanza);
        HealthRules.StanzaHealth health = HealthRules.evaluate(new HealthRules.Observed(state,
                report == null ? null : report.report(), plan == null ? null : plan.plan()), now, policy.get());
        if (health.status() == state.publishedStatus) {
            return;
        }
        StanzaHealthChanged change = new StanzaHealthChanged(BackupEvent.SCHEMA_VERSION, UUID.randomUUID(),
                state.stanza, now, state.publishedStatus, health.status(), health.messages().stream()
                        .map(m -> new StanzaHealthChanged.Reason(m.code(), m.severity(), m.message())).toList());
        state.publishedStatus = health.status();
        outbox.publish(change);
    }
}
