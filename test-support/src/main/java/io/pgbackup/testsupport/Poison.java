package io.pgbackup.testsupport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The poison list every consumer of the contract is fed: records that must neither stop a
 * consumer nor be handled as data. Each is built from a valid record of the topic so that only
 * the one named defect is in it.
 */
public final class Poison {

    private Poison() {
    }

    /**
     * @param valid a valid record of the topic (JSON with "requestId" and "stanza" as text fields)
     * @param field a field of that record, given a value of the wrong JSON type here
     * @param wrongValue that value as JSON, e.g. {@code "\"abc\""} for a number field
     * @return defect name to record value
     */
    public static Map<String, String> list(String valid, String field, String wrongValue) {
        return list(valid, "requestId", field, wrongValue);
    }

    /** As above, for a record whose id field is not {@code requestId} (a health change's eventId). */
    public static Map<String, String> list(String valid, String idField, String field, String wrongValue) {
        Map<String, String> poison = new LinkedHashMap<>();
        poison.put("not JSON", "this is not json " + UUID.randomUUID());
        poison.put("BackupFailed with every other field missing", "{\"type\":\"BackupFailed\",\"n\":\""
                + UUID.randomUUID() + "\"}");
        poison.put(idField + " not a UUID", valid.replaceFirst("\"" + idField + "\":\"[^\"]+\"", "\"" + idField
                + "\":\"not-a-uuid-" + UUID.randomUUID() + "\""));
        poison.put("stanza null", valid.replaceFirst("\"stanza\":\"[^\"]+\"", "\"stanza\":null,\"n\":\""
                + UUID.randomUUID() + "\""));
        poison.put("unknown type", "{\"type\":\"BackupTeleported\",\"stanza\":\"main\",\"n\":\"" + UUID.randomUUID()
                + "\"}");
        poison.put("1 MB value", "{\"type\":\"BackupStarted\",\"pad\":\"" + "x".repeat(1_000_000) + "\"}");
        poison.put("a field of the wrong type", valid.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}\"]+)",
                "\"" + field + "\":" + wrongValue + ",\"n\":\"" + UUID.randomUUID() + "\""));
        return poison;
    }

    /** Publishes the records in order with one key (one partition: they are read in this order). */
    public static void publish(KafkaCompanion kafka, String topic, String key, Iterable<String> values) {
        for (String value : values) {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
    }
}
