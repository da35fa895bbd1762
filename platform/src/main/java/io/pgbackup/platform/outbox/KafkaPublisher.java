package io.pgbackup.platform.outbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;

/**
 * The one Kafka producer of a service, for the outbox relay and the dead-letter copies. A plain
 * idempotent producer rather than a SmallRye emitter: the emitter's sink re-sends a failed record
 * as a new one, which writes it twice when the first write had landed but its answer was lost;
 * the producer's own retries are deduplicated by the broker. Connection settings (bootstrap
 * servers, security) are the services' {@code kafka.*} ones.
 */
@ApplicationScoped
public class KafkaPublisher {

    private final KafkaProducer<String, String> producer;

    public KafkaPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "pgbackup") String application) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((k, v) -> {
            // Only client settings: the map also holds the connector's own attributes.
            if (k.contains(".") || k.equals("acks")) {
                config.put(k, v);
            }
        });
        config.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-publisher");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A record the producer gives up on may still have landed (written, answer lost as the
        // broker stopped); the relay then sends it again as a new record, a duplicate on the topic.
        // Within this time the producer's own retries keep their sequence numbers, which the broker
        // deduplicates, so a broker restart shorter than this (a slow one took over 30 s on a busy
        // machine) puts nothing on the topic twice. The relay keeps such rows claimed meanwhile.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.keySet().removeIf(k -> k.startsWith("key.deserializer") || k.startsWith("value.deserializer")
                || k.startsWith("group.") || k.startsWith("auto.") || k.startsWith("enable.auto"));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * Sends one record; the future completes when the broker acknowledged it. A send that cannot
     * even start (no metadata while the broker is away, after max.block.ms) fails the future.
     *
     * @param value null sends a tombstone
     */
    public CompletableFuture<Void> send(String topic, String key, String value, List<Header> headers) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers), (metadata, failure) -> {
                if (failure == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
