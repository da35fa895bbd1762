package io.pgbackup.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.HealthCode;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.ScheduleKind;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.persistence.StanzaState;

/**
 * The health rules, pure logic over a stanza's state, its executor's latest report and a clock.
 * Each problem is a message with a stable code (docs/health-api.md lists them with what to do);
 * the stanza's status is the worst severity among them.
 */
public final class HealthRules {

    /**
     * One reason, naming its stanza. Codes are stable (docs/errors.md): monitoring may match on
     * them. {@code severity} is the status the reason gives the stanza.
     */
    @JsonPropertyOrder({"stanza", "severity", "code", "message"})
    public record Message(String stanza, HealthStatus severity, String code, String message) {
    }

    /**
     * A stanza as the service knows it: its state from events, the executor's latest report, and
     * the scheduler's plan with its schedules read.
     */
    public record Observed(StanzaState state, StanzaStatusReported report, SchedulePlan plan, Schedules schedules) {

        public Observed(StanzaState state, StanzaStatusReported report, SchedulePlan plan) {
            this(state, report, plan, Schedules.from(plan));
        }

        /** With schedules given directly (tests, tools). */
        public Observed(StanzaState state, StanzaStatusReported report, Schedules schedules) {
            this(state, report, null, schedules);
        }
    }

    /**
     * The thresholds of the rules.
     *
     * @param maxAge newest successful backup older than this: BACKUP_TOO_OLD
     * @param scheduleGrace how long a planned backup or drill may take to complete
     * @param heartbeatTimeout silence after which an executor counts as gone
     * @param rpoTarget longest acceptable wait of completed WAL for the archive
     * @param minWindow shortest acceptable recoverability window, once the stanza is older than it
     * @param watchingSince when this service started: silence is not counted from before it (after a
     *     night of make down, the stored reports are hours old until the executors' first ones)
     * @param offsiteMaxAge the offsite repository's newest full backup older than this: OFFSITE_STALE
     */
    public record Policy(Duration maxAge, Duration scheduleGrace, Duration heartbeatTimeout, Duration rpoTarget,
            Duration minWindow, Instant watchingSince, Duration offsiteMaxAge) {

        /** With the default offsite age (8 days: a weekly full and a day's grace). */
        public Policy(Duration maxAge, Duration scheduleGrace, Duration heartbeatTimeout, Duration rpoTarget,
                Duration minWindow, Instant watchingSince) {
            this(maxAge, scheduleGrace, heartbeatTimeout, rpoTarget, minWindow, watchingSince, Duration.ofDays(8));
        }
    }

    /**
     * The points a point-in-time restore can reach: from the oldest backup's consistent point (its
     * stop) to the newest archived WAL (pg_stat_archiver's last archive, or the newest backup's
     * stop when that is later). {@code continuous} is false when the WAL between them has a gap:
     * then only the sets themselves and the stretches around the gap can be reached.
     */
    @JsonPropertyOrder({"from", "to", "seconds", "continuous"})
    public record Window(Instant from, Instant to, long seconds, boolean continuous) {
    }

    /** The stanza's recoverability window from its executor's latest report; empty without sets. */
    public static Optional<Window> window(StanzaStatusReported r) {
        if (r == null || r.repo() == null || r.repo().sets() == null) {
            return Optional.empty();
        }
        List<StanzaStatusReported.BackupSet> sets = r.repo().sets().stream()
                .filter(b -> !b.error() && b.stop() != null).toList();
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        Instant from = sets.stream().map(StanzaStatusReported.BackupSet::stop).min(Instant::compareTo).orElseThrow();
        Instant to = sets.stream().map(StanzaStatusReported.BackupSet::stop).max(Instant::compareTo).orElseThrow();
        if (r.archiver() != null && r.archiver().lastArchivedAt() != null
                && r.archiver().lastArchivedAt().isAfter(to)) {
            to = r.archiver().lastArchivedAt();
        }
        boolean continuous = r.repo().walGap() == null || r.repo().walGap().missing() == 0;
        return Optional.of(new Window(from, to, Duration.between(from, to).toSeconds(), continuous));
    }

    /**
     * @param rpoSeconds how much completed WAL is at risk: seconds since the last archived
     *     segment while segments wait, 0 when none wait; null without archiving facts
     */
    public record StanzaHealth(String stanza, HealthStatus status, List<Message> messages, Double lastBackupAgeHours,
            Double rpoSeconds, StanzaState state, StanzaStatusReported report) {
    }

