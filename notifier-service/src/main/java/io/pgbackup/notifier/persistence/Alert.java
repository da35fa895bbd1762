package io.pgbackup.notifier.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pgbackup.events.Severity;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One alert: firing, reminder or recovered. */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {

    public enum Kind {
        /** The condition began (or got worse). */
        FIRING,
        /** It keeps happening: a reminder with a count. */
        REMINDER,
        /** It ended. */
        RECOVERED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "condition_key")
    public String conditionKey;

    public String stanza;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    public Severity severity;

    public String title;

    public String reason;

    /** What to do about it, for a person on call. */
    public String hint;

    /** How often the condition happened when this alert was made. */
    public int occurrences;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "created_at")
    public Instant createdAt;
}
