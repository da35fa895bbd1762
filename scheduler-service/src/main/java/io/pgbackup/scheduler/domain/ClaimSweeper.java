package io.pgbackup.scheduler.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.pgbackup.scheduler.config.SchedulerConfig;
import io.quarkus.scheduler.Scheduled;

/** Answers requests that no executor claimed in time with NO_EXECUTOR. */
@ApplicationScoped
public class ClaimSweeper {

    private static final Logger LOG = Logger.getLogger(ClaimSweeper.class);

    private final Coordinator coordinator;
    private final SchedulerConfig config;
    private final ConsumerPolicy consumers;

    public ClaimSweeper(Coordinator coordinator, SchedulerConfig config, ConsumerPolicy consumers) {
        this.coordinator = coordinator;
        this.config = config;
        this.consumers = consumers;
    }

    @Scheduled(every = "${scheduler.coordinator.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        SchedulerConfig.Coordinator c = config.coordinator();
        Instant now = Instant.now();
        // Right after the state database or the broker was away, claims that waited meanwhile are
        // still being read: answering now could answer a request its executor has taken.
        if (consumers.lastTransientFailure().filter(t -> t.plus(c.claimGrace()).isAfter(now)).isPresent()) {
            return;
        }
        Instant deadline = now.minus(c.claimTimeout()).minus(c.claimGrace());
        try {
            for (BackupEvent answer : coordinator.answerUnclaimed(deadline, c.claimTimeout().toSeconds())) {
                LOG.warnf("request %s of stanza %s: no executor claimed it; answered NO_EXECUTOR", answer.requestId(),
                        answer.stanza());
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not answer unclaimed requests yet (%s); the next sweep retries", e.getMessage());
        }
    }
}
