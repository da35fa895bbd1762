package io.pgbackup.notifier.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.Severity;
import io.pgbackup.notifier.config.NotifierConfig;
import io.pgbackup.notifier.persistence.Channel;

/**
 * Which channels and recipients an alert of a stanza and severity goes to: read from the
 * configuration alone, so both the alerting (what to send) and the delivery (where a failed Slack
 * message falls back to) can ask it.
 */
@ApplicationScoped
public class Routing {

    public record Target(Channel channel, String recipients) {
    }

    private final NotifierConfig config;

    public Routing(NotifierConfig config) {
        this.config = config;
    }

    public List<Target> targets(String stanza, Severity severity) {
        List<Target> targets = new ArrayList<>();
        Optional<NotifierConfig.Route> route = Optional.ofNullable(config.route().get(stanza));
        if (config.slack().configured() && route.map(NotifierConfig.Route::slack).orElse(true)
                && severity.atLeast(config.slack().minSeverity())) {
            targets.add(new Target(Channel.SLACK, null));
        }
        emailRecipients(stanza).filter(r -> severity.atLeast(config.email().minSeverity()))
                .ifPresent(r -> targets.add(new Target(Channel.EMAIL, r)));
        return targets;
    }

    /** The stanza's email recipients, if email goes anywhere for it. */
    public Optional<String> emailRecipients(String stanza) {
        Optional<String> routed = Optional.ofNullable(config.route().get(stanza))
                .flatMap(NotifierConfig.Route::emailTo);
        Optional<String> to = routed.isPresent() ? routed : config.email().to();
        return to.map(String::trim).filter(t -> !t.isEmpty() && !t.equals("none"));
    }

    /** Email recipients for alerts that Slack could not deliver: the stanza's, else the default. */
    public Optional<String> fallbackRecipients(String stanza) {
        return emailRecipients(stanza).or(() -> config.email().to().map(String::trim).filter(t -> !t.isEmpty()));
    }
}
