package io.pgbackup.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.scheduler.domain.Coordinator;
import io.pgbackup.scheduler.domain.DrillCounter;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Any event an executor publishes about a request is its claim on it. */
@ApplicationScoped
public class ClaimWatcher {

    private final Coordinator coordinator;
    private final DrillCounter drills;

    public ClaimWatcher(Coordinator coordinator, DrillCounter drills) {
        this.coordinator = coordinator;
        this.drills = drills;
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public void onEvent(String payload) {
        EventCodec.decodeEvent(payload).ifPresent(event -> {
            if (event.aboutRequest()) {
                if (event.executorId() != null) {
                    coordinator.claimed(event.requestId(), event.stanza(), event.executorId());
                }
                coordinator.remember(event.requestId(), event.stanza(), event.type(), payload, event.terminal());
            }
            if (event instanceof BackupCompleted completed) {
                drills.backupCompleted(completed.eventId(), completed.stanza(), completed.occurredAt());
            }
        });
    }
}
