package io.pgbackup.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON codec for the contract. Readers are lenient where the contract promises it
 * (unknown fields, unknown event types) and strict where a request must be answered.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private static final Set<String> KNOWN_TYPES = Set.of("BackupRequested", "BackupAccepted", "BackupStarted",
            "BackupCompleted", "BackupFailed", "BackupSkipped", "MaintenanceCompleted", "MaintenanceFailed",
            "RestoreStarted", "RestoreCompleted", "RestoreFailed");

    /** Longest requestedBy kept; the rest is cut so a request cannot bloat every later event. */
    static final int MAX_REQUESTED_BY = 200;

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(BackupEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.type(), e);
        }
    }

    /**
     * Reads a record of {@code backup.events}. Empty for a type this version does not know (a
     * newer producer) or a record that is not an event at all: consumers skip those.
     */
    public static Optional<BackupEvent> decodeEvent(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || !tree.isObject() || !KNOWN_TYPES.contains(tree.path("type").asText())) {
                return Optional.empty();
            }
            return Optional.of(MAPPER.treeToValue(tree, BackupEvent.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String encode(StanzaHealthChanged change) {
        return write(change, change.type());
    }

    /** Reads a record of {@code backup.health}; empty for anything else. */
    public static Optional<StanzaHealthChanged> decodeHealthChange(String json) {
        return read(json, "StanzaHealthChanged", StanzaHealthChanged.class);
    }

    public static String encode(StanzaStatusReported report) {
        return write(report, report.type());
    }

    /** Reads a record of {@code backup.status}; empty for anything else. */
    public static Optional<StanzaStatusReported> decodeStatus(String json) {
        return read(json, "StanzaStatusReported", StanzaStatusReported.class);
    }

    private static String write(Object record, String type) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type, e);
        }
    }

    /** A record of a single-type topic: empty when it is not JSON of that type (consumers skip it). */
    private static <T> Optional<T> read(String json, String type, Class<T> as) {
        try {
            JsonNode tree = json == null ? null : MAPPER.readTree(json);
            if (tree == null || !type.equals(tree.path("type").asText())) {
                return Optional.empty();
            }
            return Optional.of(MAPPER.treeToValue(tree, as));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The outcome of reading one record of {@code backup.requests}. */
    public sealed interface RequestReading {
    }

    /** Not a request at all: no usable requestId to answer to. Goes to the dead-letter topic. */
    public record Malformed(String reason) implements RequestReading {
    }

    /** A request that can be answered, but must be refused. */
    public record Invalid(BackupRequested request, String errorCode, String reason) implements RequestReading {
    }

    /** A request that may reach an executor. */
    public record Valid(BackupRequested request, BackupType backupType) implements RequestReading {
    }

    /**
     * Reads and validates a record of {@code backup.requests}. Every service that consumes the
     * topic uses this, so all of them agree on what is valid.
     */
    public static RequestReading readRequest(String json) {
        if (json == null || json.isBlank()) {
            return new Malformed("empty record: expected a BackupRequested JSON object");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return new Malformed("not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            return new Malformed("not a JSON object: expected a BackupRequested JSON object");
        }
        ObjectNode node = (ObjectNode) tree;
        String type = text(node, "type");
        if (type == null) {
            return new Malformed("missing field 'type' (expected \"BackupRequested\")");
        }
        if (!"BackupRequested".equals(type)) {
            return new Malformed("field 'type' is '" + StanzaNames.printable(type)
                    + "', expected \"BackupRequested\"");
        }
        String requestIdText = text(node, "requestId");
        if (requestIdText == null) {
            return new Malformed("missing or non-text field 'requestId' (expected a UUID)");
        }
        UUID requestId;
        try {
            requestId = UUID.fromString(requestIdText);
        } catch (IllegalArgumentException e) {
            return new Malformed("field 'requestId' is not a UUID");
        }
        String stanza = text(node, "stanza");
        if (stanza == null) {
            return new Malformed("missing or non-text field 'stanza'");
        }
        String backupType = text(node, "backupType");
        if (backupType == null) {
            return new Malformed("missing or non-text field 'backupType' (expected full, diff or incr)");
        }
        JsonNode byNode = node.get("requestedBy");
        String requestedBy = null;
        if (byNode != null && !byNode.isNull()) {
            if (!byNode.isTextual()) {
                return new Malformed("field 'requestedBy' must be text");
            }
            requestedBy = byNode.asText();
            if (requestedBy.length() > MAX_REQUESTED_BY) {
                requestedBy = requestedBy.substring(0, MAX_REQUESTED_BY);
            }
        }
        int version = node.path("schemaVersion").asInt(BackupEvent.SCHEMA_VERSION);
        JsonNode atNode = node.get("requestedAt");
        Instant requestedAt = null;
        String atProblem = null;
        if (atNode != null && !atNode.isNull()) {
            try {
                requestedAt = Instant.parse(atNode.asText());
            } catch (DateTimeParseException e) {
                atProblem = "requestedAt '" + StanzaNames.printable(atNode.asText())
                        + "' is not an ISO-8601 instant such as 2026-11-24T02:00:00Z";
            }
        }
        String schedule = node.path("schedule").isTextual()
                ? StanzaNames.printable(node.path("schedule").asText())
                : null;
        Instant plannedAt = null;
        try {
            plannedAt = node.path("plannedAt").isTextual() ? Instant.parse(node.path("plannedAt").asText()) : null;
        } catch (DateTimeParseException e) {
            // Informational only: a bad plannedAt does not make the request invalid.
        }
        BackupRequested request = new BackupRequested(version, requestId, stanza, backupType, requestedAt,
                requestedBy, schedule, plannedAt);

        Optional<String> stanzaProblem = StanzaNames.problem(stanza);
        if (stanzaProblem.isPresent()) {
            return new Invalid(request, FailureCodes.INVALID_STANZA, stanzaProblem.get());
        }
        Optional<BackupType> parsedType = BackupType.fromWire(backupType);
        if (parsedType.isEmpty()) {
            return new Invalid(request, FailureCodes.INVALID_BACKUP_TYPE, "invalid backupType '"
                    + StanzaNames.printable(backupType) + "': expected full, diff or incr (lower case)");
        }
        if (atProblem != null) {
            return new Invalid(request, FailureCodes.INVALID_REQUESTED_AT, atProblem);
        }
        return new Valid(request, parsedType.get());
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
