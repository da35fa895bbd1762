package io.pgbackup.events;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON codec for the contract. Readers ignore fields they do not know; a record that is
 * not readable as its topic's type (not JSON, unknown type, a required field missing or null, a
 * field of the wrong type, too large) is poison: {@link Decoded.Poison} with the reason.
 */
public final class EventCodec {

    /**
     * The event types, from the one list that names them: {@link BackupEvent}'s {@code permits}.
     * Jackson's subtypes and the set of known types are both derived from it.
     */
    private static final Map<String, Class<?>> EVENT_TYPES = Arrays.stream(BackupEvent.class.getPermittedSubclasses())
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(withoutNul())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // An enum value this version does not know reads as null: harmless in an optional
            // field, and a required one is refused by the check below.
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .registerSubtypes(EVENT_TYPES.values().stream().map(c -> new NamedType(c, c.getSimpleName()))
                    .toArray(NamedType[]::new))
            .build();

    /**
     * Text fields lose NUL characters as they are read: PostgreSQL refuses to store them, so a
     * single one in a reason or a name would make the record impossible to keep, whoever sent it.
     */
    private static SimpleModule withoutNul() {
        return new SimpleModule("text-without-nul").addDeserializer(String.class, new StdScalarDeserializer<String>(
                String.class) {

            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = StringDeserializer.instance.deserialize(p, ctxt);
                return text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "");
            }
        });
    }

    /**
     * Largest record any consumer reads. A status report with 500 backup sets is about 150 KB;
     * anything far larger is a mistake or an attack, and is dead-lettered unread.
     */
    public static final int MAX_RECORD_BYTES = 512 * 1024;

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The simple names of every event type, as written in {@code type}. */
    public static Set<String> eventTypes() {
        return EVENT_TYPES.keySet();
    }

    public static String encode(BackupEvent event) {
        return write(event, event.type());
    }

    public static String encode(StanzaHealthChanged change) {
        return write(change, change.type());
    }

    public static String encode(StanzaStatusReported report) {
        return write(report, report.type());
    }

    public static String encode(SchedulePlan plan) {
        return write(plan, plan.type());
    }

    private static String write(Object record, String type) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type, e);
        }
    }

    /** Reads a record of {@code backup.events} (or a stored copy of one), strictly. */
    public static Decoded<BackupEvent> readEvent(String json) {
        return read(json, tree -> {
            String type = tree.path("type").asText(null);
            Class<?> known = type == null ? null : EVENT_TYPES.get(type);
            if (known == null) {
                return type == null
                        ? "missing field 'type'"
                        : "unknown type '" + StanzaNames.printable(type) + "': this version reads "
                                + String.join(", ", EVENT_TYPES.keySet().stream().sorted().toList());
            }
            return null;
        }, BackupEvent.class);
    }

    /** Reads a record of {@code backup.health}. */
    public static Decoded<StanzaHealthChanged> readHealthChange(String json) {
        return read(json, typeIs(StanzaHealthChanged.TYPE), StanzaHealthChanged.class);
    }

    /** Reads a record of {@code backup.status}. */
    public static Decoded<StanzaStatusReported> readStatus(String json) {
        return read(json, typeIs(StanzaStatusReported.TYPE), StanzaStatusReported.class);
    }

    /** Reads a record of {@code backup.schedules}; a tombstone (null) is not read here. */
    public static Decoded<SchedulePlan> readPlan(String json) {
        return read(json, typeIs(SchedulePlan.TYPE), SchedulePlan.class);
    }

    /**
     * Refuses a record dated more than {@code tolerance} after {@code now}: a skewed clock or a
     * forged record would otherwise hold time-based rules still (a status report "newer" than every
     * real one that follows it).
     */
    public static <T> Decoded<T> notDatedAhead(Decoded<T> decoded, Function<T, Instant> at, Instant now,
            Duration tolerance) {
        Instant dated = decoded instanceof Decoded.Ok<T> ok ? at.apply(ok.value()) : null;
        if (dated == null || !dated.isAfter(now.plus(tolerance))) {
            return decoded;
        }
        return Decoded.poison("dated " + dated + ", " + Duration.between(now, dated).toSeconds()
                + " s after this service's clock (more than " + tolerance.toSeconds()
                + " s ahead): check the clocks of the producing host");
    }

    /** A stored copy of an event this code wrote: empty when it cannot be read (never for new data). */
    public static Optional<BackupEvent> decodeEvent(String json) {
        return readEvent(json) instanceof Decoded.Ok<BackupEvent> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    public static Optional<StanzaStatusReported> decodeStatus(String json) {
        return readStatus(json) instanceof Decoded.Ok<StanzaStatusReported> ok
                ? Optional.of(ok.value())
                : Optional.empty();
    }

    public static Optional<SchedulePlan> decodePlan(String json) {
        return readPlan(json) instanceof Decoded.Ok<SchedulePlan> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    private static Function<JsonNode, String> typeIs(String expected) {
        return tree -> {
            String type = tree.path("type").asText(null);
            if (expected.equals(type)) {
                return null;
            }
            return type == null
                    ? "missing field 'type' (expected \"" + expected + "\")"
                    : "field 'type' is '" + StanzaNames.printable(type) + "', expected \"" + expected + "\"";
        };
    }

    /** A record's JSON object: bounded in size, valid JSON, an object; else why it is poison. */
    static Decoded<ObjectNode> object(String json) {
        if (json == null || json.isBlank()) {
            return Decoded.poison("empty record");
        }
        int bytes = json.length() > MAX_RECORD_BYTES / 4 ? json.getBytes(StandardCharsets.UTF_8).length : 0;
        if (bytes > MAX_RECORD_BYTES) {
            return Decoded.poison("record of " + bytes + " bytes is larger than the " + MAX_RECORD_BYTES
                    + " bytes any record of the contract needs");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Decoded.poison("not valid JSON: " + StanzaNames.printable(e.getOriginalMessage()));
        }
        if (tree == null || !tree.isObject()) {
            return Decoded.poison("not a JSON object");
        }
        return Decoded.ok((ObjectNode) tree);
    }

    private static <T> Decoded<T> read(String json, Function<JsonNode, String> typeProblem, Class<T> as) {
        Decoded<ObjectNode> object = object(json);
        if (object instanceof Decoded.Poison<ObjectNode> p) {
            return Decoded.poison(p.reason());
        }
        JsonNode tree = ((Decoded.Ok<ObjectNode>) object).value();
        String problem = typeProblem.apply(tree);
        if (problem != null) {
            return Decoded.poison(problem);
        }
        T value;
        try {
            value = MAPPER.treeToValue(tree, as);
        } catch (InvalidFormatException e) {
            return Decoded.poison("field '" + path(e) + "' has the wrong type: "
                    + StanzaNames.printable(String.valueOf(e.getValue())) + " is not a "
                    + e.getTargetType().getSimpleName());
        } catch (MismatchedInputException e) {
            return Decoded.poison("field '" + path(e) + "' has the wrong type or shape ("
                    + (e.getTargetType() == null ? "?" : e.getTargetType().getSimpleName()) + " expected)");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Decoded.poison("cannot be read: " + StanzaNames.printable(e.getMessage()));
        }
        List<String> missing = missingRequired(value);
        if (!missing.isEmpty()) {
            return Decoded.poison("required field(s) missing or null: " + String.join(", ", missing));
        }
        return Decoded.ok(value);
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** The {@link Required} components of a record that are null. */
    static List<String> missingRequired(Object record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        if (components == null) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (RecordComponent c : components) {
            if (c.getAccessor().isAnnotationPresent(Required.class) || c.isAnnotationPresent(Required.class)) {
                try {
                    if (c.getAccessor().invoke(record) == null) {
                        missing.add(c.getName());
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(missing);
    }

    /** The outcome of reading one record of {@code backup.requests}. */
    public sealed interface RequestReading {
    }

    /** Not a request at all: no usable requestId to answer to. Goes to the dead-letter topic. */
    public record Malformed(String reason) implements RequestReading {
    }

    /** A request that can be answered, but must be refused. */
    public record Invalid(BackupRequested request, FailureCode errorCode, String reason) implements RequestReading {
    }

    /** A request that may reach an executor. */
    public record Valid(BackupRequested request, BackupType backupType) implements RequestReading {
    }

    /**
     * Reads and validates a record of {@code backup.requests}. Every service that consumes the
     * topic uses this, so all of them agree on what is valid; its first steps are those of every
     * request record ({@link RequestRecords}).
     */
    public static RequestReading readRequest(String json) {
        RequestRecords.Opened opened = RequestRecords.open(json, "BackupRequested");
        if (!opened.ok()) {
            return new Malformed(opened.malformed());
        }
        ObjectNode node = opened.node();
        String stanza = opened.text("stanza");
        if (stanza == null) {
            return new Malformed("missing or non-text field 'stanza'");
        }
        String backupType = opened.text("backupType");
        if (backupType == null) {
            return new Malformed("missing or non-text field 'backupType' (expected full, diff or incr)");
        }
        JsonNode byNode = node.get("requestedBy");
        if (byNode != null && !byNode.isNull() && !byNode.isTextual()) {
            return new Malformed("field 'requestedBy' must be text");
        }
        String requestedBy = opened.freeText("requestedBy");
        UUID requestId = opened.requestId();
        int version = opened.schemaVersion();
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
        String schedule = opened.freeText("schedule");
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
            return new Invalid(request, FailureCode.INVALID_STANZA, stanzaProblem.get());
        }
        Optional<BackupType> parsedType = BackupType.fromWire(backupType);
        if (parsedType.isEmpty()) {
            return new Invalid(request, FailureCode.INVALID_BACKUP_TYPE, "invalid backupType '"
                    + StanzaNames.printable(backupType) + "': expected full, diff or incr (lower case)");
        }
        if (atProblem != null) {
            return new Invalid(request, FailureCode.INVALID_REQUESTED_AT, atProblem);
        }
        return new Valid(request, parsedType.get());
    }

    /**
     * {@link #readRequest} for a consumer: a record that is not a request at all is poison (the
     * coordinator dead-letters it); an invalid or valid one is read.
     */
    public static Decoded<RequestReading> readRequestRecord(String json) {
        RequestReading reading = readRequest(json);
        return reading instanceof Malformed m ? Decoded.poison(m.reason()) : Decoded.ok(reading);
    }
}
