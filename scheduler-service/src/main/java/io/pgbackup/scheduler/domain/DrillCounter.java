package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

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

    public DrillCounter(ScheduleConfig config, SchedulePlanner planner, EntityManager em) {
        this.config = config;
        this.planner = planner;
        this.em = em;
    }

    @Transactional
    public void backupCompleted(UUID eventId, String stanza, Instant at) {
        int every = config.drillAfterBackups();
        if (every <= 0) {
            return;
        }
        int first = em.createNativeQuery("INSERT INTO counted_event (event_id) VALUES (?1) ON CONFLICT DO NOTHING")
                .setParameter(1, eventId).executeUpdate();
        if (first == 0) {
            return;
        }
        Number count = (Number) em.createNativeQuery("INSERT INTO drill_counter (stanza, backups_since_drill)"
                + " VALUES (?1, 1) ON CONFLICT (stanza) DO UPDATE SET backups_since_drill ="
                + " drill_counter.backups_since_drill + 1 RETURNING backups_since_drill").setParameter(1, stanza)
                .getSingleResult();
        if (count.intValue() >= every) {
            em.createNativeQuery("UPDATE drill_counter SET backups_since_drill = 0 WHERE stanza = ?1")
                    .setParameter(1, stanza).executeUpdate();
            planner.drill(stanza, at, "after " + every + " backups");
        }
    }
}
