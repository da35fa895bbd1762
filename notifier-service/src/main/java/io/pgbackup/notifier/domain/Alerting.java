package io.pgbackup.notifier.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.Answerer;
import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.Code;
import io.pgbackup.events.Codes;
import io.pgbackup.events.HealthCode;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.MaintenanceCompleted;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestorePointCreated;
import io.pgbackup.events.Severity;
import io.pgbackup.events.StanzaHealthChanged;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.notifier.config.NotifierConfig;
import io.pgbackup.notifier.persistence.Alert;
import io.pgbackup.notifier.persistence.AlertCondition;
import io.pgbackup.notifier.persistence.Delivery;
import io.pgbackup.notifier.routing.Routing;
import io.quarkus.scheduler.Scheduled;

/**
 * Turns events into alerts, once per condition: the first occurrence alerts, repeats only count
 * (and are reminded about after the reminder interval), the end of the condition sends one
 * "recovered". Alerts and their deliveries are written in the caller's transaction: the outbox.
 */
@ApplicationScoped
public class Alerting {

    private final NotifierConfig config;
    private final Routing routing;

    public Alerting(NotifierConfig config, Routing routing) {
        this.config = config;
        this.routing = routing;
    }

    /** Must run in the transaction that records the event as processed. */
    public void onEvent(BackupEvent event) {
        String stanza = StanzaNames.printable(event.stanza());
        if (event instanceof BackupFailed f) {
            Severity severity = severityOf(f.errorCode());
            if (severity == Severity.INFO) {
                return; // answered to whoever sent the wrong request; no database is at risk
            }
            open(stanza, "backup", severity, "Backup of stanza " + stanza + " failed [" + f.errorCode() + "]",
                    f.reason(), Codes.remedy(f.errorCode()), f.occurredAt());
        } else if (event instanceof BackupCompleted c) {
            resolve(stanza, "backup", "Backups of stanza " + stanza + " succeed again",
                    "Backup " + c.label() + " (" + c.backupType().wire() + ") completed.", c.occurredAt());
        } else if (event instanceof MaintenanceFailed m) {
            open(stanza, "maintenance:" + m.task().wire(), m.task().failureSeverity(), "Maintenance ("
                    + m.task().wire() + ") of stanza " + stanza + " failed [" + m.errorCode() + "]", m.reason(),
                    Codes.remedy(m.errorCode()), m.occurredAt());
        } else if (event instanceof RestoreFailed f && f.mode() == RestoreMode.POINT) {
            // A restore point that could not be made says nothing about the backups.
            if (f.answeredBy() == Answerer.EXECUTOR) {
                open(stanza, "restore-point", Severity.WARNING, "Restore point of stanza " + stanza
                        + " could not be created [" + f.errorCode() + "]", f.reason(), Codes.remedy(f.errorCode()),
                        f.occurredAt());
            }
        } else if (event instanceof RestorePointCreated p) {
            resolvePoints(stanza, p.name(), p.lsn(), p.occurredAt());
        } else if (event instanceof RestoreCompleted c && c.isLegacyRestorePoint()) {
            resolvePoints(stanza, c.target() == null ? "?" : c.target().value(), c.reachedLsn(), c.occurredAt());
        } else if (event instanceof RestoreFailed f) {
            if (f.refusedBeforeRunning()) {
                return; // answered to the asker; nothing ran, so nothing says the backups do not restore
            }
            open(stanza, "restore", severityOf(f.errorCode()),
                    (f.mode() == RestoreMode.TEST ? "Restore drill" : "Production restore")
                            + " of stanza " + stanza + " failed [" + f.errorCode() + "]",
                    f.reason(),
                    "The backups of this stanza may not be restorable: run a drill by hand and read the executor's"
                            + " log before you rely on them. " + Codes.remedy(f.errorCode()),
                    f.occurredAt());
        } else if (event instanceof RestoreCompleted c) {
            resolve(stanza, "restore", "Restores of stanza " + stanza + " work again", "A " + c.mode().wire()
                    + " restore completed in " + Math.round(c.rtoSeconds()) + " s.", c.occurredAt());
        } else if (event instanceof MaintenanceCompleted m) {
            resolve(stanza, "maintenance:" + m.task().wire(), "Maintenance (" + m.task().wire() + ") of stanza "
                    + stanza + " works again", m.summary(), m.occurredAt());
        }
    }

    /** The registry's severity of a code; a code this version does not know is taken as critical. */
    private static Severity severityOf(String code) {
        return Codes.find(code).map(Code::severity).orElse(Severity.CRITICAL);
    }

    private void resolvePoints(String stanza, String name, String lsn, Instant at) {
        resolve(stanza, "restore-point", "Restore points of stanza " + stanza + " can be created again",
                "Restore point " + name + " is at " + lsn + ".", at);
    }

