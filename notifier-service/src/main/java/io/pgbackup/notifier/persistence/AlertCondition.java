package io.pgbackup.notifier.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A problem of one stanza (backup, maintenance:TASK or health), open until it recovers. */
@Entity
@Table(name = "alert_condition")
public class AlertCondition extends PanacheEntityBase {

    public enum State {
        OPEN,
        RESOLVED
    }

    @Id
    @Column(name = "condition_key")
    public String key;

    public String stanza;

    public String kind;

    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "opened_at")
    public Instant openedAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public int occurrences;

    @Column(name = "notified_occurrences")
    public int notifiedOccurrences;

    @Column(name = "last_notified_at")
    public Instant lastNotifiedAt;

    @Column(name = "last_reason")
    public String lastReason;

    public boolean open() {
        return state == State.OPEN;
    }

    /** Open conditions that happened again since the last message and are due a reminder. */
    public static List<AlertCondition> dueForReminder(Instant notifiedBefore) {
        return list("state = ?1 and occurrences > notifiedOccurrences and lastNotifiedAt <= ?2", State.OPEN,
                notifiedBefore);
    }
}
