package io.pgbackup.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.scheduler.domain.Coordinator;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Any event an executor publishes about a request is its claim on it. */
@ApplicationScoped
public class ClaimWatcher {

    private final Coordinator coordinator;

    public ClaimWatcher(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public void onEvent(String payload) {
        EventCodec.decodeEvent(payload).ifPresent(event -> {
            String executor = event.executorId();
            if (executor != null && (event.aboutBackupRequest() || event.type().startsWith("Restore"))) {
                coordinator.claimed(event.requestId(), event.stanza(), executor);
            }
        });
    }
}
