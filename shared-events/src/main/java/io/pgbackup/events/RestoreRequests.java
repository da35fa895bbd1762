package io.pgbackup.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and validates records of {@code restore.requests}, for the coordinator and the executors
 * alike. Targets are normalised here: what reaches pgbackrest is built from the parsed value,
 * never the text as sent.
 */
public final class RestoreRequests {

    private static final Pattern LABEL = Pattern.compile("\\d{8}-\\d{6}F(_\\d{8}-\\d{6}[DI])?");
    private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");
    private static final Pattern XID = Pattern.compile("[0-9]{1,19}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern DIRECTORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** What PostgreSQL's recovery_target_time accepts, always with an explicit offset. */
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");

    private RestoreRequests() {
    }

    public sealed interface Reading {
    }

    public record Malformed(String reason) implements Reading {
    }

    /** A request that can be answered but must be refused; its mode or target kind may be null. */
    public record Invalid(RestoreRequested request, FailureCode errorCode, String reason) implements Reading {
    }

    /**
     * @param pgTarget the target value as pgbackrest gets it (normalised), null for latest
     */
    public record Valid(RestoreRequested request, String pgTarget, Instant targetTime) implements Reading {

        public RestoreMode mode() {
            return request.mode();
        }

        public TargetKind kind() {
            return request.target().kind();
        }
    }

    public static Reading read(String json, Instant now) {
        RequestRecords.Opened opened = RequestRecords.open(json, "RestoreRequested");
        if (!opened.ok()) {
            return new Malformed(opened.malformed());
        }
        JsonNode node = opened.node();
        UUID requestId = opened.requestId();
        for (String field : new String[]{"stanza", "mode"}) {
            if (!node.path(field).isTextual()) {
                return new Malformed("missing or non-text field '" + field + "'");
            }
        }
        JsonNode t = node.path("target");
        if (!t.isObject() || !t.path("kind").isTextual()) {
            return new Malformed(
                    "missing field 'target' {\"kind\":\"latest|set|time|lsn|xid|name\",\"value\":\"...\"}");
        }
        String rawMode = node.path("mode").asText();
        String rawKind = t.path("kind").asText();
        RestoreTarget target = new RestoreTarget(TargetKind.fromWire(rawKind).orElse(null),
                t.path("value").isValueNode() && !t.path("value").isNull() ? t.path("value").asText() : null);
        RestoreRequested request = new RestoreRequested(opened.schemaVersion(), requestId,
                node.path("stanza").asText(), RestoreMode.fromWire(rawMode).orElse(null), target,
                node.path("keep").asBoolean(false), opened.text("path"), opened.text("confirm"),
                opened.freeText("reason"), null, opened.freeText("requestedBy"), opened.text("confirmNonce"),
                node.path("repo").canConvertToInt() && node.path("repo").isIntegralNumber()
                        ? node.path("repo").asInt()
                        : null);
        if (!node.path("repo").isMissingNode() && !node.path("repo").isNull()
                && (request.repo() == null || request.repo() < 1 || request.repo() > 256)) {
            return new Invalid(request, FailureCode.INVALID_REPO, "repo '"
                    + StanzaNames.printable(node.path("repo").asText(node.path("repo").toString()))
                    + "' is not a repository number (1 to 256, as repoN in pgbackrest.conf)");
        }
        return validate(request, rawMode, rawKind, now);
    }

    /** A request made in code (REST, schedules) checked as if it came from the topic. */
    public static Reading check(RestoreRequested request, Instant now) {
        return read(EventCodec.encode(request), now);
    }

    /**
     * {@link #read} for a consumer: a record that is not a request at all is poison (the
     * coordinator dead-letters it); an invalid or valid one is read.
     */
    public static Decoded<Reading> readRecord(String json, Instant now) {
        Reading reading = read(json, now);
        return reading instanceof Malformed m ? Decoded.poison(m.reason()) : Decoded.ok(reading);
    }

    private static Reading validate(RestoreRequested r, String rawMode, String rawKind, Instant now) {
        if (!StanzaNames.isValid(r.stanza())) {
            return new Invalid(r, FailureCode.INVALID_STANZA, StanzaNames.problem(r.stanza()).orElseThrow());
        }
        if (r.mode() == null) {
            return new Invalid(r, FailureCode.INVALID_MODE, "invalid mode '" + StanzaNames.printable(rawMode)
                    + "': expected test, production or point");
        }
        if (r.mode() == RestoreMode.POINT && r.target().kind() != TargetKind.NAME) {
            return invalidTarget(r, "mode point creates a named restore point on the primary: give target"
                    + " {\"kind\":\"name\",\"value\":\"<1 to 63 letters, digits, '.', '_', '-'>\"}");
        }
        if (r.mode() == RestoreMode.PRODUCTION) {
            if (!r.stanza().equals(r.confirm())) {
                return new Invalid(r, FailureCode.CONFIRMATION_REQUIRED, "a production restore replaces stanza "
                        + r.stanza() + "'s data: set \"confirm\" to the stanza name (\"" + r.stanza() + "\")");
            }
            if (r.reason() == null || r.reason().isBlank()) {
                return new Invalid(r, FailureCode.CONFIRMATION_REQUIRED, "a production restore needs a \"reason\"");
            }
            if (r.confirmNonce() != null && !NONCE.matcher(r.confirmNonce()).matches()) {
                return new Invalid(r, FailureCode.CONFIRMATION_INVALID, "confirmNonce '"
                        + StanzaNames.printable(r.confirmNonce()) + "' is not a nonce an executor issues");
            }
        }
        if (r.path() != null && !(DIRECTORY.matcher(r.path()).matches() && !r.path().contains(".."))) {
            return new Invalid(r, FailureCode.INVALID_PATH, "path '" + StanzaNames.printable(r.path())
                    + "' is outside the scratch root: give a plain directory name (letters, digits, '.', '_', '-',"
                    + " no '..' and no '/'); the copy goes under the executor's scratch root");
        }
        RestoreTarget t = r.target();
        String value = t.value() == null ? "" : t.value().trim();
        String shown = StanzaNames.printable(value);
        if (t.kind() == null) {
            return invalidTarget(r, "target kind '" + StanzaNames.printable(rawKind)
                    + "' is not one of latest, set, time, lsn, xid, name");
        }
        switch (t.kind()) {
            case LATEST :
                return new Valid(r, null, null);
            case SET :
                return LABEL.matcher(value).matches()
                        ? new Valid(r, value, null)
                        : invalidTarget(r, "set '" + shown + "' is not a pgBackRest backup label such as"
                                + " 20261124-020000F or 20261124-020000F_20261125-020000D");
            case LSN :
                return LSN.matcher(value).matches()
                        ? new Valid(r, value.toUpperCase(), null)
                        : invalidTarget(r, "lsn '" + shown + "' is not an LSN such as 0/3000028");
            case XID :
                if (!XID.matcher(value).matches() || Long.parseUnsignedLong(value) < 3) {
                    return invalidTarget(r, "xid '" + shown + "' is not a transaction id (a number of 3 or more)");
                }
                return new Valid(r, value, null);
            case NAME :
                return NAME.matcher(value).matches()
                        ? new Valid(r, value, null)
                        : invalidTarget(r, "name '" + shown + "' is not a restore point name (1 to 63 letters,"
                                + " digits, '.', '_', '-')");
            case TIME :
            default :
                return time(r, value, shown, now);
        }
    }

    private static Reading time(RestoreRequested r, String value, String shown, Instant now) {
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(value.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            try {
                java.time.LocalDateTime.parse(value.replace(' ', 'T'));
                return invalidTarget(r, "time '" + shown + "' has no zone offset: add one (e.g. +00:00 or Z);"
                        + " without it pgbackrest would read it in the executor host's local zone");
            } catch (DateTimeParseException notLocal) {
                return invalidTarget(r, "time '" + shown + "' is not an ISO-8601 time such as"
                        + " 2026-11-24T10:15:00+00:00");
            }
        }
        if (at.toInstant().isAfter(now.plus(1, ChronoUnit.MINUTES))) {
            return invalidTarget(r, "time '" + shown + "' is in the future: there is nothing to recover up to it yet");
        }
        return new Valid(r, at.withOffsetSameInstant(ZoneOffset.UTC).format(PG_TIME), at.toInstant());
    }

    private static Invalid invalidTarget(RestoreRequested r, String reason) {
        return new Invalid(r, FailureCode.INVALID_TARGET, reason);
    }
}
