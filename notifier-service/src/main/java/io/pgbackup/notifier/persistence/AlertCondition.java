package io.pgbackup.notifier.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A problem of one stanza (backup, maintenance:TASK or health), open until it recovers. */
@Entity
@Table(name = "alert_condition")
public class AlertCondition extends PanacheEntityBase {

    public static final String OPEN = "OPEN";
    public static final String RESOLVED = "RESOLVED";

    @Id
    @Column(name = "condition_key")
    public String key;

    public String stanza;

    public String kind;

    public String state;

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
        return OPEN.equals(state);
    }

    /** Open conditions that happened again since the last message and are due a reminder. */
    public static List<AlertCondition> dueForReminder(Instant notifiedBefore) {
        return list("state = ?1 and occurrences > notifiedOccurrences and lastNotifiedAt <= ?2", OPEN,
                notifiedBefore);
    }
}
