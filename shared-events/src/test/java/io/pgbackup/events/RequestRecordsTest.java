package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Both request topics are read by one set of first steps, and keep free text the same way. */
class RequestRecordsTest {

    private static final String ID = "6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10";
    private static final String HOSTILE = "ops\\u0000\\nFAKE LOG LINE\\t" + "x".repeat(400);

    @Test
    void freeTextOfBothRequestKindsLosesControlCharactersAndIsBounded() {
        var backup = assertInstanceOf(EventCodec.Valid.class, EventCodec.readRequest("{\"type\":\"BackupRequested\","
                + "\"requestId\":\"" + ID + "\",\"stanza\":\"main\",\"backupType\":\"full\",\"requestedBy\":\""
                + HOSTILE + "\"}"));
        var restore = assertInstanceOf(RestoreRequests.Valid.class,
                RestoreRequests.read("{\"type\":\"RestoreRequested\","
                        + "\"requestId\":\"" + ID
                        + "\",\"stanza\":\"main\",\"mode\":\"test\",\"target\":{\"kind\":\"latest\"},"
                        + "\"requestedBy\":\"" + HOSTILE + "\",\"reason\":\"" + HOSTILE + "\"}", Instant.now()));
        for (String kept : new String[]{backup.request().requestedBy(), restore.request().requestedBy(),
                restore.request().reason()}) {
            assertTrue(kept.startsWith("ops  FAKE LOG LINE "), "control characters become spaces: " + kept);
            assertTrue(kept.chars().noneMatch(Character::isISOControl), "no control character left: " + kept);
            assertEquals(RequestRecords.MAX_TEXT, kept.length(), "bounded: " + kept.length());
        }
    }

    @Test
    void bothReadersRefuseWhatIsNotARequestInTheSameWords() {
        var backup = assertInstanceOf(EventCodec.Malformed.class,
                EventCodec.readRequest("{\"type\":\"BackupRequested\"}"));
        var restore = assertInstanceOf(RestoreRequests.Malformed.class,
                RestoreRequests.read("{\"type\":\"RestoreRequested\"}", Instant.now()));
        assertEquals("missing or non-text field 'requestId' (expected a UUID)", backup.reason());
        assertEquals(backup.reason(), restore.reason());
        var wrongType = assertInstanceOf(RestoreRequests.Malformed.class,
                RestoreRequests.read("{\"type\":\"BackupRequested\",\"requestId\":\"" + ID + "\"}", Instant.now()));
        assertEquals("field 'type' is 'BackupRequested', expected \"RestoreRequested\"", wrongType.reason());
        assertInstanceOf(Decoded.Poison.class, EventCodec.readRequestRecord("not json"));
        assertInstanceOf(Decoded.Poison.class, RestoreRequests.readRecord("[]", Instant.now()));
    }

    @Test
    void anEventsTextLosesNulCharactersWhichPostgresqlCannotStore() {
        String json = EventCodec.encode(BackupFailed.byCoordinator(java.util.UUID.fromString(ID), "main", "full",
                FailureCode.NO_EXECUTOR.code(), "why", false)).replace("\"why\"", "\"wh\\u0000y\"");
        BackupFailed failed = (BackupFailed) ((Decoded.Ok<BackupEvent>) EventCodec.readEvent(json)).value();
        assertEquals("why", failed.reason());
    }
}
