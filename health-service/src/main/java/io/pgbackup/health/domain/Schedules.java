package io.pgbackup.health.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.pgbackup.health.config.ScheduleConfig;

/**
 * What each stanza's schedule expects: the latest planned full, diff, incr and drill before an
 * instant. Pure logic over the same cron expressions the scheduler fires.
 */
public final class Schedules {

    /**
     * One schedule of a stanza. {@code type} is full, diff, incr or drill. The answers change once a
     * minute at most, and cron-utils searches backwards for them, so they are remembered per minute:
     * the health endpoint evaluates every stanza's schedules on every request.
     */
    public record Planned(String type, String expression, ZoneId zone, ExecutionTime cron,
            Map<Instant, Optional<Instant>> memo) {

        Planned(String type, String expression, ZoneId zone, ExecutionTime cron) {
            this(type, expression, zone, cron, new ConcurrentHashMap<>());
        }

        /** The latest planned minute at or before {@code at}. */
        public Optional<Instant> lastAtOrBefore(Instant at) {
            Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
            Optional<Instant> known = memo.get(minute);
            if (known != null) {
                return known;
            }
            ZonedDateTime zoned = minute.atZone(zone);
            Optional<Instant> last = cron.isMatch(zoned)
                    ? Optional.of(minute)
                    : cron.lastExecution(zoned).map(ZonedDateTime::toInstant);
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

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final Function<String, List<Planned>> lookup;

    public Schedules(Function<String, List<Planned>> lookup) {
        this.lookup = lookup;
    }

    /** Reads the configuration the scheduler reads; an invalid expression fails the start. */
    public static Schedules from(ScheduleConfig config) {
        ZoneId zone = ZoneId.of(config.timeZone());
        // Parsed once per stanza: the configuration does not change while the service runs.
        Map<String, List<Planned>> parsed = new ConcurrentHashMap<>();
        return new Schedules(name -> parsed.computeIfAbsent(name, stanza -> {
            ScheduleConfig.Override o = config.stanza().get(stanza);
            List<Planned> all = new ArrayList<>();
            add(all, "full", o == null ? config.full() : o.full().orElse(config.full()), zone);
            add(all, "diff", o == null ? config.diff() : o.diff().orElse(config.diff()), zone);
            add(all, "incr", o == null ? config.incr() : o.incr().orElse(config.incr()), zone);
            add(all, "drill", o == null ? config.drill() : o.drill().orElse(config.drill()), zone);
            return List.copyOf(all);
        }));
    }

    /** A fixed set of expressions for every stanza (tests, tools). */
    public static Schedules of(ZoneId zone, String full, String diff, String incr, String drill) {
        List<Planned> all = new ArrayList<>();
        add(all, "full", full, zone);
        add(all, "diff", diff, zone);
        add(all, "incr", incr, zone);
        add(all, "drill", drill, zone);
        return new Schedules(stanza -> all);
    }

    private static void add(List<Planned> all, String type, String expression, ZoneId zone) {
        String e = expression == null ? "" : expression.trim();
        if (e.isEmpty() || e.equals("none")) {
            return;
        }
        try {
            all.add(new Planned(type, e, zone, ExecutionTime.forCron(UNIX.parse(e))));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("schedule " + type + ": '" + e
                    + "' is not a 5-field Unix cron expression (" + ex.getMessage() + ")");
        }
    }

    public List<Planned> of(String stanza) {
        return lookup.apply(stanza);
    }

    public Optional<Planned> of(String stanza, String type) {
        return of(stanza).stream().filter(p -> p.type().equals(type)).findFirst();
    }
}
