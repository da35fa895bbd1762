package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

    private static final String ID = "6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10";

    private static String request(String stanza, String type) {
        return "{\"type\":\"BackupRequested\",\"requestId\":\"" + ID + "\",\"stanza\":\"" + stanza
                + "\",\"backupType\":\"" + type + "\"}";
    }

    @Test
    void handWrittenRequestWithoutOptionalFieldsIsValid() {
        var reading = EventCodec.readRequest(request("main", "incr"));
        var valid = assertInstanceOf(EventCodec.Valid.class, reading);
        assertEquals(BackupType.INCR, valid.backupType());
        assertEquals(UUID.fromString(ID), valid.request().requestId());
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"type\":\"BackupRequested\",\"requestId\":\"" + ID
                + "\",\"stanza\":\"main\",\"backupType\":\"full\",\"priority\":\"high\",\"schemaVersion\":1}";
        assertInstanceOf(EventCodec.Valid.class, EventCodec.readRequest(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--repo1-path=/tmp", "-x", "main;id", "$(id)", "../..", "", "main id", "a/b"})
    void hostileStanzasAreRefusedWithAReason(String stanza) {
        String json = request(stanza.replace("\"", "\\\""), "full");
        var invalid = assertInstanceOf(EventCodec.Invalid.class, EventCodec.readRequest(json));
        assertEquals(FailureCode.INVALID_STANZA, invalid.errorCode());
        assertTrue(invalid.reason().startsWith("invalid stanza name"), invalid.reason());
    }

    @Test
    void tenKilobyteStanzaIsRefusedAndNotEchoedWhole() {
        String huge = "a".repeat(10_240);
        var invalid = assertInstanceOf(EventCodec.Invalid.class, EventCodec.readRequest(request(huge, "full")));
        assertEquals(FailureCode.INVALID_STANZA, invalid.errorCode());
        assertTrue(invalid.reason().length() < 300, "reason is bounded");
        assertTrue(invalid.reason().contains("10240 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FULL", "snapshot", "full --cmd-ssh=/tmp/x", " full", ""})
    void backupTypesOutsideTheAllowlistAreRefused(String type) {
        var invalid = assertInstanceOf(EventCodec.Invalid.class, EventCodec.readRequest(request("main", type)));
        assertEquals(FailureCode.INVALID_BACKUP_TYPE, invalid.errorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"type\":\"BackupRequested\"}",
            "{\"type\":\"BackupRequested\",\"requestId\":\"x\",\"stanza\":\"main\",\"backupType\":\"full\"}",
            "{\"requestId\":\"6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10\",\"stanza\":\"main\",\"backupType\":\"full\"}",
            "{\"type\":\"BackupRequested\",\"requestId\":\"6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10\",\"backupType\":\"full\"}",
            "{\"type\":\"BackupRequested\",\"requestId\":\"6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10\",\"stanza\":1,\"backupType\":\"full\"}"})
    void recordsThatAreNotRequestsAreMalformed(String json) {
        var malformed = assertInstanceOf(EventCodec.Malformed.class, EventCodec.readRequest(json));
        assertFalse(malformed.reason().isBlank());
    }

    @Test
    void unparseableRequestedAtIsAnsweredNotDropped() {
        String json = "{\"type\":\"BackupRequested\",\"requestId\":\"" + ID
                + "\",\"stanza\":\"main\",\"backupType\":\"full\",\"requestedAt\":\"yesterday\"}";
        var invalid = assertInstanceOf(EventCodec.Invalid.class, EventCodec.readRequest(json));
        assertEquals(FailureCode.INVALID_REQUESTED_AT, invalid.errorCode());
    }

    @Test
    void completedRoundTripsWithTypeDiscriminator() {
        var event = new BackupCompleted(1, UUID.randomUUID(), UUID.randomUUID(), "main", "db1",
                Instant.parse("2026-11-24T02:00:05Z"), BackupType.INCR, BackupType.FULL, true, "20261124-020000F", null,
                Instant.parse("2026-11-24T02:00:00Z"), Instant.parse("2026-11-24T02:00:04Z"), 4.0, 100L, 10L, 10L,
                "000000010000000000000002", "000000010000000000000002", "0/2000028", "0/2000100");
        String json = EventCodec.encode(event);
        assertTrue(json.contains("\"type\":\"BackupCompleted\""), json);
        assertTrue(json.contains("\"occurredAt\":\"2026-11-24T02:00:05Z\""), json);
        assertEquals(event, EventCodec.decodeEvent(json).orElseThrow());
    }

    @Test
    void eventsFromANewerProducerAreSkippedOrReadLeniently() {
        assertTrue(EventCodec.decodeEvent("{\"type\":\"BackupTeleported\",\"stanza\":\"main\"}").isEmpty());
        assertTrue(EventCodec.decodeEvent("garbage").isEmpty());
        String withExtra = "{\"type\":\"BackupStarted\",\"schemaVersion\":1,\"eventId\":\"" + ID
                + "\",\"requestId\":\"" + ID + "\",\"stanza\":\"main\",\"executorId\":\"db1\","
                + "\"occurredAt\":\"2026-11-24T02:00:00Z\",\"backupType\":\"full\",\"newField\":{\"a\":1}}";
        var started = assertInstanceOf(BackupStarted.class, EventCodec.decodeEvent(withExtra).orElseThrow());
        assertEquals("db1", started.executorId());
    }

    @Test
    void labelsTellTheTypeTaken() {
        assertEquals(BackupType.FULL, BackupType.fromLabel("20261124-020000F").orElseThrow());
        assertEquals(BackupType.DIFF, BackupType.fromLabel("20261124-020000F_20261125-020000D").orElseThrow());
        assertEquals(BackupType.INCR, BackupType.fromLabel("20261124-020000F_20261125-080000I").orElseThrow());
    }
}
