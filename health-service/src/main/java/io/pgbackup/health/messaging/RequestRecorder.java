package io.pgbackup.health.messaging;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.persistence.StoredEvent;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the requests themselves (backup.requests, restore.requests) next to their events, so a
 * stanza's history says who or what asked and why. They are read with the request readers every
 * consumer of these topics uses, so the text kept here is the text the executor and the
 * coordinator saw. Records that are not requests are the coordinator's to dead-letter; here they
 * are passed over.
 */
@ApplicationScoped
public class RequestRecorder {

    public static final String BACKUP_REQUESTS_IN = "health-backup-requests-in";
    public static final String RESTORE_REQUESTS_IN = "health-restore-requests-in";
    /** A request is kept whole up to this size; the audit trail needs who and why, not megabytes. */
    private static final int MAX_STORED = 20_000;

    private final ConsumerPolicy policy;

    public RequestRecorder(ConsumerPolicy policy) {
        this.policy = policy;
    }

    @Incoming(BACKUP_REQUESTS_IN)
    @Blocking
    public CompletionStage<Void> onBackupRequest(Message<String> message) {
        return policy.consume(message, EventCodec::readRequestRecord, ConsumerPolicy.Unreadable.PASS_OVER,
                (reading, record) -> {
                    BackupEvent request = reading instanceof EventCodec.Valid v
                            ? v.request()
                            : reading instanceof EventCodec.Invalid i ? i.request() : null;
                    QuarkusTransaction.requiringNew().run(() -> store(request));
                });
    }

    @Incoming(RESTORE_REQUESTS_IN)
    @Blocking
    public CompletionStage<Void> onRestoreRequest(Message<String> message) {
        return policy.consume(message, payload -> RestoreRequests.readRecord(payload, Instant.now()),
                ConsumerPolicy.Unreadable.PASS_OVER, (reading, record) -> {
                    BackupEvent request = reading instanceof RestoreRequests.Valid v
                            ? v.request()
                            : reading instanceof RestoreRequests.Invalid i ? i.request() : null;
                    QuarkusTransaction.requiringNew().run(() -> store(request));
                });
    }

    /**
     * Only requests of valid stanzas, once each; anything else on these topics is not ours. Kept as
     * the reader read it (its free text cleaned and bounded), not as sent.
     */
    private static void store(BackupEvent request) {
        if (request == null || !request.aboutRequest() || request.terminal() || !StanzaNames.isValid(request.stanza())
                || StoredEvent.findById(request.eventId()) != null) {
            return;
        }
        Instant at = request.occurredAt() != null ? request.occurredAt() : Instant.now();
        String payload = EventCodec.encode(request);
        StoredEvent.store(request.eventId(), request.requestId(), request.stanza(), request.type(), null, at,
                payload.length() > MAX_STORED ? payload.substring(0, MAX_STORED) : payload);
    }
}
