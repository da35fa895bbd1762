package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.Cron;
import io.pgbackup.events.ScheduleKind;
import io.pgbackup.events.SchedulePlan;

/**
 * The schedules of one stanza, in one zone. Pure logic: which backup a minute calls for, the
 * latest planned fire before an instant, and the plan published for others to check against.
 */
public final class StanzaSchedule {

    /** Strongest first: when several fire in one minute, only the first is requested. */
    private static final BackupType[] STRENGTH = {BackupType.FULL, BackupType.DIFF, BackupType.INCR};

    private final String stanza;
    private final ZoneId zone;
    private final Map<ScheduleKind, Cron> crons = new EnumMap<>(ScheduleKind.class);

    /** @param expressions cron per type; "none" or blank switches a type off */
    public StanzaSchedule(String stanza, ZoneId zone, Map<BackupType, String> expressions) {
        this(stanza, zone, expressions, "none");
    }

    /** @param drillExpression cron of the restore drills, or "none" */
    public StanzaSchedule(String stanza, ZoneId zone, Map<BackupType, String> expressions, String drillExpression) {
        this.stanza = stanza;
        this.zone = zone;
        expressions.forEach((type, expression) -> parse(ScheduleKind.of(type), expression));
        parse(ScheduleKind.DRILL, drillExpression);
    }

    private void parse(ScheduleKind kind, String expression) {
        try {
            Cron.parse(expression, zone).ifPresent(c -> crons.put(kind, c));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule " + kind.wire() + " of stanza " + stanza + ": "
                    + e.getMessage());
        }
    }

    /** Whether the minute containing {@code instant} calls for a restore drill. */
    public boolean drillDueAt(Instant instant) {
        Cron drill = crons.get(ScheduleKind.DRILL);
        return drill != null && drill.matches(instant);
    }

    public String stanza() {
        return stanza;
    }

    /** The backup the minute containing {@code instant} calls for, if any: the strongest that matches. */
    public Optional<BackupType> dueAt(Instant instant) {
        for (BackupType type : STRENGTH) {
            Cron cron = crons.get(ScheduleKind.of(type));
            if (cron != null && cron.matches(instant)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** A planned fire: the minute it was planned for and the strongest type due then. */
    public record Fire(String stanza, Instant plannedAt, BackupType type) {
    }

    /** The latest planned backup fire at or before {@code instant}, if any backup schedule is on. */
    public Optional<Fire> latestAtOrBefore(Instant instant) {
        Instant latest = null;
        for (BackupType type : STRENGTH) {
            Cron cron = crons.get(ScheduleKind.of(type));
            Optional<Instant> last = cron == null ? Optional.empty() : cron.lastAtOrBefore(instant);
            if (last.isPresent() && (latest == null || last.get().isAfter(latest))) {
                latest = last.get();
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        Instant planned = latest;
        return dueAt(planned).map(type -> new Fire(stanza, planned, type));
    }

    /** What this stanza's schedules plan as of {@code now}: each schedule with its last and next fire. */
    public List<SchedulePlan.Planned> planned(Instant now) {
        List<SchedulePlan.Planned> planned = new ArrayList<>();
        crons.forEach((kind, cron) -> planned.add(new SchedulePlan.Planned(kind, cron.expression(),
                cron.lastAtOrBefore(now).orElse(null), cron.nextAfter(now).orElse(null))));
        return planned;
    }

    public ZoneId zone() {
        return zone;
    }
}
