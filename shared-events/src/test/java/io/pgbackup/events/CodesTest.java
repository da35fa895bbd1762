package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The one registry of codes: complete, documented, and true to pgBackRest's own lists. */
class CodesTest {

    private static String errorsDoc() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path doc = here.resolve("docs/errors.md");
        if (!Files.exists(doc)) {
            doc = here.getParent().resolve("docs/errors.md");
        }
        return Files.readString(doc);
    }

    @Test
    void everyCodeIsInDocsErrorsMd() throws Exception {
        String doc = errorsDoc();
        // pgBackRest's rows carry its name too, so a list that renamed a code shows up here.
        List<String> missing = Codes.all().stream()
                .map(c -> c instanceof PgBackRestError e
                        ? "| `" + e.code() + "` | " + e.errorName() + " |"
                        : "| `" + c.code() + "` |")
                .filter(row -> !doc.contains(row)).toList();
        assertEquals(List.of(), missing, "codes docs/errors.md does not list");
    }

    @Test
    void codesAreUniqueAcrossFamilies() {
        Set<String> codes = Codes.all().stream().map(Code::code).collect(Collectors.toSet());
        assertEquals(Codes.all().size(), codes.size());
    }

    @Test
    void pgBackRestCodesCarryPgBackRestsOwnNames() {
        // The ones the project's older map had wrong, and the ones seen most on an executor's host.
        assertEquals("AssertError", PgBackRestError.of(25).orElseThrow().errorName());
        assertEquals("ConfigError", PgBackRestError.of(27).orElseThrow().errorName());
        assertEquals("LockAcquireError", PgBackRestError.of(50).orElseThrow().errorName());
        assertEquals("FileMissingError", PgBackRestError.of(55).orElseThrow().errorName());
        assertEquals("DbConnectError", PgBackRestError.of(56).orElseThrow().errorName());
        assertEquals("ArchiveTimeoutError", PgBackRestError.of(82).orElseThrow().errorName());
        assertEquals("ServiceError", PgBackRestError.of(101).orElseThrow().errorName());
        assertEquals("RepoInvalidError", PgBackRestError.of(103).orElseThrow().errorName());
        assertTrue(PgBackRestError.of(59).isEmpty(), "59 is in no supported release's list");
    }

    @Test
    void digitsFindPgBackRestCodesAndNamesFindTheOthers() {
        assertEquals(PgBackRestError.of(56).orElseThrow(), Codes.find("56").orElseThrow());
        assertEquals(FailureCode.NO_EXECUTOR, Codes.find("NO_EXECUTOR").orElseThrow());
        assertEquals(HealthCode.WAL_GAP, Codes.find("WAL_GAP").orElseThrow());
        assertTrue(Codes.find("59").isEmpty());
        assertTrue(Codes.remedy("SOMETHING_NEW").startsWith("Read the reason"));
        assertEquals(Severity.INFO, FailureCode.INVALID_TARGET.severity(), "a wrong request alerts nobody");
    }
}
