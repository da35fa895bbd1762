package io.pgbackup.events;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * A 5-field Unix cron expression (minute hour day-of-month month day-of-week, Sunday = 0) read in
 * one zone. The scheduler fires schedules with it and the health service checks what they planned
 * with it, so both read an expression the same way.
 */
public final class Cron {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /**
     * Parsed expressions, shared: a parsed cron takes kilobytes and a fleet of thousands of stanzas
     * uses a handful of expressions. Bounded, since the health service parses what plans on Kafka say.
     */
    private static final Map<String, Cron> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 1024;

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime time;

    private Cron(String expression, ZoneId zone, ExecutionTime time) {
        this.expression = expression;
        this.zone = zone;
        this.time = time;
    }

    /**
     * Empty for {@code none} or blank (the schedule is off).
     *
     * @throws IllegalArgumentException naming the expression when it does not parse
     */
    public static Optional<Cron> parse(String expression, ZoneId zone) {
        String e = expression == null ? "" : expression.trim();
        if (e.isEmpty() || e.equals("none")) {
            return Optional.empty();
        }
        String key = zone.getId() + " " + e;
        Cron known = PARSED.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            Cron cron = new Cron(e, zone, ExecutionTime.forCron(UNIX.parse(e)));
            if (PARSED.size() < MAX_PARSED) {
                PARSED.putIfAbsent(key, cron);
            }
            return Optional.of(cron);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "'" + e + "' is not a 5-field Unix cron expression (" + ex.getMessage() + ")");
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether the minute containing {@code at} is planned. */
    public boolean matches(Instant at) {
        return time.isMatch(minute(at));
    }

    /** The latest planned minute at or before {@code at}. */
    public Optional<Instant> lastAtOrBefore(Instant at) {
        ZonedDateTime minute = minute(at);
        return time.isMatch(minute)
                ? Optional.of(minute.toInstant())
                : time.lastExecution(minute).map(ZonedDateTime::toInstant);
    }

    /** The first planned minute after {@code at}. */
    public Optional<Instant> nextAfter(Instant at) {
        return time.nextExecution(minute(at)).map(ZonedDateTime::toInstant);
    }

    private ZonedDateTime minute(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES).atZone(zone);
    }

    @Override
    public String toString() {
        return expression;
    }
}
