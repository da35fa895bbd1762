package io.pgbackup.platform.consumer;

import java.time.Instant;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/** One Kafka record as a handler sees it: where it came from, and its value. */
public record IncomingRecord(String channel, String topic, int partition, long offset, String key, Instant timestamp,
        String payload) {

    static IncomingRecord of(Message<?> message, String payload) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<Object, Object> m = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElse(null);
        if (m == null) {
            // In-memory channels (tests of pure wiring) carry no Kafka metadata.
            return new IncomingRecord(null, null, -1, -1, null, Instant.now(), payload);
        }
        return new IncomingRecord(m.getChannel(), m.getTopic(), m.getPartition(), m.getOffset(),
                m.getKey() == null ? null : String.valueOf(m.getKey()), m.getTimestamp(), payload);
    }

    /** topic-partition@offset, for logs. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }
}
