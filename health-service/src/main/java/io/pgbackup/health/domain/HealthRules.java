package io.pgbackup.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.persistence.StanzaState;

/**
 * The health rules, pure logic over a stanza's state, its executor's latest report and a clock.
 * Each problem is a message with a stable code (docs/health-api.md lists them with what to do);
 * the stanza's status is the worst severity among them.
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

    /** A stanza as the service knows it: its state from events and the executor's latest report. */
    public record Observed(StanzaState state, StanzaStatusReported report) {
    }

    /**
     * The thresholds of the rules.
     *
     * @param maxAge newest successful backup older than this: BACKUP_TOO_OLD
     * @param scheduleGrace how long a planned backup or drill may take to complete
     * @param heartbeatTimeout silence after which an executor counts as gone
     * @param rpoTarget longest acceptable wait of completed WAL for the archive
     */
    public record Policy(Duration maxAge, Duration scheduleGrace, Duration heartbeatTimeout, Duration rpoTarget,
            Schedules schedules) {
    }

    /**
     * @param rpoSeconds how much completed WAL is at risk: seconds since the last archived
     *     segment while segments wait, 0 when none wait; null without archiving facts
     */
    public record StanzaHealth(String stanza, Status status, List<Message> messages, Double lastBackupAgeHours,
            Double rpoSeconds, StanzaState state, StanzaStatusReported report) {
    }

    public record FleetHealth(Status status, Instant timestamp, Double lastBackupAgeHours, List<Message> messages,
            List<StanzaHealth> stanzas) {
    }

    private HealthRules() {
    }

    public static StanzaHealth evaluate(Observed o, Instant now, Policy p) {
        StanzaState s = o.state();
        StanzaStatusReported r = o.report();
        Rules rules = new Rules(s.stanza);
        Double age = s.lastSuccessAt == null ? null : hours(Duration.between(s.lastSuccessAt, now));
        if ("BackupFailed".equals(s.lastOutcome)) {
            rules.unhealthy("LAST_BACKUP_FAILED", "The latest backup of stanza " + s.stanza + " failed ["
                    + s.lastErrorCode + "]: " + s.lastErrorReason);
        }
        if ("RestoreFailed".equals(s.lastDrillOutcome)) {
            rules.unhealthy("LAST_DRILL_FAILED", "The latest restore drill of stanza " + s.stanza + " failed "
                    + s.lastDrillReason + ": its backups may not be restorable");
        }
        if (s.lastMaintenanceFailedTask != null) {
            boolean proof = s.lastMaintenanceFailedTask.equals("check") || s.lastMaintenanceFailedTask.equals("verify");
            rules.add(proof ? Status.unhealthy : Status.degraded, "MAINTENANCE_FAILED", "pgbackrest "
                    + s.lastMaintenanceFailedTask + " of stanza " + s.stanza + " failed: " + s.lastMaintenanceReason);
        }
        if (s.lastSuccessAt == null) {
            boolean overdue = Duration.between(s.firstSeenAt, now).compareTo(p.maxAge()) > 0;
            rules.add(overdue ? Status.unhealthy : Status.degraded, "NO_BACKUP", "Stanza " + s.stanza
                    + " has no successful backup yet" + (overdue
                            ? ", " + hours(p.maxAge())
                                    + " h after it was first expected"
                            : ""));
        } else if (Duration.between(s.lastSuccessAt, now).compareTo(p.maxAge()) > 0) {
            rules.unhealthy("BACKUP_TOO_OLD", "The newest successful backup of stanza " + s.stanza + " ("
                    + s.lastSuccessLabel + ") is " + age + " h old, more than the " + hours(p.maxAge())
                    + " h allowed");
        }
        schedule(rules, s, now, p);
        Double rpo = archiving(rules, s.stanza, r, now, p);
        repository(rules, s, r, now, p);
        return new StanzaHealth(s.stanza, rules.status, rules.messages, age, rpo, s, r);
    }

    /** Schedule-aware staleness: the backup (or drill) the schedule planned did not complete. */
    private static void schedule(Rules rules, StanzaState s, Instant now, Policy p) {
        Instant due = now.minus(p.scheduleGrace());
        for (Schedules.Planned planned : p.schedules().of(s.stanza)) {
            Optional<Instant> fire = planned.lastAtOrBefore(due);
            if (fire.isEmpty() || fire.get().isBefore(s.firstSeenAt)) {
                continue;
            }
            if (planned.type().equals("drill")) {
                if (s.lastDrillAt == null || s.lastDrillAt.isBefore(fire.get())) {
                    rules.degraded("DRILL_OVERDUE", "The restore drill of stanza " + s.stanza + " planned for "
                            + fire.get() + " by schedule drill '" + planned.expression() + "' has not run"
                            + (s.lastDrillAt == null ? "; no drill ever ran" : "; the latest ran at " + s.lastDrillAt));
                }
                continue;
            }
            Instant newest = s.newestAtLeast(planned.type());
            if (newest == null || newest.isBefore(fire.get())) {
                rules.unhealthy("BACKUP_MISSED", "The " + planned.type() + " backup of stanza " + s.stanza
                        + " planned for " + fire.get() + " by schedule " + planned.type() + " '" + planned.expression()
                        + "' (" + planned.zone() + ") did not complete within " + hours(p.scheduleGrace()) + " h"
                        + (newest == null
                                ? ""
                                : "; the newest " + String.join(" or ", StanzaState.satisfying(planned.type()))
                                        + " completed at " + newest));
            }
        }
    }

    /** Heartbeat and WAL archiving from the executor's report. Returns the RPO in seconds. */
    private static Double archiving(Rules rules, String stanza, StanzaStatusReported r, Instant now, Policy p) {
        if (r == null) {
            return null;
        }
        Duration silence = Duration.between(r.occurredAt(), now);
        Duration allowed = p.heartbeatTimeout().compareTo(Duration.ofSeconds(3 * r.intervalSeconds())) > 0
                ? p.heartbeatTimeout()
                : Duration.ofSeconds(3 * r.intervalSeconds());
        if (silence.compareTo(allowed) > 0) {
            rules.unhealthy("EXECUTOR_SILENT", "Executor " + r.executorId() + " of stanza " + stanza
                    + " has not reported for " + silence.toSeconds() + " s (allowed " + allowed.toSeconds()
                    + " s): no backup or archiving fact about it is current");
        }
        StanzaStatusReported.Archiver a = r.archiver();
        if (a == null) {
            return null;
        }
        if (a.error() != null) {
            rules.degraded("ARCHIVE_UNKNOWN", "WAL archiving of stanza " + stanza + " cannot be checked: " + a.error());
            return null;
        }
        if (a.lastFailedAt() != null && (a.lastArchivedAt() == null || a.lastFailedAt().isAfter(a.lastArchivedAt()))) {
            rules.unhealthy("ARCHIVE_FAILING", "WAL archiving of stanza " + stanza + " is failing: the latest attempt ("
                    + a.lastFailedWal() + " at " + a.lastFailedAt() + ") failed, " + a.failedCount()
                    + " failures so far; see archive_command and the PostgreSQL log");
        }
        double rpo = 0;
        if (a.walReady() != null && a.walReady() > 0) {
            Instant since = a.lastArchivedAt() != null ? a.lastArchivedAt() : r.occurredAt();
            rpo = Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
            if (rpo > p.rpoTarget().toSeconds()) {
                rules.unhealthy("ARCHIVE_LAG", a.walReady() + " WAL segment(s) of stanza " + stanza
                        + " wait for the archive; the last was archived " + Math.round(rpo) + " s ago, above the RPO"
                        + " target of " + p.rpoTarget().toSeconds() + " s");
            }
        }
        return rpo;
    }

    /** Repository facts: its status codes, the WAL chain and the retention policy. */
    private static void repository(Rules rules, StanzaState s, StanzaStatusReported r, Instant now, Policy p) {
        StanzaStatusReported.Repo repo = r == null ? null : r.repo();
        if (repo == null) {
            return;
        }
        // Code 2 (no valid backup), which pgbackrest gives the stanza and its repository alike, is
        // NO_BACKUP's to report: a new stanza is not a broken repository.
        if ((repo.statusCode() != 0 && repo.statusCode() != 2)
                || (repo.repoStatusCode() != 0 && repo.repoStatusCode() != 2)) {
            rules.unhealthy("REPO_ERROR", "pgbackrest info reports stanza " + s.stanza + " with status "
                    + repo.statusCode() + " (repository " + repo.repoStatusCode() + "): " + repo.statusMessage());
        }
        if (repo.walGap() != null && repo.walGap().missing() > 0) {
            rules.unhealthy("WAL_GAP", repo.walGap().missing() + " WAL segment(s) of stanza " + s.stanza
                    + " are missing from the archive between " + repo.walGap().checkedFrom() + " and "
                    + repo.walGap().checkedTo() + ", first " + repo.walGap().firstMissing()
                    + ": point-in-time recovery across them is impossible; take a full backup now");
        }
        Optional<Schedules.Planned> full = p.schedules().of(s.stanza, "full");
        if (repo.retentionFull() != null && full.isPresent()) {
            long fulls = repo.sets().stream().filter(b -> "full".equals(b.type()) && !b.error()).count();
            Optional<Instant> last = full.get().lastAtOrBefore(now);
            Optional<Instant> previous = full.get().previousBefore(now);
            if (fulls < repo.retentionFull() && last.isPresent() && previous.isPresent()) {
                Duration period = Duration.between(previous.get(), last.get());
                Duration toFill = period.multipliedBy(repo.retentionFull()).plus(p.scheduleGrace());
                if (Duration.between(s.firstSeenAt, now).compareTo(toFill) > 0) {
                    rules.degraded("RETENTION_SHORT", "Stanza " + s.stanza + " keeps " + fulls
                            + " full backup set(s) where the policy keeps " + repo.retentionFull()
                            + ": older recovery points than expected are gone");
                }
            }
        }
    }

    /** Collects messages and the worst status. */
    private static final class Rules {

        private final String stanza;
        private final List<Message> messages = new ArrayList<>();
        private Status status = Status.healthy;

        Rules(String stanza) {
            this.stanza = stanza;
        }

        void add(Status severity, String code, String message) {
            status = status.worst(severity);
            messages.add(new Message(stanza, severity.name(), code, message));
        }

        void unhealthy(String code, String message) {
            add(Status.unhealthy, code, message);
        }

        void degraded(String code, String message) {
            add(Status.degraded, code, message);
        }
    }

    public static FleetHealth fleet(Collection<Observed> stanzas, Instant now, Policy policy) {
        List<StanzaHealth> each = stanzas.stream().map(s -> evaluate(s, now, policy)).toList();
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
