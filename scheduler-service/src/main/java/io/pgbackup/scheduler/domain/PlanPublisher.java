package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.Topics;
import io.pgbackup.platform.outbox.Outbox;
import io.pgbackup.scheduler.config.ScheduleConfig;

/**
 * Publishes each stanza's plan on the compacted topic backup.schedules (key = stanza), so the
 * health service checks what the scheduler actually plans rather than a copy of its settings.
 * A stanza taken out of the scheduler's configuration gets a tombstone.
 */
@ApplicationScoped
public class PlanPublisher {

    private static final Logger LOG = Logger.getLogger(PlanPublisher.class);

    private final Outbox outbox;
    private final EntityManager em;
    private final ScheduleConfig config;

    public PlanPublisher(Outbox outbox, EntityManager em, ScheduleConfig config) {
        this.outbox = outbox;
        this.em = em;
        this.config = config;
    }

    /** The plan of one stanza as of {@code now}. */
    public SchedulePlan plan(StanzaSchedule schedule, Instant now) {
        return new SchedulePlan(BackupEvent.SCHEMA_VERSION, UUID.randomUUID(), schedule.stanza(), now,
                schedule.zone().getId(), schedule.planned(now), config.drillAfterBackups());
    }

    /**
     * Publishes the plans of {@code schedules} and notes when each was published. Batched: a tick
     * that fires thousands of stanzas publishes as many plans, in the transaction of their fires.
     */
    @Transactional(TxType.MANDATORY)
    public void publishAll(Collection<StanzaSchedule> schedules, Instant now) {
        if (schedules.isEmpty()) {
            return;
        }
        outbox.publishAll(schedules.stream().map(s -> Outbox.recordOf(plan(s, now))).toList());
        em.createNativeQuery("INSERT INTO published_plan (stanza, published_at)"
                + " SELECT unnest(cast(?1 AS text[])), ?2"
                + " ON CONFLICT (stanza) DO UPDATE SET published_at = excluded.published_at")
                .setParameter(1, schedules.stream().map(StanzaSchedule::stanza).toArray(String[]::new))
                .setParameter(2, now).executeUpdate();
    }

    /** Tombstones for stanzas whose plan was published but that are no longer scheduled here. */
    @Transactional(TxType.MANDATORY)
    public void withdrawOthers(Collection<StanzaSchedule> schedules) {
        Set<String> configured = schedules.stream().map(StanzaSchedule::stanza).collect(Collectors.toSet());
        @SuppressWarnings("unchecked")
        List<String> published = em.createNativeQuery("SELECT stanza FROM published_plan").getResultList();
        for (String stanza : published) {
            if (!configured.contains(stanza)) {
                outbox.publish(Topics.BACKUP_SCHEDULES, stanza, null);
                em.createNativeQuery("DELETE FROM published_plan WHERE stanza = ?1").setParameter(1, stanza)
                        .executeUpdate();
                LOG.infof("stanza %s is no longer scheduled here: its plan is withdrawn", stanza);
            }
        }
    }
}
