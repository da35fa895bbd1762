package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Http;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/**
 * What make up secures by default, checked where an attacker would look: the repositories'
 * files, the databases' logins, and what the pgbackrest role may do.
 */
@Tag("whole")
@Order(5)
class RepositorySecurityIT {

    private final Stack stack = WholeSystem.stack();

    /** A backup that holds the marker row (the fixture made the table after make up's full). */
    private void backupHoldingTheMarker() {
        String id = WholeSystem.newId();
        stack.kafka().publish("backup.requests", "main", WholeSystem.request(id, "main", "incr"));
        JsonNode answer = stack.kafka().events().awaitAnswer(id, WholeSystem.BACKUP);
        assertEquals("BackupCompleted", answer.path("type").asText(), "the marker's backup: " + answer);
    }

    private static List<Path> filesContaining(Path dir, String text) throws IOException {
        List<Path> found = new ArrayList<>();
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    found.add(f);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer : for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void theRepositoryIsEncryptedAndItsPassphraseIsInNoLog() throws IOException {
        backupHoldingTheMarker();
        Path repo = stack.dir().resolve("pgbackrest/repo");
        JsonNode info = Http.JSON
                .readTree(Os.check(stack.pgbackrest("--stanza=main", "--output=json", "info"), "info"));
        assertEquals("aes-256-cbc", info.path(0).path("repo").path(0).path("cipher").asText(),
                "repo1's cipher in pgbackrest info: " + info.path(0).path("repo"));
        Path sample;
        try (Stream<Path> files = Files.walk(repo.resolve("backup/main"))) {
            sample = files.filter(f -> f.toString().endsWith(".zst")).findFirst().orElseThrow(
                    () -> new AssertionError("no backed-up file (*.zst) under " + repo));
        }
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(sample), 8);
        assertEquals("Salted__", new String(head, StandardCharsets.ISO_8859_1), "the first bytes of " + sample);
        assertEquals(List.of(), filesContaining(repo, WholeSystem.MARKER),
                "repository files holding the marker row's text");
        Path passphrase = stack.dir().resolve("pgbackrest/cipher-pass");
        assertEquals("rw-------", mode(passphrase), "mode of " + passphrase);
        assertEquals("rw-------", mode(stack.dir().resolve("pgbackrest/pgbackrest.conf")), "mode of pgbackrest.conf");
        String secret = Files.readString(passphrase).trim();
        List<Path> leaking = new ArrayList<>(filesContaining(stack.logs(), secret));
        leaking.addAll(filesContaining(stack.dir().resolve("pgbackrest/log"), secret));
        assertEquals(List.of(), leaking, "logs holding the repository's passphrase");
    }

    private String pgbackrestPassword() throws IOException {
        return Files.readString(stack.secret("pgbackrest-password")).trim();
    }

