package io.pgbackup.notifier.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.pgbackup.events.Severity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Alert routing and delivery. Secrets (the webhook URL, the SMTP password) come from the
 * environment or a file and are never logged or returned.
 */
@ConfigMapping(prefix = "notifier")
public interface NotifierConfig {

    Slack slack();

    Email email();

    /** Link to the dashboard put in every message. */
    @WithDefault("http://127.0.0.1:8080/")
    String dashboardUrl();

    /** An open condition that keeps happening is reminded about, with a count, at most this often. */
    @WithDefault("1h")
    Duration reminderInterval();

    /** Alerts arriving within this window go out together, one message per channel. */
    @WithDefault("10s")
    Duration groupWindow();

    /** How often open conditions are checked for a due reminder. */
    @WithDefault("5s")
    String reminderCheck();

    /** How often the outbox is checked for due deliveries. */
    @WithDefault("500ms")
    String deliveryInterval();

    Retry retry();

    /** Per-stanza routing: notifier.route."db2".slack=false, notifier.route."db2".email-to=dba@x */
    Map<String, Route> route();

    interface Slack {

        /** Incoming-webhook URL (SLACK_WEBHOOK_URL); Slack is off when neither this nor the file is set. */
        Optional<String> webhookUrl();

        /** A file holding the webhook URL (SLACK_WEBHOOK_URL_FILE), e.g. a mounted secret. */
        Optional<String> webhookUrlFile();

        /** Whether Slack is on: a webhook URL or a file holding one is given. */
        default boolean configured() {
            return webhookUrl().filter(u -> !u.isBlank()).isPresent()
                    || webhookUrlFile().filter(f -> !f.isBlank()).isPresent();
        }

        /** Lowest severity sent to Slack: info, warning or critical. */
        @WithDefault("warning")
        Severity minSeverity();

        /** Connect and answer timeout of one webhook call. */
        @WithDefault("10s")
        Duration timeout();

        /** Messages per minute at most; more wait for their turn. */
        @WithDefault("20")
        int ratePerMinute();

        /** After this many failed attempts, the alerts go by email instead (when email is set up). */
        @WithDefault("4")
        int fallbackAfterAttempts();
    }

    interface Email {

        /** Recipients, comma separated (ALERT_EMAIL_TO); email is off when empty. */
        Optional<String> to();

        /** Sender (ALERT_EMAIL_FROM); pg-backup@localhost when unset or empty. */
        Optional<String> from();

        /** Lowest severity sent by email. */
        @WithDefault("warning")
        Severity minSeverity();

        @WithDefault("20")
        int ratePerMinute();
    }

    interface Retry {

        /** First wait after a failed delivery; doubled after each failure. */
        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** A delivery failing this many times is given up (and logged). */
        @WithDefault("10")
        int maxAttempts();
    }

    interface Route {

        /** Send this stanza's alerts to Slack. */
        @WithDefault("true")
        boolean slack();

        /** Recipients for this stanza instead of notifier.email.to; "none" for no email. */
        Optional<String> emailTo();
    }
}
