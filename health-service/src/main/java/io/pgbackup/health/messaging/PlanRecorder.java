package io.pgbackup.health.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.Channels;
import io.pgbackup.events.Decoded;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthTransitions;
import io.pgbackup.health.persistence.StanzaPlan;
import io.pgbackup.health.persistence.StanzaState;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The scheduler's plan of each stanza (backup.schedules, compacted, key = stanza): what the
 * schedule rules check against, so a schedule changed on the scheduler alone changes what is
 * expected here. A tombstone removes the stanza's plan. This service owns the topic's dead-letter
 * queue.
 */
@ApplicationScoped
public class PlanRecorder {

    private final HealthTransitions transitions;
    private final FleetView view;
    private final ConsumerPolicy policy;

    public PlanRecorder(HealthTransitions transitions, FleetView view, ConsumerPolicy policy) {
        this.transitions = transitions;
        this.view = view;
        this.policy = policy;
    }

    @Incoming(Channels.SCHEDULES_IN)
    @Blocking
    public CompletionStage<Void> onPlan(Message<String> message) {
        return policy.consume(message, PlanRecorder::read, ConsumerPolicy.Unreadable.DEAD_LETTER, (plan, record) -> {
            String stanza = plan.map(SchedulePlan::stanza).orElse(record.key());
            if (stanza == null || !StanzaNames.isValid(stanza)) {
                return;
            }
            if (QuarkusTransaction.requiringNew().call(() -> store(stanza, plan, record.payload()))) {
                view.reload(stanza);
            }
        });
    }

    /** A tombstone (null value) is the scheduler withdrawing a stanza's plan: read as empty. */
    static Decoded<Optional<SchedulePlan>> read(String payload) {
        if (payload == null) {
            return Decoded.ok(Optional.empty());
        }
        Decoded<SchedulePlan> decoded = EventCodec.readPlan(payload);
        if (decoded instanceof Decoded.Ok<SchedulePlan> ok) {
            return StanzaNames.isValid(ok.value().stanza())
                    ? Decoded.ok(Optional.of(ok.value()))
                    : Decoded.poison(StanzaNames.problem(ok.value().stanza()).orElseThrow());
        }
        return Decoded.poison(((Decoded.Poison<SchedulePlan>) decoded).reason());
    }

    private boolean store(String stanza, Optional<SchedulePlan> plan, String payload) {
        transitions.lock();
        StanzaPlan row = StanzaPlan.findById(stanza);
        if (plan.isEmpty()) {
            if (row == null) {
                return false;
            }
            row.delete();
        } else {
            if (row != null && plan.get().occurredAt().isBefore(row.occurredAt)) {
                return false;
            }
            if (row == null) {
                row = new StanzaPlan();
                row.stanza = stanza;
                row.occurredAt = plan.get().occurredAt();
                row.payload = payload;
                row.persist();
            } else {
                row.occurredAt = plan.get().occurredAt();
                row.payload = payload;
            }
            if (StanzaState.findById(stanza) == null) {
                StanzaState.firstSeen(stanza);
            }
        }
        transitions.evaluate(stanza, Instant.now());
        return true;
    }
}
