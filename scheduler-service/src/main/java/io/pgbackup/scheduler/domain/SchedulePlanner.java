package io.pgbackup.scheduler.domain;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.platform.outbox.Outbox;
import io.pgbackup.scheduler.config.ScheduleConfig;
import io.pgbackup.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires each stanza's schedules exactly once. A fire is a row keyed by (stanza, planned minute)
 * written with its request in one transaction; a second scheduler, or this one after a restart,
 * fails to insert the same row and publishes nothing. Requests leave through the outbox, and so
 * does each stanza's updated plan.
 */
@ApplicationScoped
public class SchedulePlanner {

    private static final Logger LOG = Logger.getLogger(SchedulePlanner.class);

    private final List<StanzaSchedule> schedules = new ArrayList<>();
    private final ScheduleConfig config;
    private final EntityManager em;
    private final Outbox outbox;
    private final PlanPublisher plans;

    public SchedulePlanner(ScheduleConfig config, SchedulerConfig scheduler, EntityManager em, Outbox outbox,
            PlanPublisher plans) {
        this.config = config;
        this.em = em;
        this.outbox = outbox;
        this.plans = plans;
        for (String raw : scheduler.stanzas()) {
            String stanza = raw.trim();
            StanzaNames.problem(stanza).ifPresent(p -> {
                throw new IllegalArgumentException("scheduler.stanzas: " + p);
            });
            Optional<ScheduleConfig.Override> o = Optional.ofNullable(config.stanza().get(stanza));
            Map<BackupType, String> crons = new EnumMap<>(BackupType.class);
            crons.put(BackupType.FULL, o.flatMap(ScheduleConfig.Override::full).orElse(config.full()));
            crons.put(BackupType.DIFF, o.flatMap(ScheduleConfig.Override::diff).orElse(config.diff()));
            crons.put(BackupType.INCR, o.flatMap(ScheduleConfig.Override::incr).orElse(config.incr()));
            schedules.add(new StanzaSchedule(stanza, config.timeZone(), crons,
                    o.flatMap(ScheduleConfig.Override::drill).orElse(config.drill())));
        }
    }

    public List<StanzaSchedule> schedules() {
        return schedules;
    }

    @Scheduled(every = "${backup.schedule.tick-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void onTick() {
        tick(Instant.now());
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        plans.publishAll(schedules, Instant.now());
        plans.withdrawOthers(schedules);
        if ("latest".equals(config.catchUp())) {
            catchUp(Instant.now());
        }
    }

    /**
     * Fires what the current minute and the one before call for (a tick delayed past a minute
     * boundary still fires). Returns the fires this call recorded.
     */
    @Transactional
    public List<StanzaSchedule.Fire> tick(Instant now) {
        List<StanzaSchedule.Fire> due = new ArrayList<>();
        Set<StanzaSchedule> fired = new LinkedHashSet<>();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        for (Instant m : List.of(minute.minus(1, ChronoUnit.MINUTES), minute)) {
            for (StanzaSchedule s : schedules) {
                s.dueAt(m).ifPresent(type -> due.add(new StanzaSchedule.Fire(s.stanza(), m, type)));
                if (s.drillDueAt(m) && drill(s.stanza(), m, "schedule:drill")) {
                    fired.add(s);
                }
            }
        }
        List<StanzaSchedule.Fire> recorded = record(due, false);
        // By name, not a scan of every schedule per fire: a fleet's tick records thousands of fires.
        Map<String, List<StanzaSchedule>> byStanza = schedules.stream()
                .collect(Collectors.groupingBy(StanzaSchedule::stanza));
        recorded.forEach(f -> fired.addAll(byStanza.getOrDefault(f.stanza(), List.of())));
        // Each fire moves its schedule's last and next planned minutes: the plan is published again.
        plans.publishAll(List.copyOf(fired), now);
        return recorded;
    }

