package io.pgbackup.platform.consumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgbackup.events.Decoded;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.platform.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The one policy every {@code @Incoming} follows, so that no record can stop a consumer:
 * <ul>
 * <li>a record that cannot be decoded, or lacks a required field, goes once to {@code <topic>.dlq}
 * with the reason (by the topic's owner; other readers pass over it) and the consumer goes on;</li>
 * <li>a transient failure (state database or broker down, deadlock) is retried with backoff for as
 * long as it lasts: nothing is lost and the channel never dies;</li>
 * <li>a failure that repeats for another reason is retried a bounded number of times, then the
 * record goes to the dead-letter queue and the consumer goes on.</li>
 * </ul>
 * The record is acknowledged only after it was handled or safely dead-lettered.
 */
@ApplicationScoped
public class ConsumerPolicy {

    private static final Logger LOG = Logger.getLogger(ConsumerPolicy.class);

    /** What a reader does with a record that is not readable as its topic's type. */
    public enum Unreadable {
        /** This service owns the topic's dead-letter queue: copy the record there with the reason. */
        DEAD_LETTER,
        /**
         * Another service dead-letters the topic's unreadable records (docs/events.md names it); this
         * one goes on, so a record read by several services is dead-lettered once.
         */
        PASS_OVER
    }

    /** Handles one decoded record. Runs its own transactions; may be called again after a failure. */
    @FunctionalInterface
    public interface Handler<T> {

        void handle(T value, IncomingRecord record) throws Exception;
    }

    /** Handles decoded records together (one transaction for a polled batch). */
    @FunctionalInterface
    public interface BatchHandler<T> {

        void handle(List<Item<T>> items) throws Exception;
    }

    public record Item<T>(T value, IncomingRecord record) {
    }

    private final PlatformConfig.Consumer config;
    private final DeadLetters deadLetters;
    private final MeterRegistry registry;
    private volatile boolean stopping;
    private volatile Instant lastTransientFailure;

    public ConsumerPolicy(PlatformConfig config, DeadLetters deadLetters, MeterRegistry registry) {
        this.config = config.consumer();
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * When a consumer of this service last met a transient failure (state database or broker
     * away), if ever. After one, records (claims among them) that waited meanwhile are still being
     * read: whoever answers on a deadline waits a little longer.
     */
    public Optional<Instant> lastTransientFailure() {
        return Optional.ofNullable(lastTransientFailure);
    }

    /** For {@code @Incoming @Blocking} methods taking one {@code Message<String>}. */
    public <T> CompletionStage<Void> consume(Message<String> message, Function<String, Decoded<T>> decoder,
            Unreadable unreadable, Handler<T> handler) {
        IncomingRecord record = IncomingRecord.of(message, message.getPayload());
        try {
            decode(record, decoder, unreadable).ifPresent(value -> run(record, () -> handler.handle(value, record)));
            return message.ack();
        } catch (Stopping e) {
            // Not acknowledged: the record is delivered again after the restart.
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * For batch channels ({@code batch=true}): poison records are set aside one by one, the rest is
     * handled together; when the batch keeps failing, each record is handled alone so that only
     * the ones that fail go to the dead-letter queue.
     */
    public <T> CompletionStage<Void> consumeBatch(KafkaRecordBatch<String, String> batch,
            Function<String, Decoded<T>> decoder, Unreadable unreadable, BatchHandler<T> handler) {
        try {
            List<Item<T>> items = new ArrayList<>();
            for (KafkaRecord<String, String> message : batch.getRecords()) {
                IncomingRecord record = IncomingRecord.of(message, message.getPayload());
                decode(record, decoder, unreadable).ifPresent(value -> items.add(new Item<>(value, record)));
            }
            if (!items.isEmpty() && !attempt(items.get(0).record(), () -> handler.handle(items), false)) {
                LOG.warnf("a batch of %d record(s) keeps failing; handling them one by one", items.size());
                for (Item<T> item : items) {
                    run(item.record(), () -> handler.handle(List.of(item)));
                }
            }
            return batch.ack();
        } catch (Stopping e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> Optional<T> decode(IncomingRecord record, Function<String, Decoded<T>> decoder,
            Unreadable unreadable) {
        Decoded<T> decoded;
        try {
            decoded = decoder.apply(record.payload());
        } catch (RuntimeException e) {
            decoded = Decoded.poison("cannot be read: " + e.getClass().getSimpleName() + ": "
                    + StanzaNames.printable(e.getMessage()));
        }
        if (decoded instanceof Decoded.Ok<T> ok) {
            return Optional.of(ok.value());
        }
        String reason = ((Decoded.Poison<T>) decoded).reason();
        if (unreadable == Unreadable.DEAD_LETTER) {
            LOG.warnf("dead-lettering %s: %s", record.where(), reason);
            deadLetter(record, reason, 0);
        } else {
            LOG.debugf("passing over %s (its owner dead-letters it): %s", record.where(), reason);
            registry.counter("pgbackup_consumer_passed_over_total", "topic", String.valueOf(record.topic()))
                    .increment();
        }
        return Optional.empty();
    }

    /**
     * A write outside any consumer (a worker recording its progress in the state database) under
     * the same rules: a transient failure is retried with the same backoff for as long as it lasts,
     * another failure up to {@code pgbackup.consumer.max-attempts} times and then thrown.
     */
    public <T> T untilDone(String what, Supplier<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!Transience.isTransient(e) && attempt >= config.maxAttempts()) {
                    throw e;
                }
                if (attempt == 1 || attempt % 20 == 0) {
                    LOG.warnf("%s not done yet (attempt %d: %s); retrying", what, attempt, describe(e));
                }
                pause(attempt);
            }
        }
    }

    /** Handles the record; after repeated non-transient failures it is dead-lettered instead. */
    private void run(IncomingRecord record, Work work) {
        attempt(record, work, true);
    }

    /**
     * Runs the work until it succeeds. Transient failures are retried for as long as they last;
     * other failures up to the configured attempts, after which the record is dead-lettered (and
     * true returned: it is settled), or, with {@code deadLetterAtEnd} false, false is returned.
     */
    private boolean attempt(IncomingRecord record, Work work, boolean deadLetterAtEnd) {
        int maxAttempts = config.maxAttempts();
        int failures = 0;
        int transients = 0;
        while (true) {
            if (stopping) {
                throw new Stopping();
            }
            try {
                work.run();
                if (transients > 0) {
                    LOG.infof("%s processed after %d transient failure(s)", record.where(), transients);
                }
                return true;
            } catch (Stopping e) {
                throw e;
            } catch (Exception e) {
                if (Transience.isTransient(e)) {
                    transients++;
                    lastTransientFailure = Instant.now();
                    registry.counter("pgbackup_consumer_retries_total", "topic", String.valueOf(record.topic()),
                            "cause", "transient").increment();
                    if (transients == 1 || transients % 20 == 0) {
                        LOG.warnf("%s: transient failure %d (%s); retrying until it passes", record.where(),
                                transients, describe(e));
                    }
                    pause(transients);
                    continue;
                }
                failures++;
                registry.counter("pgbackup_consumer_retries_total", "topic", String.valueOf(record.topic()), "cause",
                        "failure").increment();
                LOG.warnf(e, "%s: attempt %d of %d failed: %s", record.where(), failures, maxAttempts, describe(e));
                if (failures >= maxAttempts) {
                    if (!deadLetterAtEnd) {
                        return false;
                    }
                    deadLetter(record, "processing failed " + failures + " times: " + describe(e), failures);
                    return true;
                }
                pause(failures);
            }
        }
    }

    /** Dead-letters the record, retrying while the broker is down. */
    private void deadLetter(IncomingRecord record, String reason, int attempts) {
        int failures = 0;
        while (true) {
            if (stopping) {
                throw new Stopping();
            }
            try {
                deadLetters.send(record, reason, attempts);
                registry.counter("pgbackup_consumer_dead_lettered_total", "topic", String.valueOf(record.topic()))
                        .increment();
                return;
            } catch (Exception e) {
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("cannot dead-letter %s yet (%s); retrying", record.where(), describe(e));
                }
                pause(failures);
            }
        }
    }

    private void pause(int failures) {
        long millis = Math.min(config.maxBackoff().toMillis(),
                config.initialBackoff().toMillis() << Math.min(failures - 1, 16));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(line(e.getMessage()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            out.append(" (cause ").append(root.getClass().getSimpleName()).append(": ").append(line(root.getMessage()))
                    .append(')');
        }
        return out.toString();
    }

    /** One line of at most 300 characters: exception messages can be long and multi-line. */
    private static String line(String text) {
        String one = String.valueOf(text).replaceAll("\\s+", " ");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }

    @FunctionalInterface
    private interface Work {

        void run() throws Exception;
    }

    /** The service is stopping: leave the record unacknowledged for the next start. */
    static final class Stopping extends RuntimeException {

        Stopping() {
            super("the service is stopping", null, false, false);
        }
    }
}