    /** Must run in the transaction that records the change as processed. */
    public void onHealthChange(StanzaHealthChanged change) {
        String stanza = StanzaNames.printable(change.stanza());
        if (change.status() == HealthStatus.HEALTHY) {
            resolve(stanza, "health", "Stanza " + stanza + " is healthy again",
                    "It was " + (change.previousStatus() == null ? "new" : change.previousStatus().wire()) + ".",
                    change.occurredAt());
            return;
        }
        if (change.previousStatus() == null && change.status() == HealthStatus.DEGRADED) {
            return; // a new stanza waiting for its first backup
        }
        boolean onlyBackupFailure = !change.reasons().isEmpty() && change.reasons().stream()
                .allMatch(r -> HealthCode.LAST_BACKUP_FAILED.code().equals(r.code()));
        if (onlyBackupFailure && AlertCondition.<AlertCondition>findByIdOptional(key(stanza, "backup"))
                .map(AlertCondition::open).orElse(false)) {
            return; // the BackupFailed already alerted about exactly this
        }
        Severity severity = change.status() == HealthStatus.UNHEALTHY ? Severity.CRITICAL : Severity.WARNING;
        String reasons = String.join(" ", change.reasons().stream().map(r -> r.message()).toList());
        open(stanza, "health", severity, "Stanza " + stanza + " is " + change.status().wire(),
                reasons.isEmpty() ? "(no reason given)" : reasons, "Open the dashboard for the stanza's detail.",
                change.occurredAt());
    }

    @Scheduled(every = "${notifier.reminder-check:5s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void remind() {
        Instant now = Instant.now();
        for (AlertCondition c : AlertCondition.dueForReminder(now.minus(config.reminderInterval()))) {
            Alert previous = Alert.<Alert>find("conditionKey = ?1 and kind = ?2 order by id desc", c.key,
                    Alert.Kind.FIRING).firstResult();
            if (previous == null) {
                continue; // its alerts were pruned with the history; nothing to remind of
            }
            createAlert(c, Alert.Kind.REMINDER, previous.severity, "Still failing: " + previous.title,
                    "Happened " + c.occurrences + " times since " + c.openedAt + ". Latest: " + c.lastReason,
                    previous.hint, now);
        }
    }

    static String key(String stanza, String kind) {
        return stanza + "|" + kind;
    }

    private void open(String stanza, String kind, Severity severity, String title, String reason, String hint,
            Instant at) {
        Instant now = Instant.now();
        Optional<AlertCondition> existing = AlertCondition.findByIdOptional(key(stanza, kind));
        if (existing.isPresent() && existing.get().open()) {
            AlertCondition c = existing.get();
            c.occurrences++;
            c.lastSeenAt = now;
            c.lastReason = reason;
            Alert last = Alert.<Alert>find("conditionKey = ?1 and kind <> ?2 order by id desc", c.key,
                    Alert.Kind.RECOVERED).firstResult();
            if (last != null && severity.compareTo(last.severity) > 0) {
                createAlert(c, Alert.Kind.FIRING, severity, title, reason, hint, at); // it got worse: say so
            }
            return;
        }
        AlertCondition c = existing.orElseGet(AlertCondition::new);
        c.key = key(stanza, kind);
        c.stanza = stanza;
        c.kind = kind;
        c.state = AlertCondition.State.OPEN;
        c.openedAt = now;
        c.lastSeenAt = now;
        c.occurrences = 1;
        c.notifiedOccurrences = 0;
        c.lastReason = reason;
        if (existing.isEmpty()) {
            c.persist();
        }
        createAlert(c, Alert.Kind.FIRING, severity, title, reason, hint, at);
    }

    private void resolve(String stanza, String kind, String title, String detail, Instant at) {
        Optional<AlertCondition> existing = AlertCondition.findByIdOptional(key(stanza, kind));
        if (existing.isEmpty() || !existing.get().open()) {
            return;
        }
        AlertCondition c = existing.get();
        c.state = AlertCondition.State.RESOLVED;
        Alert firing = Alert.<Alert>find("conditionKey = ?1 and kind = ?2 order by id desc", c.key,
                Alert.Kind.FIRING).firstResult();
        Severity severity = firing == null ? Severity.WARNING : firing.severity;
        createAlert(c, Alert.Kind.RECOVERED, severity, title, detail + " The problem happened " + c.occurrences
                + " time(s) since " + c.openedAt + ".", "Nothing; this closes the alert.", at);
    }

    private void createAlert(AlertCondition c, Alert.Kind kind, Severity severity, String title, String reason,
            String hint, Instant at) {
        Instant now = Instant.now();
        Alert alert = new Alert();
        alert.conditionKey = c.key;
        alert.stanza = c.stanza;
        alert.kind = kind;
        alert.severity = severity;
        alert.title = title;
        alert.reason = reason;
        alert.hint = hint;
        alert.occurrences = c.occurrences;
        alert.occurredAt = at;
        alert.createdAt = now;
        alert.persist();
        c.notifiedOccurrences = c.occurrences;
        c.lastNotifiedAt = now;
        for (Routing.Target target : routing.targets(c.stanza, severity)) {
            attach(target, alert, now);
        }
    }

    /** Joins the alert to a message of the same channel still gathering a burst, or starts one. */
    private void attach(Routing.Target target, Alert alert, Instant now) {
        List<Delivery> gathering = Delivery.list("channel = ?1 and state = ?2 and attempts = 0 and groupUntil > ?3"
                + " and fallbackOf is null order by id", target.channel(), Delivery.State.PENDING, now);
        Delivery d = gathering.stream().filter(g -> java.util.Objects.equals(g.recipients, target.recipients()))
                .findFirst().orElse(null);
        if (d == null) {
            d = new Delivery();
            d.channel = target.channel();
            d.recipients = target.recipients();
            d.state = Delivery.State.PENDING;
            d.createdAt = now;
            d.groupUntil = now.plus(config.groupWindow());
            d.nextAttemptAt = d.groupUntil;
            d.persist();
        }
        d.alerts.add(alert);
    }
}