    /**
     * For each stanza that fired before, requests the latest planned fire up to now if it has not
     * fired: the one backup that matters after downtime, not every missed one.
     */
    @Transactional
    public List<StanzaSchedule.Fire> catchUp(Instant now) {
        List<StanzaSchedule.Fire> fired = new ArrayList<>();
        for (StanzaSchedule s : schedules) {
            Instant lastFired = (Instant) em
                    .createNativeQuery("SELECT max(planned_at) FROM schedule_fire WHERE stanza = ?1", Instant.class)
                    .setParameter(1, s.stanza()).getSingleResult();
            if (lastFired == null) {
                continue;
            }
            s.latestAtOrBefore(now).filter(f -> f.plannedAt().isAfter(lastFired)).ifPresent(fire -> {
                for (StanzaSchedule.Fire f : record(List.of(fire), true)) {
                    LOG.infof("catching up the %s backup of stanza %s planned for %s", f.type().wire(), f.stanza(),
                            f.plannedAt());
                    fired.add(f);
                }
            });
        }
        return fired;
    }

    /**
     * Records a drill fire and queues its restore request (test mode, latest), once per stanza and
     * planned minute. Must run in a transaction. False when this fire was recorded before.
     */
    public boolean drill(String stanza, Instant plannedAt, String requestedBy) {
        UUID requestId = UUID.nameUUIDFromBytes(("drill/" + stanza + "/" + plannedAt).getBytes(StandardCharsets.UTF_8));
        int inserted = em.createNativeQuery("INSERT INTO drill_fire (stanza, planned_at, request_id, fired_at)"
                + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING").setParameter(1, stanza).setParameter(2, plannedAt)
                .setParameter(3, requestId).setParameter(4, Instant.now()).executeUpdate();
        if (inserted == 0) {
            return false;
        }
        outbox.publish(new RestoreRequested(BackupEvent.SCHEMA_VERSION, requestId, stanza, RestoreMode.TEST,
                RestoreTarget.latest(), false, null, null, "restore drill", Instant.now(), requestedBy, null, null));
        LOG.infof("requested restore drill %s of stanza %s (%s)", requestId, stanza, requestedBy);
        return true;
    }

    /** The request id of a fire: the same fire always makes the same request. */
    public static UUID requestIdOf(String stanza, Instant plannedAt) {
        return UUID.nameUUIDFromBytes(("schedule/" + stanza + "/" + plannedAt).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Inserts the fire rows in one JDBC batch; a row that exists already (another replica, an
     * earlier tick) counts 0 and gets no request. The new ones get their request in the outbox,
     * in the same transaction.
     */
    private List<StanzaSchedule.Fire> record(List<StanzaSchedule.Fire> due, boolean catchUp) {
        if (due.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.now();
        int[] counts = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schedule_fire (stanza,"
                    + " planned_at, backup_type, request_id, catch_up, fired_at) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                for (StanzaSchedule.Fire fire : due) {
                    insert.setString(1, fire.stanza());
                    insert.setTimestamp(2, Timestamp.from(fire.plannedAt()));
                    insert.setString(3, fire.type().wire());
                    insert.setObject(4, requestIdOf(fire.stanza(), fire.plannedAt()));
                    insert.setBoolean(5, catchUp);
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.addBatch();
                }
                return insert.executeBatch();
            }
        });
        List<StanzaSchedule.Fire> fired = new ArrayList<>();
        List<Outbox.Record> requests = new ArrayList<>();
        for (int i = 0; i < due.size(); i++) {
            if (counts[i] == 0) {
                continue;
            }
            StanzaSchedule.Fire fire = due.get(i);
            String by = "schedule:" + fire.type().wire() + (catchUp ? " (catch-up)" : "");
            requests.add(Outbox.recordOf(new BackupRequested(BackupEvent.SCHEMA_VERSION,
                    requestIdOf(fire.stanza(), fire.plannedAt()), fire.stanza(), fire.type().wire(), now, by,
                    fire.type().wire(), fire.plannedAt())));
            fired.add(fire);
        }
        outbox.publishAll(requests);
        if (!fired.isEmpty()) {
            LOG.infof("scheduled %d backup(s) planned for %s", fired.size(), fired.get(0).plannedAt());
        }
        return fired;
    }
}
