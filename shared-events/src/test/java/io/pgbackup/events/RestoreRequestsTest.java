package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestoreRequestsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private static String request(String mode, String kind, String value, String extra) {
        return "{\"type\":\"RestoreRequested\",\"requestId\":\"6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10\","
                + "\"stanza\":\"main\",\"mode\":\"" + mode + "\",\"target\":{\"kind\":\"" + kind + "\""
                + (value == null ? "" : ",\"value\":\"" + value + "\"") + "}" + extra + "}";
    }

    private static RestoreRequests.Reading read(String json) {
        return RestoreRequests.read(json, NOW);
    }

    @Test
    void timesAreNormalisedToUtcWithAnExplicitOffset() {
        var valid = assertInstanceOf(RestoreRequests.Valid.class,
                read(request("test", "time", "2026-11-24T10:15:00+02:00", "")));
        assertEquals("2026-11-24 08:15:00.000000+00:00", valid.pgTarget());
        assertEquals(Instant.parse("2026-11-24T08:15:00Z"), valid.targetTime());
    }

    @Test
    void aRepositoryIsANumberOfOneTo256AndANonceHasTheIssuedForm() {
        var repo2 = assertInstanceOf(RestoreRequests.Valid.class, read(request("test", "latest", null, ",\"repo\":2")));
        assertEquals(2, repo2.request().repo());
        assertNull(assertInstanceOf(RestoreRequests.Valid.class, read(request("test", "latest", null, ""))).request()
                .repo());
        for (String bad : new String[]{"0", "257", "\"2\"", "1.5", "-1", "{\"n\":2}"}) {
            var invalid = assertInstanceOf(RestoreRequests.Invalid.class,
                    read(request("test", "latest", null, ",\"repo\":" + bad)), bad);
            assertEquals(FailureCode.INVALID_REPO, invalid.errorCode(), bad);
        }
        String production = ",\"confirm\":\"main\",\"reason\":\"disk lost\",\"confirmNonce\":";
        assertInstanceOf(RestoreRequests.Valid.class,
                read(request("production", "latest", null, production + "\"Ab3_-Ab3_-Ab3_-Ab3_-Ab3_-Ab3_-Ab\"")));
        var shell = assertInstanceOf(RestoreRequests.Invalid.class,
                read(request("production", "latest", null, production + "\"$(reboot)aaaaaaaaaaaaaaaa\"")));
        assertEquals(FailureCode.CONFIRMATION_INVALID, shell.errorCode());
    }

    @Test
    void latestNeedsNoValueAndKeepIsRead() {
        var valid = assertInstanceOf(RestoreRequests.Valid.class,
                read(request("test", "latest", null, ",\"keep\":true")));
        assertNull(valid.pgTarget());
        assertTrue(valid.request().keep());
    }

    @Test
    void aRestorePointNeedsAValidName() {
        var valid = assertInstanceOf(RestoreRequests.Valid.class, read(request("point", "name", "before-v42", "")));
        assertEquals("before-v42", valid.pgTarget());
        var latest = assertInstanceOf(RestoreRequests.Invalid.class, read(request("point", "latest", null, "")));
        assertEquals(FailureCode.INVALID_TARGET, latest.errorCode());
        assertTrue(latest.reason().contains("creates a named restore point"), latest.reason());
        var bad = assertInstanceOf(RestoreRequests.Invalid.class, read(request("point", "name", "x'; DROP", "")));
        assertTrue(bad.reason().contains("is not a restore point name"), bad.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "time|yesterday|INVALID_TARGET|is not an ISO-8601 time",
            "time|2026-11-24 10:15:00|INVALID_TARGET|has no zone offset",
            "time|2026-11-25T10:15:00Z|INVALID_TARGET|is in the future",
            "xid|abc|INVALID_TARGET|is not a transaction id",
            "xid|1|INVALID_TARGET|is not a transaction id",
            "set|--set=x|INVALID_TARGET|is not a pgBackRest backup label",
            "lsn|0/XYZ|INVALID_TARGET|is not an LSN",
            "name|a b|INVALID_TARGET|is not a restore point name",
            "snapshot|x|INVALID_TARGET|is not one of latest"})
    void badTargetsAreRefusedWithAReason(String kind, String value, String code, String words) {
        var invalid = assertInstanceOf(RestoreRequests.Invalid.class, read(request("test", kind, value, "")));
        assertEquals(code, invalid.errorCode().name());
        assertTrue(invalid.reason().contains(words), invalid.reason());
    }

    @ParameterizedTest
    @CsvSource({"../../etc", "/var/lib/postgresql", "a/b", ".."})
    void pathsOutsideTheScratchRootAreRefused(String path) {
        var invalid = assertInstanceOf(RestoreRequests.Invalid.class,
                read(request("test", "latest", null, ",\"path\":\"" + path + "\"")));
        assertEquals(FailureCode.INVALID_PATH, invalid.errorCode());
        assertTrue(invalid.reason().contains("outside the scratch root"), invalid.reason());
    }

    @Test
    void productionNeedsTheStanzaAsConfirmationAndAReason() {
        var none = assertInstanceOf(RestoreRequests.Invalid.class, read(request("production", "latest", null, "")));
        assertEquals(FailureCode.CONFIRMATION_REQUIRED, none.errorCode());
        var wrong = assertInstanceOf(RestoreRequests.Invalid.class,
                read(request("production", "latest", null, ",\"confirm\":\"yes\",\"reason\":\"disk lost\"")));
        assertEquals(FailureCode.CONFIRMATION_REQUIRED, wrong.errorCode());
        var noReason = assertInstanceOf(RestoreRequests.Invalid.class,
                read(request("production", "latest", null, ",\"confirm\":\"main\"")));
        assertEquals(FailureCode.CONFIRMATION_REQUIRED, noReason.errorCode());
        assertInstanceOf(RestoreRequests.Valid.class,
                read(request("production", "latest", null, ",\"confirm\":\"main\",\"reason\":\"disk lost\"")));
    }

    @Test
    void recordsThatAreNotRestoreRequestsAreMalformed() {
        assertInstanceOf(RestoreRequests.Malformed.class, read("not json"));
        assertInstanceOf(RestoreRequests.Malformed.class, read("{\"type\":\"RestoreRequested\"}"));
        assertInstanceOf(RestoreRequests.Malformed.class,
                read("{\"type\":\"RestoreRequested\",\"requestId\":\"6f1c1d8e-3b0a-4a53-9a4e-0d3f1c2b9a10\","
                        + "\"stanza\":\"main\",\"mode\":\"test\"}"));
    }
}
