package io.pgbackup.health.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.events.Decoded;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.config.HealthConfig;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthRules;
import io.pgbackup.health.domain.HealthTransitions;
import io.pgbackup.health.domain.StanzaAdmission;
import io.pgbackup.health.persistence.StanzaReport;
import io.pgbackup.health.persistence.StanzaState;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the newest executor report per stanza (backup.status), whose dead-letter queue this
 * service owns. An older or repeated report changes nothing; a stanza an executor serves joins the
 * fleet with its first report.
 */
@ApplicationScoped
public class StatusRecorder {

    private static final Logger LOG = Logger.getLogger(StatusRecorder.class);

    private final HealthTransitions transitions;
    private final FleetView view;
    private final HealthConfig config;
    private final ConsumerPolicy policy;
    private final StanzaAdmission admission;

    public StatusRecorder(HealthConfig config, HealthTransitions transitions, FleetView view, ConsumerPolicy policy,
            StanzaAdmission admission) {
        this.admission = admission;
        this.config = config;
        this.transitions = transitions;
        this.view = view;
        this.policy = policy;
    }

    @Incoming(Channels.STATUS_IN)
    @Blocking
    public CompletionStage<Void> onReport(Message<String> message) {
        return policy.consume(message, p -> read(p, Instant.now(), config.maxClockAhead()),
                ConsumerPolicy.Unreadable.DEAD_LETTER,
                (report, record) -> {
                    if (QuarkusTransaction.requiringNew().call(() -> store(report, record.payload()))) {
                        view.reload(report.stanza());
                    }
                });
    }

    /**
     * A report is about a stanza: one whose name could never be a stanza is not a report. One
     * dated ahead of the clock would make every real report after it look older, so it is refused.
     */
    static Decoded<StanzaStatusReported> read(String payload, Instant now, Duration maxAhead) {
        Decoded<StanzaStatusReported> decoded = EventCodec.notDatedAhead(EventCodec.readStatus(payload),
                StanzaStatusReported::occurredAt, now, maxAhead);
        if (decoded instanceof Decoded.Ok<StanzaStatusReported> ok && !StanzaNames.isValid(ok.value().stanza())) {
            return Decoded.poison(StanzaNames.problem(ok.value().stanza()).orElseThrow());
        }
        return decoded;
    }

    private boolean store(StanzaStatusReported report, String payload) {
        transitions.lock();
        StanzaReport row = StanzaReport.findById(report.stanza());
        if (row != null && row.executorId != null && !row.executorId.equals(report.executorId())) {
            otherExecutor(report, row);
        }
        if (row != null && !report.occurredAt().isAfter(row.occurredAt)) {
            LOG.debugf("report of stanza %s at %s is not newer than the one kept", report.stanza(),
                    report.occurredAt());
            return false;
        }
        if (row == null && StanzaState.findById(report.stanza()) == null && !admission.admit(report.stanza())) {
            return false;
        }
        boolean fresh = row == null;
        if (fresh) {
            row = new StanzaReport();
            row.stanza = report.stanza();
        }
        row.executorId = report.executorId();
        row.occurredAt = report.occurredAt();
        row.payload = payload;
        if (fresh) {
            row.persist();
        }
        if (StanzaState.findById(report.stanza()) == null) {
            StanzaState.firstSeen(report.stanza());
        }
        transitions.evaluate(report.stanza(), Instant.now());
        return true;
    }

    /**
     * A report from another executor than the kept one's. One switch is a replaced executor (a
     * new host, a new id); reports that go back to the previous executor, or arrive older than the
     * kept one, mean both run at once: two executors configured for one stanza would both take its
     * requests, so health names it (DUPLICATE_EXECUTOR) until a heartbeat timeout passes without it.
     */
    private void otherExecutor(StanzaStatusReported report, StanzaReport kept) {
        StanzaState state = StanzaState.findById(report.stanza());
        if (state == null) {
            return;
        }
        Duration window = HealthRules.allowedSilence(config.heartbeatTimeout(), report.intervalSeconds());
        boolean older = !report.occurredAt().isAfter(kept.occurredAt);
        boolean backAgain = report.executorId().equals(state.otherExecutorId) && state.otherExecutorSeenAt != null
                && !state.otherExecutorSeenAt.plus(window).isBefore(kept.occurredAt);
        if ((older && !report.occurredAt().plus(window).isBefore(kept.occurredAt)) || backAgain) {
            if (state.duplicateSeenAt == null) {
                LOG.warnf("stanza %s is reported by two executors: %s and %s", report.stanza(), kept.executorId,
                        report.executorId());
            }
            state.duplicateSeenAt = report.occurredAt().isAfter(kept.occurredAt)
                    ? report.occurredAt()
                    : kept.occurredAt;
        }
        if (older) {
            state.otherExecutorId = report.executorId();
            state.otherExecutorSeenAt = report.occurredAt();
        } else {
            state.otherExecutorId = kept.executorId;
            state.otherExecutorSeenAt = kept.occurredAt;
        }
    }
}
