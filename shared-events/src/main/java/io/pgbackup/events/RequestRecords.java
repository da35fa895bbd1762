package io.pgbackup.events;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The first steps of reading any request record, backup.requests' and restore.requests' alike, in
 * one place: bounded size, JSON, an object, the expected type, a request id to answer to. Free text
 * that a request carries on into later events and logs (who asked, why) is read here too, bounded
 * and without control characters, so every consumer stores and prints the same text.
 */
final class RequestRecords {

    /** Longest free text kept (requestedBy, reason): the rest is cut so a request cannot bloat every later event. */
    static final int MAX_TEXT = 200;

    private RequestRecords() {
    }

    /** A record opened as a request of one type: its fields, or why it is not a request at all. */
    record Opened(ObjectNode node, UUID requestId, int schemaVersion, String malformed) {

        boolean ok() {
            return malformed == null;
        }

        /** A text field as sent, or null when absent or not text. */
        String text(String field) {
            JsonNode value = node.get(field);
            return value != null && value.isTextual() ? value.asText() : null;
        }

        /** Free text to be kept: single line, no control characters, at most MAX_TEXT characters. */
        String freeText(String field) {
            return clean(text(field));
        }
    }

    private static Opened malformed(String reason) {
        return new Opened(null, null, 0, reason);
    }

    static Opened open(String json, String type) {
        Decoded<ObjectNode> object = EventCodec.object(json);
        if (object instanceof Decoded.Poison<ObjectNode> p) {
            return malformed(p.reason() + ": expected a " + type + " JSON object");
        }
        ObjectNode node = ((Decoded.Ok<ObjectNode>) object).value();
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return malformed("missing field 'type' (expected \"" + type + "\")");
        }
        if (!type.equals(typeNode.asText())) {
            return malformed("field 'type' is '" + StanzaNames.printable(typeNode.asText()) + "', expected \"" + type
                    + "\"");
        }
        JsonNode idNode = node.get("requestId");
        if (idNode == null || !idNode.isTextual()) {
            return malformed("missing or non-text field 'requestId' (expected a UUID)");
        }
        UUID requestId;
        try {
            requestId = UUID.fromString(idNode.asText());
        } catch (IllegalArgumentException e) {
            return malformed("field 'requestId' is not a UUID");
        }
        return new Opened(node, requestId, node.path("schemaVersion").asInt(BackupEvent.SCHEMA_VERSION), null);
    }

    /**
     * Text as this system keeps it from an untrusted sender: control characters (NUL among them,
     * which PostgreSQL refuses to store, and line breaks, which forge log lines) become spaces,
     * and the text is cut at MAX_TEXT characters.
     */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
