package io.pgbackup.health.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthTransitions;
import io.pgbackup.health.persistence.StanzaReport;
import io.pgbackup.health.persistence.StanzaState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the newest executor report per stanza (backup.status). An older or repeated report
 * changes nothing; a stanza an executor serves joins the fleet with its first report.
 */
@ApplicationScoped
public class StatusRecorder {

    private static final Logger LOG = Logger.getLogger(StatusRecorder.class);

    private final HealthTransitions transitions;
    private final FleetView view;

    public StatusRecorder(HealthTransitions transitions, FleetView view) {
        this.transitions = transitions;
        this.view = view;
    }

    @Incoming(Channels.STATUS_IN)
    @Blocking
    public void onReport(String payload) {
        StanzaStatusReported report = EventCodec.decodeStatus(payload).orElse(null);
        if (report == null || !StanzaNames.isValid(report.stanza()) || report.occurredAt() == null) {
            LOG.debug("skipping a record of backup.status that is not a status report");
            return;
        }
        try {
            if (QuarkusTransaction.requiringNew().call(() -> store(report, payload))) {
                view.reload(report.stanza());
            }
        } catch (RuntimeException e) {
            // A report is replaced by the next one: never let one stop the channel.
            LOG.warnf("could not store the status report of stanza %s: %s", report.stanza(), e.getMessage());
        }
    }

    private boolean store(StanzaStatusReported report, String payload) {
        transitions.lock();
        StanzaReport row = StanzaReport.findById(report.stanza());
        if (row != null && !report.occurredAt().isAfter(row.occurredAt)) {
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
}
