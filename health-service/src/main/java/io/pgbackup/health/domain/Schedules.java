package io.pgbackup.health.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.pgbackup.events.Cron;
import io.pgbackup.events.ScheduleKind;
import io.pgbackup.events.SchedulePlan;

/**
 * What one stanza's schedules expect, from the plan the scheduler published for it
 * (backup.schedules): the latest planned full, diff, incr and drill before an instant. Pure logic
 * over the scheduler's own expressions, read the way the scheduler reads them ({@link Cron}).
 */
public final class Schedules {

    /** A stanza without a plan: nothing is expected by schedule (the age backstop still applies). */
    public static final Schedules NONE = new Schedules(List.of());

    /**
     * One schedule. The answers change once a minute at most, and cron-utils searches backwards
     * for them, so they are remembered per minute: the health endpoint evaluates every stanza's
     * schedules on every request.
     */
    public record Planned(ScheduleKind kind, Cron cron, Map<Instant, Optional<Instant>> memo) {

        Planned(ScheduleKind kind, Cron cron) {
            this(kind, cron, new ConcurrentHashMap<>());
        }

        public String expression() {
            return cron.expression();
        }

        public ZoneId zone() {
            return cron.zone();
        }

        /** The latest planned minute at or before {@code at}. */
        public Optional<Instant> lastAtOrBefore(Instant at) {
            Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
            Optional<Instant> known = memo.get(minute);
            if (known != null) {
                return known;
            }
            Optional<Instant> last = cron.lastAtOrBefore(minute);
            if (memo.size() > 256) {
                memo.clear();
            }
            memo.put(minute, last);
            return last;
        }

        /** The one before the latest planned at or before {@code at}: the length of one period. */
        public Optional<Instant> previousBefore(Instant at) {
            return lastAtOrBefore(at).flatMap(last -> lastAtOrBefore(last.minusSeconds(60)));
        }
    }

    private final List<Planned> planned;

    private Schedules(List<Planned> planned) {
        this.planned = List.copyOf(planned);
    }

    /**
     * The plan as the scheduler published it. An expression this version cannot read is left
     * out rather than failing the stanza: the scheduler itself parsed it.
     */
    public static Schedules from(SchedulePlan plan) {
        if (plan == null) {
            return NONE;
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(plan.timeZone());
        } catch (RuntimeException e) {
            return NONE;
        }
        List<Planned> all = new ArrayList<>();
        for (SchedulePlan.Planned p : plan.schedules()) {
            if (p.kind() == null) {
                continue;
            }
            try {
                Cron.parse(p.cron(), zone).ifPresent(c -> all.add(new Planned(p.kind(), c)));
            } catch (IllegalArgumentException e) {
                // left out, see above
            }
        }
        return new Schedules(all);
    }

    /** A fixed set of expressions ("none" switches one off): tests and tools. */
    public static Schedules of(ZoneId zone, String full, String diff, String incr, String drill) {
        List<Planned> all = new ArrayList<>();
        Map<ScheduleKind, String> expressions = new java.util.LinkedHashMap<>();
        expressions.put(ScheduleKind.FULL, full);
        expressions.put(ScheduleKind.DIFF, diff);
        expressions.put(ScheduleKind.INCR, incr);
        expressions.put(ScheduleKind.DRILL, drill);
        expressions.forEach((kind, e) -> Cron.parse(e, zone).ifPresent(c -> all.add(new Planned(kind, c))));
        return new Schedules(all);
    }

    public List<Planned> all() {
        return planned;
    }

    public Optional<Planned> of(ScheduleKind kind) {
        return planned.stream().filter(p -> p.kind() == kind).findFirst();
    }
}