    private String jdbc(int port, String database, String ssl) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?" + ssl;
    }

    private String verifyFull() {
        return "sslmode=verify-full&sslrootcert=" + stack.tls().resolve("ca.pem");
    }

    /** One statement as the pgbackrest role over verified TLS: its first value, or the error. */
    private String asPgbackrestRole(String sql) throws IOException {
        try (Connection c = DriverManager.getConnection(jdbc(stack.ports().demoPg(), "postgres", verifyFull()),
                "pgbackrest", pgbackrestPassword()); Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return "";
            }
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException e) {
            return "ERROR: " + e.getMessage();
        }
    }

    private String plaintextLogin(int port, String database, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbc(port, database, "sslmode=disable"), user, password)) {
            return "logged in";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Test
    void noTrustNoPlaintextAndThePgbackrestRoleIsNoSuperuserOverVerifiedTls() throws IOException {
        for (String cluster : List.of("pg-demo", "pg-state")) {
            List<String> trust = Files.readAllLines(stack.dir().resolve(cluster + "/data/pg_hba.conf")).stream()
                    .filter(l -> !l.startsWith("#") && l.matches(".*\\btrust\\b.*")).toList();
            assertEquals(List.of(), trust, cluster + "'s pg_hba.conf lines with trust");
        }
        String plain = plaintextLogin(stack.ports().demoPg(), "postgres", "postgres", WholeSystem.SECRET_SUPERUSER);
        String statePlain = plaintextLogin(stack.ports().statePg(), "executor", "executor", "x");
        assertTrue(plain.contains("no encryption"), "a plaintext login to the primary: " + plain);
        assertTrue(statePlain.contains("no encryption"), "a plaintext login to the state database: " + statePlain);
        assertEquals("falsefalsefalse", asPgbackrestRole("SELECT rolsuper::text || rolcreaterole::text"
                + " || rolreplication::text FROM pg_roles WHERE rolname = current_user"),
                "the pgbackrest role's powers");
        assertEquals("t", asPgbackrestRole("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
                "the pgbackrest role's session is TLS");
        assertTrue(
                Files.readAllLines(stack.dir().resolve("pgbackrest/pgbackrest.conf")).contains("pg1-user=pgbackrest"),
                "pgbackrest.conf logs in as the pgbackrest role (pg1-user=pgbackrest)");
    }

    @Test
    void asThePgbackrestRoleBackupsAndMaintenanceWorkAndWhatItNeedsNotIsDenied() throws IOException {
        List<String> failed = new ArrayList<>();
        for (List<String> op : List.of(List.of("--type=diff", "backup"), List.of("check"), List.of("expire"),
                List.of("verify"))) {
            List<String> args = new ArrayList<>(List.of("--stanza=main"));
            args.addAll(op);
            Os.Result r = stack.pgbackrest(args.toArray(String[]::new));
            if (!r.ok()) {
                failed.add(String.join(" ", op) + " (exit " + r.exitCode() + ": " + Os.tail(r.output(), 3) + ")");
            }
        }
        assertEquals(List.of(), failed, "pgbackrest operations that failed as the pgbackrest role");
        // A named restore point, made by the executor over its own connection (the same role, TLS).
        String point = WholeSystem.newId();
        stack.kafka().publish("restore.requests", "main", "{\"type\":\"RestoreRequested\",\"requestId\":\"" + point
                + "\",\"stanza\":\"main\",\"mode\":\"point\",\"target\":{\"kind\":\"name\",\"value\":\"sys-point\"},"
                + "\"requestedBy\":\"system-tests\"}");
        JsonNode answer = stack.kafka().events().awaitAnswer(point, Duration.ofSeconds(60));
        assertEquals("RestorePointCreated", answer.path("type").asText(), "the restore point's answer: " + answer);
        String createRole = asPgbackrestRole("CREATE ROLE e2e_intruder");
        String readTable = asPgbackrestRole("SELECT count(*) FROM e2e_marker");
        String alterSystem = asPgbackrestRole("ALTER SYSTEM SET archive_command = 'true'");
        assertTrue(createRole.contains("permission denied to create role"), "CREATE ROLE as pgbackrest: " + createRole);
        assertTrue(readTable.contains("permission denied for table"),
                "reading a user table as pgbackrest: " + readTable);
        assertTrue(alterSystem.contains("permission denied"), "ALTER SYSTEM as pgbackrest: " + alterSystem);
    }

    @Test
    void aFullBackupIsCopiedToTheOffsiteRepositoryEncrypted() throws IOException {
        JsonNode copied = stack.kafka().events().awaitMatching("MaintenanceCompleted of the offsite copy",
                e -> "MaintenanceCompleted".equals(e.path("type").asText())
                        && "offsite".equals(e.path("task").asText()),
                Duration.ofMinutes(4));
        JsonNode info = Http.JSON.readTree(Os.check(stack.pgbackrest("--stanza=main", "--repo=2", "--output=json",
                "info"), "info of repo2")).path(0);
        List<String> types = new ArrayList<>();
        info.path("backup").forEach(b -> types.add(b.path("type").asText()));
        assertTrue(types.contains("full"), "repo2's sets after " + copied + ": " + types);
        assertEquals("aes-256-cbc", info.path("repo").path(0).path("cipher").asText(),
                "repo2's cipher: " + info.path("repo"));
        Path store = stack.dir().resolve("azurite");
        try (Stream<Path> files = Files.walk(store)) {
            assertTrue(files.anyMatch(Files::isRegularFile), "the offsite store " + store + " holds files");
        }
        stack.demo().sql("postgres", "SELECT pg_switch_wal()");
        assertEquals(List.of(), filesContaining(store, WholeSystem.MARKER), "offsite files holding the marker's text");
        assertEquals("rw-------", mode(stack.dir().resolve("pgbackrest/cipher-pass-repo2")),
                "mode of repo2's passphrase");
        assertFalse(info.path("backup").isEmpty(), "repo2 has sets");
    }
}
