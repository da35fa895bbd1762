package io.pgbackup.scheduler.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCodes;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.scheduler.config.SchedulerConfig;
import io.pgbackup.scheduler.messaging.BackupEventsPublisher;
import io.pgbackup.scheduler.messaging.RestoreRequestWatcher;
import io.pgbackup.scheduler.persistence.TrackedRequest;
import io.quarkus.scheduler.Scheduled;

/** Answers requests that no executor claimed in time with BackupFailed NO_EXECUTOR. */
@ApplicationScoped
public class ClaimSweeper {

    private static final Logger LOG = Logger.getLogger(ClaimSweeper.class);

    private final Coordinator coordinator;
    private final BackupEventsPublisher publisher;
    private final SchedulerConfig config;

    public ClaimSweeper(Coordinator coordinator, BackupEventsPublisher publisher, SchedulerConfig config) {
        this.coordinator = coordinator;
        this.publisher = publisher;
        this.config = config;
    }

    @Scheduled(every = "${scheduler.coordinator.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        SchedulerConfig.Coordinator c = config.coordinator();
        Instant deadline = Instant.now().minus(c.claimTimeout()).minus(c.claimGrace());
        for (TrackedRequest row : coordinator.expireUnclaimed(deadline)) {
            String reason = "no executor serves stanza " + row.stanza + ": no executor accepted the request within "
                    + c.claimTimeout().toSeconds() + " s; check that the executor of this stanza's host is running"
                    + " and lists the stanza in executor.stanzas";
            try {
                if (row.backupType != null && row.backupType.startsWith(RestoreRequestWatcher.RESTORE + ":")) {
                    publisher.event(new RestoreFailed(BackupEvent.SCHEMA_VERSION, EventIds.of(row.requestId,
                            "RestoreFailed"), row.requestId, row.stanza, null, Instant.now(),
                            row.backupType.substring(RestoreRequestWatcher.RESTORE.length() + 1), null,
                            FailureCodes.NO_EXECUTOR, null, reason));
                } else {
                    publisher.event(new BackupFailed(BackupEvent.SCHEMA_VERSION, EventIds.of(row.requestId,
                            "BackupFailed"), row.requestId, row.stanza, null, Instant.now(), row.backupType,
                            FailureCodes.NO_EXECUTOR, null, reason, true));
                }
                coordinator.answerSent(row.requestId);
                LOG.warnf("request %s: %s", row.requestId, reason);
            } catch (RuntimeException e) {
                LOG.warnf("could not publish the answer to %s yet (%s); will retry", row.requestId, e.getMessage());
                return;
            }
        }
    }
}
