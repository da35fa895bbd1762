package io.pgbackup.scheduler.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.platform.consumer.Inbox;
import io.pgbackup.scheduler.config.ScheduleConfig;

/**
 * Requests a restore drill of a stanza after every N completed backups
 * (backup.schedule.drill-after-backups), counting each BackupCompleted once by its event id.
 */
@ApplicationScoped
public class DrillCounter {

    private final ScheduleConfig config;
    private final SchedulePlanner planner;
    private final EntityManager em;
    private final Inbox inbox;

    public DrillCounter(ScheduleConfig config, SchedulePlanner planner, EntityManager em, Inbox inbox) {
        this.config = config;
        this.planner = planner;
        this.em = em;
        this.inbox = inbox;
    }

    @Transactional
    public void backupCompleted(BackupCompleted completed) {
        int every = config.drillAfterBackups();
        if (every <= 0 || !inbox.firstTime("drill-counter", completed.eventId())) {
            return;
        }
        Number count = (Number) em.createNativeQuery("INSERT INTO drill_counter (stanza, backups_since_drill)"
                + " VALUES (?1, 1) ON CONFLICT (stanza) DO UPDATE SET backups_since_drill ="
                + " drill_counter.backups_since_drill + 1 RETURNING backups_since_drill")
                .setParameter(1, completed.stanza()).getSingleResult();
        if (count.intValue() >= every) {
            em.createNativeQuery("UPDATE drill_counter SET backups_since_drill = 0 WHERE stanza = ?1")
                    .setParameter(1, completed.stanza()).executeUpdate();
            planner.drill(completed.stanza(), completed.occurredAt(), "after " + every + " backups");
        }
    }
}
