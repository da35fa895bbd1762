package io.pgbackup.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.notifier.domain.Alert;
import io.pgbackup.notifier.domain.AlertLog;

/** Turns failures into alerts (logged for now) and logs completions at debug level. */
@ApplicationScoped
public class EventListener {

    private static final Logger LOG = Logger.getLogger(EventListener.class);

    private final AlertLog alerts;

    public EventListener(AlertLog alerts) {
        this.alerts = alerts;
    }

    @Incoming(Channels.EVENTS_IN)
    public void onEvent(String payload) {
        EventCodec.decodeEvent(payload).ifPresent(event -> {
            if (event instanceof BackupFailed f) {
                String stanza = StanzaNames.printable(f.stanza());
                Alert alert = new Alert(f.eventId(), f.requestId(), stanza, "critical",
                        "Backup of stanza " + stanza + " failed [" + f.errorCode() + "]", f.reason(), f.occurredAt());
                if (alerts.add(alert)) {
                    LOG.warnf("ALERT %s: %s (request %s, retry %s)", alert.title(), f.reason(), f.requestId(),
                            f.retryable() ? "may help" : "will not help");
                }
            } else if (event instanceof MaintenanceFailed f) {
                String stanza = StanzaNames.printable(f.stanza());
                Alert alert = new Alert(f.eventId(), f.requestId(), stanza, "critical",
                        "Maintenance (" + f.task() + ") of stanza " + stanza + " failed [" + f.errorCode() + "]",
                        f.reason(), f.occurredAt());
                if (alerts.add(alert)) {
                    LOG.warnf("ALERT %s: %s", alert.title(), f.reason());
                }
            } else if (event instanceof BackupCompleted c) {
                LOG.debugf("backup %s of stanza %s completed: %s", c.requestId(), c.stanza(), c.label());
            }
        });
    }
}
