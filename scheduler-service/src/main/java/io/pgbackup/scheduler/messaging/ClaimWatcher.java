package io.pgbackup.scheduler.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.Answerer;
import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.pgbackup.scheduler.domain.Coordinator;
import io.pgbackup.scheduler.domain.DrillCounter;
import io.pgbackup.scheduler.domain.OperationLog;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * backup.events: any event an executor publishes about a request is its claim on it, and the
 * latest event of each request is kept for GET /requests/{id}, and every event gets its line in
 * the operation logs. The health service owns this
 * topic's dead-letter queue; records it would dead-letter are passed over here.
 */
@ApplicationScoped
public class ClaimWatcher {

    private final Coordinator coordinator;
    private final DrillCounter drills;
    private final ConsumerPolicy policy;
    private final OperationLog operationLog;

    public ClaimWatcher(Coordinator coordinator, DrillCounter drills, ConsumerPolicy policy,
            OperationLog operationLog) {
        this.coordinator = coordinator;
        this.drills = drills;
        this.policy = policy;
        this.operationLog = operationLog;
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        return policy.consume(message, EventCodec::readEvent, ConsumerPolicy.Unreadable.PASS_OVER, (event, record) -> {
            if (event.aboutRequest()) {
                if (answeredByExecutor(event)) {
                    coordinator.claimed(event.requestId(), event.stanza(), event.executorId());
                }
                coordinator.remember(event, record.payload());
            }
            if (event instanceof BackupCompleted completed) {
                drills.backupCompleted(completed);
            }
            operationLog.record(event);
        });
    }

    /** Who answered is stated in failures; every other event about a request comes from its executor. */
    private static boolean answeredByExecutor(io.pgbackup.events.BackupEvent event) {
        if (event instanceof BackupFailed f) {
            return f.answeredBy() == Answerer.EXECUTOR;
        }
        if (event instanceof RestoreFailed f) {
            return f.answeredBy() == Answerer.EXECUTOR;
        }
        return event.executorId() != null;
    }
}
