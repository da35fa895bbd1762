package io.pgbackup.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The machinery every service shares: outbox relay, consumer policy, history retention. */
@ConfigMapping(prefix = "pgbackup")
public interface PlatformConfig {

    Outbox outbox();

    Consumer consumer();

    Retention retention();

    Api api();

    /** The transactional outbox and its relay to Kafka. */
    interface Outbox {

        /**
         * How often the relay looks for rows when nothing woke it. A commit that wrote rows wakes
         * it at once; this only bounds the delay for rows written by another replica.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** Rows claimed and sent together. */
        @WithDefault("256")
        int batchSize();

        /**
         * How long claimed rows belong to one relay. A relay that died holding them gives them up
         * after this; it must exceed the send timeout.
         */
        @WithDefault("2m")
        Duration lease();

        /** How long the relay waits for the broker's acknowledgements of one batch. */
        @WithDefault("45s")
        Duration sendTimeout();

        /** Longest wait between attempts while the database or the broker is down. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    /** What every {@code @Incoming} does with a record it cannot process. */
    interface Consumer {

        /**
         * Attempts for a record whose processing keeps failing for a reason that is not transient;
         * after the last one it goes to the topic's dead-letter queue. Transient failures (state
         * database or broker unreachable) are retried for as long as they last.
         */
        @WithDefault("5")
        int maxAttempts();

        /** First wait before a retry; doubled after each failure. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest wait between two attempts: after an outage, at most this until work resumes. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    /** How long finished history is kept before it is pruned. */
    interface Retention {

        /** Processed events, finished requests, stored events and deliveries older than this are pruned. */
        @WithDefault("90d")
        Duration history();

        /** How often pruning runs ("off" to never prune). */
        @WithDefault("1h")
        String pruneEvery();

        /** Rows deleted per statement, so pruning never holds long locks. */
        @WithDefault("5000")
        int batchSize();
    }

    /** Who may change state through a service's REST API. */
    interface Api {

        /**
         * A file holding the bearer token every write (POST, PUT, PATCH, DELETE) must carry in
         * {@code Authorization: Bearer <token>}; at least 32 characters, readable only by the
         * service's user (0600). Without one, every write is refused: a service never accepts
         * anonymous writes. Reads stay open (they carry no secret, and HTTP listens on 127.0.0.1).
         */
        Optional<Path> tokenFile();
    }
}
