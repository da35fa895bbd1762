package io.pgbackup.notifier.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The outbox: one message to one channel, carrying one or more alerts. Written in the
 * transaction that decided the alerts; deleted never, so it is also the delivery history.
 */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    public enum State {
        PENDING,
        SENT,
        FAILED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Channel channel;

    /** Email addresses (comma separated); null for Slack, whose URL is configuration, not data. */
    public String recipients;

    @Enumerated(EnumType.STRING)
    public State state;

    public int attempts;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Until then, alerts of a burst join this message. */
    @Column(name = "group_until")
    public Instant groupUntil;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** What went wrong last, without secrets (status code or exception type). */
    @Column(name = "last_error")
    public String lastError;

    /** For an email sent because Slack kept failing: the Slack delivery. */
    @Column(name = "fallback_of")
    public Long fallbackOf;

    @ManyToMany(fetch = FetchType.EAGER)
    @JoinTable(name = "delivery_alert", joinColumns = @JoinColumn(name = "delivery_id"), inverseJoinColumns = @JoinColumn(name = "alert_id"))
    @OrderBy("id")
    public List<Alert> alerts = new ArrayList<>();
}
