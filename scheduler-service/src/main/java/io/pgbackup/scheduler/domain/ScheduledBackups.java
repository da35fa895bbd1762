package io.pgbackup.scheduler.domain;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.scheduler.config.SchedulerConfig;
import io.pgbackup.scheduler.messaging.BackupEventsPublisher;
import io.quarkus.scheduler.Scheduled;

/**
 * The seed's schedules, 5-field Unix cron (quarkus.scheduler.cron-type=unix): BACKUP_SCHEDULE_FULL,
 * BACKUP_SCHEDULE_DIFF, BACKUP_SCHEDULE_INCR. Durable exactly-once firing is a later step.
 */
@ApplicationScoped
public class ScheduledBackups {

    private static final Logger LOG = Logger.getLogger(ScheduledBackups.class);

    private final SchedulerConfig config;
    private final BackupEventsPublisher publisher;

    public ScheduledBackups(SchedulerConfig config, BackupEventsPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
    }

    @Scheduled(identity = "full", cron = "${backup.schedule.full}", timeZone = "${backup.schedule.time-zone}")
    void full() {
        fire(BackupType.FULL);
    }

    @Scheduled(identity = "diff", cron = "${backup.schedule.diff}", timeZone = "${backup.schedule.time-zone}")
    void diff() {
        fire(BackupType.DIFF);
    }

    @Scheduled(identity = "incr", cron = "${backup.schedule.incr}", timeZone = "${backup.schedule.time-zone}")
    void incr() {
        fire(BackupType.INCR);
    }

    void fire(BackupType type) {
        for (String stanza : config.stanzas()) {
            BackupRequested request = BackupRequested.of(stanza, type, "schedule:" + type.wire());
            publisher.request(request);
            LOG.infof("requested %s backup %s of stanza %s", type.wire(), request.requestId(), stanza);
        }
    }
}
