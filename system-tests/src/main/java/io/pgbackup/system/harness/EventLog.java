package io.pgbackup.system.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pgbackup.events.Topics;

/**
 * {@code backup.events} as a user follows it: every record from the topic's start, read by a
 * consumer of its own (no group), kept in arrival order. Answers are judged by event id, so a
 * record the outbox sent twice counts once, and a request answered twice shows as two answers.
 */
public final class EventLog implements AutoCloseable {

    /** The event types that end a request. */
    public static final Set<String> TERMINAL = Set.of("BackupCompleted", "BackupFailed", "BackupSkipped",
            "RestoreCompleted", "RestoreFailed", "RestorePointCreated");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    EventLog(Properties client) {
        consumer = Kafka.consumer(client);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.BACKUP_EVENTS, Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(Topics.BACKUP_EVENTS, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "backup-events-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    try {
                        events.add(JSON.readTree(r.value()));
                    } catch (JsonProcessingException e) {
                        events.add(JSON.createObjectNode().put("unreadable", r.value()));
                    }
                });
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    public List<JsonNode> all() {
        return List.copyOf(events);
    }

    /** The events of one request, in arrival order. */
    public List<JsonNode> of(String requestId) {
        return events.stream().filter(e -> requestId.equals(e.path("requestId").asText(null))).toList();
    }

    /** The distinct terminal answers of a request (by event id). */
    public List<JsonNode> answers(String requestId) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode e : of(requestId)) {
            if (TERMINAL.contains(e.path("type").asText())) {
                byId.putIfAbsent(e.path("eventId").asText(), e);
            }
        }
        return new ArrayList<>(byId.values());
    }

    public Optional<JsonNode> answer(String requestId) {
        return answers(requestId).stream().findFirst();
    }

    /** Waits for the request's terminal answer and returns it. */
    public JsonNode awaitAnswer(String requestId, Duration within) {
        try {
            return Awaitility.await("an answer to request " + requestId).atMost(within)
                    .pollInterval(Duration.ofMillis(500)).until(() -> answer(requestId), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected an answer to request " + requestId + " within " + within
                    + "; its events so far: " + describe(of(requestId)));
        }
    }

    /** Waits for an event of the given type for a request. */
    public JsonNode await(String requestId, String type, Duration within) {
        return awaitMatching(type + " for request " + requestId,
                e -> requestId.equals(e.path("requestId").asText(null)) && type.equals(e.path("type").asText()),
                within);
    }

    /** Waits for the first event matching a condition. */
    public JsonNode awaitMatching(String what, Predicate<JsonNode> condition, Duration within) {
        try {
            return Awaitility.await(what).atMost(within).pollInterval(Duration.ofMillis(500))
                    .until(() -> events.stream().filter(condition).findFirst(), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + what + " within " + within + "; the last events: "
                    + describe(events.subList(Math.max(0, events.size() - 8), events.size())));
        }
    }

    /** Events as one line each, for a failure message. */
    public static String describe(List<JsonNode> list) {
        return list.isEmpty()
                ? "none"
                : list.stream().map(JsonNode::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
