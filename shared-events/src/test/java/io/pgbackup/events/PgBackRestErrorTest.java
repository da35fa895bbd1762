package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.pgbackup.events.PgBackRestError.Registry;

/** pgBackRest's error lists as loaded: per release, as written, and merged into one registry. */
class PgBackRestErrorTest {

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Registry registry(Map<String, String> lists) {
        return Registry.load(List.copyOf(new TreeMap<>(lists).keySet()), r -> text(lists.get(r)));
    }

    /** The list file of a release, read here on its own: code to key. */
    private static Map<Integer, String> listFile(String release) throws Exception {
        try (InputStream in = PgBackRestError.class.getResourceAsStream("pgbackrest/errors-" + release + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(" "))
                    .collect(Collectors.toMap(f -> Integer.valueOf(f[0]), f -> f[1], (a, b) -> a, TreeMap::new));
        }
    }

    private static String name(int code, String release) {
        return PgBackRestError.of(code, release).orElseThrow(() -> new AssertionError(code + " in " + release))
                .errorName();
    }

    @Test
    void theSupportedReleasesAreThoseOfDebian12And13() {
        assertEquals(List.of("2.45", "2.55.1"), PgBackRestError.supportedReleases());
    }

    @Test
    void eachReleaseHasExactlyTheCodesOfItsList() throws Exception {
        for (String release : PgBackRestError.supportedReleases()) {
            Map<Integer, String> file = listFile(release);
            Map<Integer, String> loaded = PgBackRestError.all().stream().filter(e -> e.releases().contains(release))
                    .collect(Collectors.toMap(PgBackRestError::exitCode, PgBackRestError::errorName, (a, b) -> a,
                            TreeMap::new));
            assertEquals(file.keySet(), loaded.keySet(), release);
            file.forEach((code, key) -> assertEquals(PgBackRestError.nameOf(key), loaded.get(code), release));
        }
    }

    @Test
    void spotChecksAgainstPgBackRestsOwnNames() {
        assertEquals("AssertError", name(25, "2.45"));
        assertEquals("FileMissingError", name(55, "2.45"));
        assertEquals("ArchiveTimeoutError", name(82, "2.45"));
        assertEquals("JsonFormatError", name(99, "2.45"));
        assertEquals("UnknownError", name(125, "2.45"));
        assertEquals("ConfigError", name(27, "2.55.1"));
        assertEquals("DbConnectError", name(56, "2.55.1"));
        assertEquals("RepoInvalidError", name(103, "2.55.1"));
        assertEquals("ClockError", name(106, "2.55.1"));
        assertEquals("UnhandledError", name(124, "2.55.1"));
        for (String release : PgBackRestError.supportedReleases()) {
            assertTrue(PgBackRestError.of(59, release).isEmpty(), "59 in " + release);
            assertTrue(PgBackRestError.of(123, release).isEmpty(), "123 in " + release);
        }
        // pgBackRest added no code between 2.45 and 2.55.1: both lists have these 70.
        assertEquals(70, PgBackRestError.all().size());
        assertTrue(PgBackRestError.all().stream().allMatch(e -> e.releases().equals(List.of("2.45", "2.55.1"))));
    }

    @Test
    void namesAreMadeFromKeysAsPgBackRestsBuildMakesThem() {
        assertEquals("AssertError", PgBackRestError.nameOf("assert"));
        assertEquals("DbConnectError", PgBackRestError.nameOf("db-connect"));
        assertEquals("OptionInvalidValueError", PgBackRestError.nameOf("option-invalid-value"));
        assertEquals("JsonFormatError", PgBackRestError.nameOf("json-format"));
    }

    @Test
    void aCodeOnlyANewerReleaseDefinesIsKnownForThatReleaseOnly() {
        Registry registry = registry(Map.of("1.0", "# old\n56 db-connect\n25 assert\n",
                "1.1", "25 assert\n56 db-connect\n200 shiny-new\n"));

        assertTrue(registry.of(200, "1.0").isEmpty());
        PgBackRestError added = registry.of(200, "1.1").orElseThrow();
        assertSame(added, registry.of(200).orElseThrow());
        assertEquals("ShinyNewError", added.errorName());
        assertEquals(List.of("1.1"), added.releases());
        // Nothing specific is known of it: its name, and no promise that trying again helps.
        assertTrue(added.meaning().contains("ShinyNewError"), added.meaning());
        assertFalse(added.retryable());
        assertEquals(Severity.CRITICAL, added.severity());

        PgBackRestError old = registry.of(56, "1.0").orElseThrow();
        assertSame(old, registry.of(56, "1.1").orElseThrow());
        assertEquals(List.of("1.0", "1.1"), old.releases());
        assertTrue(old.retryable(), "this system's knowledge of DbConnectError applies in every release");
        assertEquals(List.of(25, 56, 200), registry.all().stream().map(PgBackRestError::exitCode).toList());
    }

    @Test
    void aReleaseThatRenamesACodeIsRefusedWhenItsListIsAdded() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> registry(Map.of("1.0", "56 db-connect\n", "1.1", "56 db-unreachable\n")));
        assertTrue(e.getMessage().contains("DbUnreachableError"), e.getMessage());
    }

    @Test
    void anUnsupportedReleaseIsTheCallersMistake() {
        assertThrows(IllegalArgumentException.class, () -> PgBackRestError.of(56, "2.44"));
    }

    @Test
    void aBrokenListIsRefusedNotHalfRead() {
        assertThrows(IllegalStateException.class, () -> Registry.read("x", null));
        assertThrows(IllegalStateException.class, () -> Registry.read("x", text("# nothing\n")));
        assertThrows(IllegalStateException.class, () -> Registry.read("x", text("56 DbConnectError\n")));
        assertThrows(IllegalStateException.class, () -> Registry.read("x", text("56 db-connect\n56 other\n")));
        assertThrows(IllegalStateException.class, () -> Registry.read("x", text("db-connect: 56\n")));
    }

    @Test
    void everyCodeOfEveryListIsInTheOneRegistry() {
        for (PgBackRestError e : PgBackRestError.all()) {
            assertSame(e, Codes.find(e.code()).orElseThrow());
            assertEquals(e.meaning(), Codes.pgbackrestMeaning(e.exitCode()));
        }
    }

    @Test
    void everyNameThisSystemKnowsIsInSomeSupportedRelease() {
        Set<String> defined = PgBackRestError.all().stream().map(PgBackRestError::errorName)
                .collect(Collectors.toSet());
        Set<String> stale = PgBackRestFacts.names().stream().filter(n -> !defined.contains(n))
                .collect(Collectors.toSet());
        assertEquals(Set.of(), stale, "knowledge of names no supported release defines");
    }

    @Test
    void theScriptWritesWhatTheRegistryReads() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path script = here.resolve("scripts/pgbackrest-errors.sh");
        if (!Files.exists(script)) {
            script = here.getParent().resolve("scripts/pgbackrest-errors.sh");
        }
        Path sample = Path.of(PgBackRestErrorTest.class.getResource("error-sample.yaml").toURI());
        Process p = new ProcessBuilder("bash", script.toString(), "9.9", sample.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());

        assertTrue(out.startsWith("# pgBackRest 9.9's error list"), out);
        assertEquals(List.of("25 assert", "56 db-connect", "82 archive-timeout", "94 memory", "99 json-format"),
                out.lines().filter(l -> !l.startsWith("#")).toList());
        assertEquals(Map.of(25, "AssertError", 56, "DbConnectError", 82, "ArchiveTimeoutError", 94, "MemoryError",
                99, "JsonFormatError"), Registry.read("9.9", text(out)));
    }
}
