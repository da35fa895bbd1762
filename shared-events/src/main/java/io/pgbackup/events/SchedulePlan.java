package io.pgbackup.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the scheduler plans for one stanza (compacted topic {@code backup.schedules}, key = stanza):
 * published at its start and after every fire. Whoever checks that planned work happened (the
 * health service) reads this instead of a copy of the scheduler's settings. A tombstone (null
 * value) means the stanza is no longer scheduled.
 *
 * @param timeZone the zone the expressions are read in
 * @param schedules one entry per schedule that is on
 * @param drillAfterBackups a drill is also requested after this many completed backups (0: off)
 */
@JsonPropertyOrder({"type", "schemaVersion", "eventId", "stanza", "occurredAt", "timeZone", "schedules",
        "drillAfterBackups"})
public record SchedulePlan(int schemaVersion, @Required UUID eventId, @Required String stanza,
        @Required Instant occurredAt, @Required String timeZone, @Required List<Planned> schedules,
        int drillAfterBackups) {

    public static final String TYPE = "SchedulePlan";

    public SchedulePlan {
        schedules = schedules == null ? null : List.copyOf(schedules);
    }

    /**
     * One schedule.
     *
     * @param cron the 5-field Unix cron expression
     * @param lastPlanned its latest planned minute at publication, null if none yet
     * @param nextPlanned its next planned minute after publication
     */
    public record Planned(ScheduleKind kind, String cron, Instant lastPlanned, Instant nextPlanned) {
    }

    public Optional<Planned> of(ScheduleKind kind) {
        return schedules.stream().filter(p -> p.kind() == kind).findFirst();
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }
}
