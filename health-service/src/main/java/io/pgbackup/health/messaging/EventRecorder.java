package io.pgbackup.health.messaging;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.pgbackup.events.Answerer;
import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.Channels;
import io.pgbackup.events.Decoded;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.MaintenanceCompleted;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.MaintenanceTask;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.config.HealthConfig;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthTransitions;
import io.pgbackup.health.domain.StanzaAdmission;
import io.pgbackup.health.persistence.StanzaState;
import io.pgbackup.health.persistence.StoredEvent;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * Stores each event of backup.events once and updates the stanza's state in the same
 * transaction, so a redelivered event changes nothing; then refreshes the in-memory view. This
 * service owns backup.events' dead-letter queue: the audit trail is where a record that cannot
 * be read is noticed.
 */
@ApplicationScoped
public class EventRecorder {

    private final HealthConfig config;
    private final HealthTransitions transitions;
    private final FleetView view;
    private final ConsumerPolicy policy;
    private final StanzaAdmission admission;

    public EventRecorder(HealthConfig config, HealthTransitions transitions, FleetView view, ConsumerPolicy policy,
            StanzaAdmission admission) {
        this.admission = admission;
        this.config = config;
        this.transitions = transitions;
        this.view = view;
        this.policy = policy;
    }

    private Decoded<BackupEvent> read(String payload) {
        return EventCodec.notDatedAhead(EventCodec.readEvent(payload), BackupEvent::occurredAt, Instant.now(),
                config.maxClockAhead());
    }

    /**
     * One transaction per polled batch (backup-events-in is a batch channel): a backlog of
     * thousands of events is stored in seconds, and each event is still stored once.
     */
    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public CompletionStage<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        return policy.consumeBatch(batch, this::read, ConsumerPolicy.Unreadable.DEAD_LETTER, items -> {
            Set<String> changed = QuarkusTransaction.requiringNew().call(() -> {
                transitions.lock();
                Set<String> stanzas = new LinkedHashSet<>();
                for (ConsumerPolicy.Item<BackupEvent> item : items) {
                    String stanza = record(item.value(), item.record().payload());
                    if (stanza != null) {
                        stanzas.add(stanza);
                    }
                }
                // Once per stanza and batch: the transition published is to the batch's final state.
                Instant now = Instant.now();
                stanzas.forEach(stanza -> transitions.evaluate(stanza, now));
                return stanzas;
            });
            changed.forEach(view::reload);
        });
    }

    /**
     * Must run in a transaction holding the transitions lock. Returns the stanza whose state
     * changed, or null.
     */
    String record(BackupEvent event, String payload) {
        if (StoredEvent.findById(event.eventId()) != null) {
            return null;
        }
        StoredEvent.store(event.eventId(), event.requestId(), StanzaNames.printable(event.stanza()), event.type(),
                event.executorId(), event.occurredAt(), payload);
        // A skipped (coalesced) request says nothing about the stanza: the request it was
        // coalesced into brings the outcome. A restore point says nothing about the backups.
        if (event instanceof BackupCompleted || event instanceof BackupFailed) {
            applyTerminal(event);
        } else if (event instanceof RestoreCompleted c && c.mode() == RestoreMode.TEST) {
            applyDrill(c.stanza(), c.occurredAt(), c.type(), c.rtoSeconds(), null);
        } else if (event instanceof RestoreFailed f && f.isFailedDrill()) {
            applyDrill(f.stanza(), f.occurredAt(), f.type(), null, "[" + f.errorCode() + "] " + f.reason());
        } else if (event instanceof MaintenanceFailed f) {
            applyMaintenance(f.stanza(), f.task(), false, "[" + f.errorCode() + "] " + f.reason());
        } else if (event instanceof MaintenanceCompleted c) {
            applyMaintenance(c.stanza(), c.task(), true, null);
        } else {
            return null;
        }
        return event.stanza();
    }

    /** A failed task stays on record until the same task succeeds. */
    private static void applyMaintenance(String stanza, MaintenanceTask task, boolean ok, String reason) {
        StanzaState state = StanzaState.findById(stanza);
        if (state == null) {
            return;
        }
        if (!ok) {
            state.lastMaintenanceFailedTask = task;
            state.lastMaintenanceReason = reason;
        } else if (task == state.lastMaintenanceFailedTask) {
            state.lastMaintenanceFailedTask = null;
            state.lastMaintenanceReason = null;
        }
    }

    private void applyTerminal(BackupEvent event) {
        StanzaState state = StanzaState.findById(event.stanza());
        if (state == null) {
            // Invalid names and stanzas nobody serves or expects must not become fleet members:
            // a request for "$(id)" is answered and stored, but it is not a database.
            boolean byExecutor = !(event instanceof BackupFailed f) || f.answeredBy() == Answerer.EXECUTOR;
            boolean known = config.stanzas().contains(event.stanza()) || byExecutor;
            if (!known || !StanzaNames.isValid(event.stanza()) || !admission.admit(event.stanza())) {
                return;
            }
            state = StanzaState.firstSeen(event.stanza());
        }
        if (state.lastAttemptAt != null && event.occurredAt().isBefore(state.lastAttemptAt)) {
            // An older event delivered late: it only matters if it is a newer success.
            if (event instanceof BackupCompleted c && (state.lastSuccessAt == null
                    || c.completedAt().isAfter(state.lastSuccessAt))) {
                success(state, c);
            }
            return;
        }
        state.lastAttemptAt = event.occurredAt();
        state.lastAttemptRequestId = event.requestId();
        state.lastOutcome = event.type();
        state.lastExecutorId = event.executorId();
        if (event instanceof BackupCompleted c) {
            state.lastErrorCode = null;
            state.lastErrorReason = null;
            success(state, c);
        } else if (event instanceof BackupFailed f) {
            state.lastErrorCode = f.errorCode();
            state.lastErrorReason = f.reason();
        }
    }

    /** A test restore is a drill: its outcome counts for the stanza's health. */
    private static void applyDrill(String stanza, Instant at, String outcome, Double rto, String reason) {
        StanzaState state = StanzaState.findById(stanza);
        if (state == null || (state.lastDrillAt != null && at.isBefore(state.lastDrillAt))) {
            return;
        }
        state.lastDrillAt = at;
        state.lastDrillOutcome = outcome;
        state.lastDrillRtoSeconds = rto;
        state.lastDrillReason = reason;
    }

    private static void success(StanzaState state, BackupCompleted c) {
        state.lastSuccessAt = c.completedAt();
        state.lastSuccessLabel = c.label();
        state.lastSuccessType = c.backupType();
        state.lastSuccessDurationSeconds = c.durationSeconds();
        state.lastSuccessRepoSize = c.repoSizeBytes();
        Instant at = state.lastSuccessAt;
        switch (c.backupType()) {
            case FULL -> state.lastFullAt = later(state.lastFullAt, at);
            case DIFF -> state.lastDiffAt = later(state.lastDiffAt, at);
            case INCR -> state.lastIncrAt = later(state.lastIncrAt, at);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
