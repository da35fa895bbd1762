package io.pgbackup.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/** How one delivery attempt ended. {@code error} never holds a secret: a status or a type name. */
public record SendResult(Outcome outcome, String error, Optional<Duration> retryAfter) {

    public enum Outcome {
        SENT,
        /** Timeout, connection failure, 5xx or 429: try again later. */
        RETRY,
        /** The receiver refused the message for good (4xx other than 429). */
        REFUSED
    }

    public static SendResult sent() {
        return new SendResult(Outcome.SENT, null, Optional.empty());
    }

    public static SendResult retry(String error, Optional<Duration> retryAfter) {
        return new SendResult(Outcome.RETRY, error, retryAfter);
    }

    public static SendResult refused(String error) {
        return new SendResult(Outcome.REFUSED, error, Optional.empty());
    }
}
