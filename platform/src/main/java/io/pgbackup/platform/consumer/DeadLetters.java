package io.pgbackup.platform.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pgbackup.events.Topics;
import io.pgbackup.platform.outbox.KafkaPublisher;

/**
 * Copies a record that cannot be used to {@code <topic>.dlq}, with why in its headers, and waits
 * for the broker's acknowledgement: the original is acknowledged only after the copy is safe.
 * Header names are those of SmallRye's own dead-letter strategy, so tools that read one read both.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String CONSUMER = "dead-letter-consumer";
    public static final String ATTEMPTS = "dead-letter-attempts";
    private static final int MAX_REASON = 1000;

    private final KafkaPublisher kafka;
    private final String consumer;

    public DeadLetters(KafkaPublisher kafka,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "unknown") String consumer) {
        this.kafka = kafka;
        this.consumer = consumer;
    }

    /** Sends the copy and waits up to 30 s for its acknowledgement; throws when it was not acknowledged. */
    public void send(IncomingRecord record, String reason, int attempts) throws Exception {
        String bounded = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
        List<Header> headers = new ArrayList<>();
        headers.add(header(REASON, bounded.replaceAll("\\p{Cntrl}", " ")));
        headers.add(header(TOPIC, record.topic()));
        headers.add(header(PARTITION, String.valueOf(record.partition())));
        headers.add(header(OFFSET, String.valueOf(record.offset())));
        headers.add(header(CONSUMER, consumer));
        headers.add(header(ATTEMPTS, String.valueOf(attempts)));
        kafka.send(Topics.deadLetters(record.topic()), record.key(), record.payload(), headers).get(40,
                TimeUnit.SECONDS);
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }
}
