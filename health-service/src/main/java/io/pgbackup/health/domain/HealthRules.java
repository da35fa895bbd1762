package io.pgbackup.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.pgbackup.health.persistence.StanzaState;

/**
 * The health rules, pure logic. A stanza is unhealthy when its latest backup attempt failed, or
 * its newest successful backup is older than the maximum age (or it never had one once that age
 * has passed since it was first expected); degraded while a new stanza waits for its first backup.
 */
public final class HealthRules {

    public enum Status {

        healthy, degraded, unhealthy;

        Status worst(Status other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    /** One reason, naming its stanza. Codes are stable: monitoring may match on them. */
    @JsonPropertyOrder({"stanza", "severity", "code", "message"})
    public record Message(String stanza, String severity, String code, String message) {
    }

    public record StanzaHealth(String stanza, Status status, List<Message> messages, Double lastBackupAgeHours,
            StanzaState state) {
    }

    public record FleetHealth(Status status, Instant timestamp, Double lastBackupAgeHours, List<Message> messages,
            List<StanzaHealth> stanzas) {
    }

    private HealthRules() {
    }

    public static StanzaHealth evaluate(StanzaState s, Instant now, Duration maxAge) {
        List<Message> messages = new ArrayList<>();
        Status status = Status.healthy;
        Double age = s.lastSuccessAt == null ? null : hours(Duration.between(s.lastSuccessAt, now));
        if ("BackupFailed".equals(s.lastOutcome)) {
            status = Status.unhealthy;
            messages.add(new Message(s.stanza, "unhealthy", "LAST_BACKUP_FAILED",
                    "The latest backup of stanza " + s.stanza + " failed [" + s.lastErrorCode + "]: "
                            + s.lastErrorReason));
        }
        if ("RestoreFailed".equals(s.lastDrillOutcome)) {
            status = Status.unhealthy;
            messages.add(new Message(s.stanza, "unhealthy", "LAST_DRILL_FAILED",
                    "The latest restore drill of stanza " + s.stanza + " failed " + s.lastDrillReason
                            + ": its backups may not be restorable"));
        }
        if (s.lastSuccessAt == null) {
            boolean overdue = Duration.between(s.firstSeenAt, now).compareTo(maxAge) > 0;
            status = status.worst(overdue ? Status.unhealthy : Status.degraded);
            messages.add(new Message(s.stanza, overdue ? "unhealthy" : "degraded", "NO_BACKUP",
                    "Stanza " + s.stanza + " has no successful backup yet"
                            + (overdue ? ", " + hours(maxAge) + " h after it was first expected" : "")));
        } else if (Duration.between(s.lastSuccessAt, now).compareTo(maxAge) > 0) {
            status = Status.unhealthy;
            messages.add(new Message(s.stanza, "unhealthy", "BACKUP_TOO_OLD",
                    "The newest successful backup of stanza " + s.stanza + " (" + s.lastSuccessLabel + ") is " + age
                            + " h old, more than the " + hours(maxAge) + " h allowed"));
        }
        return new StanzaHealth(s.stanza, status, messages, age, s);
    }

    public static FleetHealth fleet(Collection<StanzaState> stanzas, Instant now, Duration maxAge) {
        List<StanzaHealth> each = stanzas.stream().map(s -> evaluate(s, now, maxAge)).toList();
        Status status = Status.healthy;
        List<Message> messages = new ArrayList<>();
        Double worstAge = null;
        for (StanzaHealth h : each) {
            status = status.worst(h.status());
            messages.addAll(h.messages());
            if (h.lastBackupAgeHours() != null && (worstAge == null || h.lastBackupAgeHours() > worstAge)) {
                worstAge = h.lastBackupAgeHours();
            }
        }
        if (each.isEmpty()) {
            status = Status.degraded;
            messages.add(new Message(null, "degraded", "NO_STANZAS", "No stanza is configured or has reported yet"));
        }
        return new FleetHealth(status, now, worstAge, messages, each);
    }

    static double hours(Duration d) {
        return Math.round(d.toMillis() / 36_000.0) / 100.0;
    }
}
