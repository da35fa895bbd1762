package io.pgbackup.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.pgbackup.notifier.config.NotifierConfig;
import io.pgbackup.notifier.persistence.Alert;
import io.pgbackup.notifier.persistence.Channel;
import io.pgbackup.notifier.persistence.Delivery;
import io.pgbackup.notifier.routing.Routing;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends due deliveries, one at a time, each inside a transaction that holds its row lock (two
 * notifier replicas never send the same message). Failures are retried with exponential backoff,
 * honouring Retry-After; a Slack message that keeps failing goes by email instead.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final EntityManager em;
    private final SlackWebhook slack;
    private final EmailSender email;
    private final NotifierConfig config;
    private final Routing routing;

    public DeliveryWorker(EntityManager em, SlackWebhook slack, EmailSender email, NotifierConfig config,
            Routing routing) {
        this.em = em;
        this.slack = slack;
        this.email = email;
        this.config = config;
        this.routing = routing;
    }

    @Scheduled(every = "${notifier.delivery-interval:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deliverDue() {
        try {
            while (QuarkusTransaction.requiringNew().timeout(120).call(this::deliverOne)) {
                // next one
            }
        } catch (RuntimeException e) {
            LOG.warnf("delivery round failed (%s); will retry", e.getClass().getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    private boolean deliverOne() {
        Instant now = Instant.now();
        List<Number> ids = em
                .createNativeQuery("SELECT id FROM delivery WHERE state = 'PENDING' AND next_attempt_at <= ?1"
                        + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
                .setParameter(1, now).getResultList();
        if (ids.isEmpty()) {
            return false;
        }
        Delivery d = Delivery.findById(ids.get(0).longValue());
        Optional<Instant> slot = rateLimited(d.channel, now);
        if (slot.isPresent()) {
            d.nextAttemptAt = slot.get();
            return true;
        }
        SendResult result = send(d);
        d.attempts++;
        switch (result.outcome()) {
            case SENT -> {
                d.state = Delivery.State.SENT;
                d.sentAt = Instant.now();
                d.lastError = null;
                LOG.infof("sent %s message %d with %d alert(s) after %d attempt(s)", d.channel, d.id, d.alerts.size(),
                        d.attempts);
            }
            case RETRY -> retryOrGiveUp(d, result, now);
            case REFUSED -> giveUp(d, result.error());
        }
        return true;
    }

    private SendResult send(Delivery d) {
        List<Alert> alerts = d.alerts;
        if (d.channel == Channel.SLACK) {
            return slack.post(MessageRenderer.slack(alerts, config.dashboardUrl()));
        }
        return email.send(d.recipients, MessageRenderer.subject(alerts),
                MessageRenderer.text(alerts, config.dashboardUrl()),
                MessageRenderer.html(alerts, config.dashboardUrl()));
    }

    private void retryOrGiveUp(Delivery d, SendResult result, Instant now) {
        d.lastError = result.error();
        boolean slackExhausted = d.channel == Channel.SLACK && d.attempts >= config.slack().fallbackAfterAttempts()
                && hasFallback(d);
        if (slackExhausted || d.attempts >= config.retry().maxAttempts()) {
            giveUp(d, result.error());
            return;
        }
        Duration doubled = config.retry().initialBackoff().multipliedBy(1L << Math.min(d.attempts - 1, 20));
        Duration backoff = doubled.compareTo(config.retry().maxBackoff()) > 0 ? config.retry().maxBackoff() : doubled;
        Duration wait = result.retryAfter().filter(r -> r.compareTo(backoff) > 0).orElse(backoff);
        d.nextAttemptAt = now.plus(wait);
        LOG.warnf("%s message %d failed (%s), attempt %d; next try in %d ms", d.channel, d.id, result.error(),
                d.attempts, wait.toMillis());
    }

    private boolean hasFallback(Delivery d) {
        return d.alerts.stream().anyMatch(a -> routing.fallbackRecipients(a.stanza).isPresent());
    }

    private void giveUp(Delivery d, String error) {
        d.state = Delivery.State.FAILED;
        d.lastError = error;
        if (d.channel != Channel.SLACK) {
            LOG.errorf("gave up on %s message %d after %d attempt(s): %s", d.channel, d.id, d.attempts, error);
            return;
        }
        // Slack keeps failing: the alerts that no email carries yet go by email.
        Instant now = Instant.now();
        for (Alert a : d.alerts) {
            boolean emailed = ((Number) em.createNativeQuery("SELECT count(*) FROM delivery_alert da JOIN delivery e"
                    + " ON e.id = da.delivery_id WHERE da.alert_id = ?1 AND e.channel = 'email'")
                    .setParameter(1, a.id).getSingleResult()).longValue() > 0;
            Optional<String> to = routing.fallbackRecipients(a.stanza);
            if (emailed || to.isEmpty()) {
                continue;
            }
            Delivery fallback = Delivery.<Delivery>find("fallbackOf = ?1 and recipients = ?2", d.id, to.get())
                    .firstResultOptional().orElseGet(() -> {
                        Delivery f = new Delivery();
                        f.channel = Channel.EMAIL;
                        f.recipients = to.get();
                        f.state = Delivery.State.PENDING;
                        f.createdAt = now;
                        f.groupUntil = now;
                        f.nextAttemptAt = now;
                        f.fallbackOf = d.id;
                        f.persist();
                        return f;
                    });
            fallback.alerts.add(a);
        }
        LOG.errorf("gave up on slack message %d after %d attempt(s) (%s); its alerts go by email", d.id, d.attempts,
                error);
    }

    /** Empty when the channel may send now, else when it may. */
    private Optional<Instant> rateLimited(Channel channel, Instant now) {
        int limit = channel == Channel.SLACK ? config.slack().ratePerMinute() : config.email().ratePerMinute();
        @SuppressWarnings("unchecked")
        List<java.sql.Timestamp> recent = em.createNativeQuery("SELECT sent_at FROM delivery WHERE channel = ?1"
                + " AND state = 'SENT' AND sent_at > ?2 ORDER BY sent_at").setParameter(1, channel.wire())
                .setParameter(2, now.minusSeconds(60)).getResultList().stream().map(o -> toTimestamp(o)).toList();
        if (recent.size() < limit) {
            return Optional.empty();
        }
        return Optional.of(recent.get(recent.size() - limit).toInstant().plusSeconds(60));
    }

    private static java.sql.Timestamp toTimestamp(Object o) {
        if (o instanceof java.sql.Timestamp t) {
            return t;
        }
        if (o instanceof Instant i) {
            return java.sql.Timestamp.from(i);
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return java.sql.Timestamp.from(odt.toInstant());
        }
        throw new IllegalStateException("unexpected timestamp type " + o.getClass());
    }
}