    public record FleetHealth(HealthStatus status, Instant timestamp, Double lastBackupAgeHours, List<Message> messages,
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
            rules.unhealthy(HealthCode.LAST_BACKUP_FAILED, "The latest backup of stanza " + s.stanza + " failed ["
                    + s.lastErrorCode + "]: " + s.lastErrorReason);
        }
        if ("RestoreFailed".equals(s.lastDrillOutcome)) {
            rules.unhealthy(HealthCode.LAST_DRILL_FAILED, "The latest restore drill of stanza " + s.stanza + " failed "
                    + s.lastDrillReason + ": its backups may not be restorable");
        }
        if (s.lastMaintenanceFailedTask != null) {
            // check and verify prove that backups restore; expire and logs only keep the repository tidy.
            rules.add(HealthStatus.of(s.lastMaintenanceFailedTask.failureSeverity()), HealthCode.MAINTENANCE_FAILED,
                    "pgbackrest " + s.lastMaintenanceFailedTask.wire() + " of stanza " + s.stanza + " failed: "
                            + s.lastMaintenanceReason);
        }
        if (s.lastSuccessAt == null) {
            boolean overdue = Duration.between(s.firstSeenAt, now).compareTo(p.maxAge()) > 0;
            rules.add(overdue ? HealthStatus.UNHEALTHY : HealthStatus.DEGRADED, HealthCode.NO_BACKUP, "Stanza "
                    + s.stanza
                    + " has no successful backup yet" + (overdue
                            ? ", " + hours(p.maxAge())
                                    + " h after it was first expected"
                            : ""));
        } else if (Duration.between(s.lastSuccessAt, now).compareTo(p.maxAge()) > 0) {
            rules.unhealthy(HealthCode.BACKUP_TOO_OLD, "The newest successful backup of stanza " + s.stanza + " ("
                    + s.lastSuccessLabel + ") is " + age + " h old, more than the " + hours(p.maxAge())
                    + " h allowed");
        }
        schedule(rules, s, o.schedules(), now, p);
        duplicates(rules, s, r, now, p);
        recoverability(rules, s, r, now, p);
        offsite(rules, s, r, now, p);
        Double rpo = archiving(rules, s.stanza, r, now, p);
        repository(rules, s, r, o.schedules(), now, p);
        return new StanzaHealth(s.stanza, rules.status, rules.messages, age, rpo, s, r);
    }

    /** Schedule-aware staleness: the backup (or drill) the scheduler's plan had due did not complete. */
    private static void schedule(Rules rules, StanzaState s, Schedules schedules, Instant now, Policy p) {
        Instant due = now.minus(p.scheduleGrace());
        for (Schedules.Planned planned : schedules.all()) {
            Optional<Instant> fire = planned.lastAtOrBefore(due);
            if (fire.isEmpty() || fire.get().isBefore(s.firstSeenAt)) {
                continue;
            }
            Optional<BackupType> type = planned.kind().backupType();
            if (type.isEmpty()) {
                if (s.lastDrillAt == null || s.lastDrillAt.isBefore(fire.get())) {
                    rules.degraded(HealthCode.DRILL_OVERDUE, "The restore drill of stanza " + s.stanza + " planned for "
                            + fire.get() + " by schedule drill '" + planned.expression() + "' has not run"
                            + (s.lastDrillAt == null ? "; no drill ever ran" : "; the latest ran at " + s.lastDrillAt));
                }
                continue;
            }
            Instant newest = s.newestAtLeast(type.get());
            if (newest == null || newest.isBefore(fire.get())) {
                rules.unhealthy(HealthCode.BACKUP_MISSED, "The " + type.get().wire() + " backup of stanza " + s.stanza
                        + " planned for " + fire.get() + " by schedule " + type.get().wire() + " '"
                        + planned.expression() + "' (" + planned.zone() + ") did not complete within "
                        + hours(p.scheduleGrace()) + " h" + (newest == null
                                ? ""
                                : "; the newest " + String.join(" or ", type.get().satisfiedBy().stream()
                                        .map(BackupType::wire).toList()) + " completed at " + newest));
            }
        }
    }

    /**
     * Retention, failing backups or a young first full can leave less history than the operators
     * count on; a stanza younger than the minimum cannot have more and is not flagged.
     */
    private static void recoverability(Rules rules, StanzaState s, StanzaStatusReported r, Instant now, Policy p) {
        Optional<Window> w = window(r);
        if (w.isEmpty() || s.firstSeenAt == null || s.firstSeenAt.plus(p.minWindow()).isAfter(now)) {
            return;
        }
        if (Duration.ofSeconds(w.get().seconds()).compareTo(p.minWindow()) < 0) {
            rules.degraded(HealthCode.WINDOW_SHORT, "Stanza " + s.stanza + " can be restored to points from "
                    + w.get().from() + " to " + w.get().to() + " only (" + hours(Duration.ofSeconds(w.get().seconds()))
                    + " h), less than the " + hours(p.minWindow()) + " h wanted (health.min-window)");
        }
    }

    /**
     * The offsite repository must restore alone: readable, with a full backup young enough. A stanza
     * whose first full is younger than the schedule grace has not had time to copy it yet.
     */
    private static void offsite(Rules rules, StanzaState s, StanzaStatusReported r, Instant now, Policy p) {
        if (r == null || r.offsite() == null) {
            return;
        }
        String repo = "offsite repository repo" + r.offsiteRepo() + " of stanza " + s.stanza;
        // Status 2 is "no valid backups": a young stanza's copy may not be made yet (judged below).
        if (!(r.offsite().statusCode() == 0 || r.offsite().statusCode() == NO_VALID_BACKUPS)
                || !(r.offsite().repoStatusCode() == 0 || r.offsite().repoStatusCode() == NO_VALID_BACKUPS)) {
            rules.degraded(HealthCode.OFFSITE_STALE, "The " + repo + " is not usable: pgbackrest info says ["
                    + r.offsite().statusCode() + "] " + r.offsite().statusMessage());
            return;
        }
        Optional<Instant> newestFull = newestFull(r.offsite());
        if (newestFull.isEmpty()) {
            if (s.lastFullAt != null && s.lastFullAt.plus(p.scheduleGrace()).isBefore(now)) {
                rules.degraded(HealthCode.OFFSITE_STALE, "The " + repo + " has no full backup, though the stanza's"
                        + " full backup of " + s.lastFullAt + " should have been copied there");
            }
        } else if (newestFull.get().plus(p.offsiteMaxAge()).isBefore(now)) {
            rules.degraded(HealthCode.OFFSITE_STALE, "The " + repo + "'s newest full backup is from "
                    + newestFull.get() + ", older than " + hours(p.offsiteMaxAge()) + " h (health.offsite-max-age)");
        }
    }

    /** pgbackrest info's status code for a stanza (or repository) without a backup yet. */
    private static final int NO_VALID_BACKUPS = 2;

    /** The stop of the newest full set of a repository, if it has one. */
    public static Optional<Instant> newestFull(StanzaStatusReported.Repo repo) {
        return repo.sets() == null
                ? Optional.empty()
                : repo.sets().stream().filter(b -> b.type() == BackupType.FULL && !b.error() && b.stop() != null)
                        .map(StanzaStatusReported.BackupSet::stop).max(Instant::compareTo);
    }

    /** Two executors serving one stanza would both run its backups; only one of them does. */
    private static void duplicates(Rules rules, StanzaState s, StanzaStatusReported r, Instant now, Policy p) {
        Duration window = allowedSilence(p.heartbeatTimeout(), r == null ? 0 : r.intervalSeconds());
        if (s.duplicateSeenAt == null || s.duplicateSeenAt.plus(window).isBefore(now)) {
            return;
        }
        String current = r == null ? "?" : r.executorId();
        String other = s.otherExecutorId == null ? "?" : s.otherExecutorId;
        String first = current.compareTo(other) <= 0 ? current : other;
        rules.unhealthy(HealthCode.DUPLICATE_EXECUTOR, "Stanza " + s.stanza + " is served by two executors, " + current
                + " and " + other + " (both reported within " + window.toSeconds() + " s): only "
                + first + " runs its requests; remove the stanza from the other's EXECUTOR_STANZAS");
    }

    /** How long an executor may stay silent: the heartbeat timeout, and at least three of its own intervals. */
    public static Duration allowedSilence(Duration heartbeatTimeout, long intervalSeconds) {
        Duration three = Duration.ofSeconds(3 * intervalSeconds);
        return heartbeatTimeout.compareTo(three) > 0 ? heartbeatTimeout : three;
    }

    /** Heartbeat and WAL archiving from the executor's report. Returns the RPO in seconds. */
    private static Double archiving(Rules rules, String stanza, StanzaStatusReported r, Instant now, Policy p) {
        if (r == null) {
            return null;
        }
        Duration silence = Duration.between(r.occurredAt(), now);
        Duration watched = Duration.between(p.watchingSince(), now);
        Duration allowed = allowedSilence(p.heartbeatTimeout(), r.intervalSeconds());
        if (silence.compareTo(allowed) > 0 && watched.compareTo(allowed) > 0) {
            rules.unhealthy(HealthCode.EXECUTOR_SILENT, "Executor " + r.executorId() + " of stanza " + stanza
                    + " has not reported for " + silence.toSeconds() + " s (allowed " + allowed.toSeconds()
                    + " s): no backup or archiving fact about it is current");
        }
        StanzaStatusReported.Archiver a = r.archiver();
        if (a == null) {
            return null;
        }
        if (a.error() != null) {
            rules.degraded(HealthCode.ARCHIVE_UNKNOWN,
                    "WAL archiving of stanza " + stanza + " cannot be checked: " + a.error());
            return null;
        }
        if (a.lastFailedAt() != null && (a.lastArchivedAt() == null || a.lastFailedAt().isAfter(a.lastArchivedAt()))) {
            rules.unhealthy(HealthCode.ARCHIVE_FAILING,
                    "WAL archiving of stanza " + stanza + " is failing: the latest attempt ("
                            + a.lastFailedWal() + " at " + a.lastFailedAt() + ") failed, " + a.failedCount()
                            + " failures so far; see archive_command and the PostgreSQL log");
        }
        double rpo = 0;
        if (a.walReady() != null && a.walReady() > 0) {
            Instant since = a.lastArchivedAt() != null ? a.lastArchivedAt() : r.occurredAt();
            rpo = Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
            if (rpo > p.rpoTarget().toSeconds()) {
                rules.unhealthy(HealthCode.ARCHIVE_LAG, a.walReady() + " WAL segment(s) of stanza " + stanza
                        + " wait for the archive; the last was archived " + Math.round(rpo) + " s ago, above the RPO"
                        + " target of " + p.rpoTarget().toSeconds() + " s");
            }
        }
        return rpo;
    }

    /** Repository facts: its status codes, the WAL chain and the retention policy. */
    private static void repository(Rules rules, StanzaState s, StanzaStatusReported r, Schedules schedules,
            Instant now, Policy p) {
        StanzaStatusReported.Repo repo = r == null ? null : r.repo();
        if (repo == null) {
            return;
        }
        // Code 2 (no valid backup), which pgbackrest gives the stanza and its repository alike, is
        // NO_BACKUP's to report: a new stanza is not a broken repository.
        if ((repo.statusCode() != 0 && repo.statusCode() != 2)
                || (repo.repoStatusCode() != 0 && repo.repoStatusCode() != 2)) {
            rules.unhealthy(HealthCode.REPO_ERROR, "pgbackrest info reports stanza " + s.stanza + " with status "
                    + repo.statusCode() + " (repository " + repo.repoStatusCode() + "): " + repo.statusMessage());
        }
        if (repo.walGap() != null && repo.walGap().missing() > 0) {
            rules.unhealthy(HealthCode.WAL_GAP, repo.walGap().missing() + " WAL segment(s) of stanza " + s.stanza
                    + " are missing from the archive between " + repo.walGap().checkedFrom() + " and "
                    + repo.walGap().checkedTo() + ", first " + repo.walGap().firstMissing()
                    + ": point-in-time recovery across them is impossible; take a full backup now");
        }
        Optional<Schedules.Planned> full = schedules.of(ScheduleKind.FULL);
        if (repo.retentionFull() != null && full.isPresent()) {
            long fulls = repo.sets().stream().filter(b -> b.type() == BackupType.FULL && !b.error()).count();
            Optional<Instant> last = full.get().lastAtOrBefore(now);
            Optional<Instant> previous = full.get().previousBefore(now);
            if (fulls < repo.retentionFull() && last.isPresent() && previous.isPresent()) {
                Duration period = Duration.between(previous.get(), last.get());
                Duration toFill = period.multipliedBy(repo.retentionFull()).plus(p.scheduleGrace());
                if (Duration.between(s.firstSeenAt, now).compareTo(toFill) > 0) {
                    rules.degraded(HealthCode.RETENTION_SHORT, "Stanza " + s.stanza + " keeps " + fulls
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
        private HealthStatus status = HealthStatus.HEALTHY;

        Rules(String stanza) {
            this.stanza = stanza;
        }

        void add(HealthStatus severity, HealthCode code, String message) {
            status = status.worst(severity);
            messages.add(new Message(stanza, severity, code.code(), message));
        }

        void unhealthy(HealthCode code, String message) {
            add(HealthStatus.UNHEALTHY, code, message);
        }

        void degraded(HealthCode code, String message) {
            add(HealthStatus.DEGRADED, code, message);
        }
    }

    public static FleetHealth fleet(Collection<Observed> stanzas, Instant now, Policy policy) {
        List<StanzaHealth> each = stanzas.stream().map(s -> evaluate(s, now, policy)).toList();
        HealthStatus status = HealthStatus.HEALTHY;
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
            status = HealthStatus.DEGRADED;
            messages.add(new Message(null, HealthStatus.DEGRADED, HealthCode.NO_STANZAS.code(),
                    "No stanza is configured or has reported yet"));
        }
        return new FleetHealth(status, now, worstAge, messages, each);
    }

    static double hours(Duration d) {
        return Math.round(d.toMillis() / 36_000.0) / 100.0;
    }
}
