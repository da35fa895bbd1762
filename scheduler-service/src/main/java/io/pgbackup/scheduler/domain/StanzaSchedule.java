package io.pgbackup.scheduler.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.pgbackup.events.BackupType;

/**
 * The three cron schedules of one stanza, in one zone. Pure logic: which backup a minute calls
 * for, and the latest planned fire before an instant.
 */
public final class StanzaSchedule {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** Strongest first: when several fire in one minute, only the first is requested. */
    private static final BackupType[] STRENGTH = {BackupType.FULL, BackupType.DIFF, BackupType.INCR};

    private final String stanza;
    private final ZoneId zone;
    private final Map<BackupType, ExecutionTime> crons = new EnumMap<>(BackupType.class);

    private final ExecutionTime drill;

    /** @param expressions cron per type; "none" or blank switches a type off */
    public StanzaSchedule(String stanza, ZoneId zone, Map<BackupType, String> expressions) {
        this(stanza, zone, expressions, "none");
    }

    /** @param drillExpression cron of the restore drills, or "none" */
    public StanzaSchedule(String stanza, ZoneId zone, Map<BackupType, String> expressions, String drillExpression) {
        this.stanza = stanza;
        this.zone = zone;
        expressions.forEach((type, expression) -> parse(type.wire(), expression).ifPresent(c -> crons.put(type, c)));
        this.drill = parse("drill", drillExpression).orElse(null);
    }

    private Optional<ExecutionTime> parse(String name, String expression) {
        String e = expression == null ? "" : expression.trim();
        if (e.isEmpty() || e.equals("none")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExecutionTime.forCron(UNIX.parse(e)));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("schedule " + name + " of stanza " + stanza + ": '" + e
                    + "' is not a 5-field Unix cron expression (" + ex.getMessage() + ")");
        }
    }

    /** Whether the minute containing {@code instant} calls for a restore drill. */
    public boolean drillDueAt(Instant instant) {
        return drill != null && drill.isMatch(minuteOf(instant));
    }

    public String stanza() {
        return stanza;
    }

    /** The backup the minute containing {@code instant} calls for, if any: the strongest that matches. */
    public Optional<BackupType> dueAt(Instant instant) {
        ZonedDateTime minute = minuteOf(instant);
        for (BackupType type : STRENGTH) {
            ExecutionTime cron = crons.get(type);
            if (cron != null && cron.isMatch(minute)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** A planned fire: the minute it was planned for and the strongest type due then. */
    public record Fire(String stanza, Instant plannedAt, BackupType type) {
    }

    /** The latest planned fire at or before {@code instant}, if any schedule is on. */
    public Optional<Fire> latestAtOrBefore(Instant instant) {
        ZonedDateTime minute = minuteOf(instant);
        ZonedDateTime latest = null;
        for (ExecutionTime cron : crons.values()) {
            Optional<ZonedDateTime> last = cron.isMatch(minute) ? Optional.of(minute) : cron.lastExecution(minute);
            if (last.isPresent() && (latest == null || last.get().isAfter(latest))) {
                latest = last.get();
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        Instant planned = latest.toInstant();
        return dueAt(planned).map(type -> new Fire(stanza, planned, type));
    }

    private ZonedDateTime minuteOf(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES).atZone(zone);
    }
}
