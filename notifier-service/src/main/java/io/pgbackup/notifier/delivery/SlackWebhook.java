package io.pgbackup.notifier.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.notifier.config.NotifierConfig;

/**
 * Posts to a Slack incoming webhook. The URL is a secret (whoever has it can post): it is read
 * from the environment or a file, and never appears in logs, errors or HTTP answers.
 */
@ApplicationScoped
public class SlackWebhook {

    private final Optional<URI> url;
    private final HttpClient client;
    private final Duration timeout;

    public SlackWebhook(NotifierConfig config) {
        this.timeout = config.slack().timeout();
        this.url = config.slack().webhookUrl().filter(u -> !u.isBlank())
                .or(() -> config.slack().webhookUrlFile().filter(f -> !f.isBlank()).map(SlackWebhook::readSecret))
                .map(String::trim).map(URI::create);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    private static String readSecret(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the Slack webhook file given in notifier.slack.webhook-url-file");
        }
    }

    public boolean configured() {
        return url.isPresent();
    }

    public SendResult post(String json) {
        if (url.isEmpty()) {
            return SendResult.refused("slack not configured");
        }
        HttpRequest request = HttpRequest.newBuilder(url.get()).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return SendResult.sent();
            }
            if (status == 429 || status / 100 == 5) {
                Optional<Duration> after = response.headers().firstValue("Retry-After").flatMap(SlackWebhook::seconds);
                return SendResult.retry("HTTP " + status, after);
            }
            return SendResult.refused("HTTP " + status);
        } catch (HttpTimeoutException e) {
            return SendResult.retry("timeout after " + timeout.toSeconds() + " s", Optional.empty());
        } catch (IOException e) {
            // The message of a connection error may name the host; only the type is kept.
            return SendResult.retry(e.getClass().getSimpleName(), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted", Optional.empty());
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
