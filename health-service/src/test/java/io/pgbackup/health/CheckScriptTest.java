package io.pgbackup.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.Os;

/**
 * scripts/backup-health/check-backup-health.sh as Nagios runs it, against a real HTTP server
 * answering each status in the documented JSON shape. (The e2e test runs it against the real
 * service, healthy and with archiving broken.)
 */
class CheckScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "backup-health", "check-backup-health.sh");
    private HttpServer server;
    private volatile String body;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private record Result(int exit, String line) {
    }

    /**
     * The check with everything it could fall back on named explicitly: no compose stack (a project
     * name nobody has) and a pgbackrest configuration of the test's own, so nothing of the working
     * tree (a make up stack's .local) or of the machine decides the verdict.
     */
    private Result run(String url) {
        return run(url, Path.of("/nonexistent/pgbackrest.conf"), 5);
    }

    private Result run(String url, Path pgbackrestConfig, int timeout) {
        Os.Result r = Os.run(List.of("bash", SCRIPT.toString()), Map.of("HEALTH_URL", url, "CHECK_TIMEOUT",
                String.valueOf(timeout), "PGBACKREST_CONFIG", pgbackrestConfig.toString(), "COMPOSE_PROJECT",
                "none-" + UUID.randomUUID()), Duration.ofSeconds(60), null);
        return new Result(r.exitCode(), r.output().trim());
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String health(String status, String... codes) {
        StringBuilder messages = new StringBuilder();
        for (String code : codes) {
            messages.append(messages.isEmpty() ? "" : ",").append("{\"stanza\":\"main\",\"severity\":\"")
                    .append(status).append("\",\"code\":\"").append(code).append("\",\"message\":\"why\"}");
        }
        return "{\"status\":\"" + status + "\",\"timestamp\":\"2026-11-25T01:00:00Z\",\"last_backup_age_hours\":2.5,"
                + "\"messages\":[" + messages + "]}";
    }

    @Test
    void eachStatusHasItsNagiosExitCodeAndOneLine() throws Exception {
        body = health("healthy");
        Result ok = run(url());
        assertEquals(0, ok.exit(), ok.line());
        assertEquals("BACKUP OK - all stanzas healthy|last_backup_age_hours=2.5", ok.line());

        body = health("degraded", "DRILL_OVERDUE");
        Result warning = run(url());
        assertEquals(1, warning.exit(), warning.line());
        assertEquals("BACKUP WARNING - degraded: main:DRILL_OVERDUE|last_backup_age_hours=2.5", warning.line());

        body = health("unhealthy", "WAL_GAP", "ARCHIVE_FAILING");
        Result critical = run(url());
        assertEquals(2, critical.exit(), critical.line());
        assertEquals("BACKUP CRITICAL - unhealthy: main:ARCHIVE_FAILING main:WAL_GAP|last_backup_age_hours=2.5",
                critical.line());
        assertEquals(1, critical.line().lines().count());
    }

    @Test
    void anUnreachableOrConfusedServiceIsUnknown() throws Exception {
        Result down = run("http://127.0.0.1:" + FreePorts.next());
        assertEquals(3, down.exit(), down.line());
        assertTrue(down.line().startsWith("BACKUP UNKNOWN - health service at "), down.line());

        body = "<html>proxy error</html>";
        Result odd = run(url());
        assertEquals(3, odd.exit(), odd.line());
        assertTrue(List.of(odd.line().split(" - ")).get(0).equals("BACKUP UNKNOWN"), odd.line());
    }

    /**
     * A repository that never answers (a TCP peer that accepts and stays silent, as a hung object
     * store does): the check's fallback to pgbackrest would wait for pgbackrest's own minute-long
     * timeouts, but the check answers UNKNOWN within CHECK_TIMEOUT, as a monitoring system needs.
     */
    @Test
    void aRepositoryThatNeverAnswersGivesUnknownWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path dir = Os.postgresOwnedDir("check-script-");
            Path config = dir.resolve("pgbackrest.conf");
            Os.writeFile(config, "[global]\nrepo1-type=azure\nrepo1-azure-account=pgbackup\n"
                    + "repo1-azure-key=" + Base64.getEncoder().encodeToString(new byte[64]) + "\n"
                    + "repo1-azure-container=never\nrepo1-storage-host=127.0.0.1\nrepo1-storage-port="
                    + silent.getLocalPort() + "\nrepo1-storage-verify-tls=n\nlog-path=" + dir + "\nlock-path=" + dir
                    + "\n\n[main]\npg1-path=" + dir + "/data\n");
            long start = System.nanoTime();
            Result r = run("http://127.0.0.1:" + FreePorts.next(), config, 5);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertEquals(3, r.exit(), r.line());
            assertTrue(r.line().startsWith("BACKUP UNKNOWN - health service at ") && r.line().contains("CHECK_TIMEOUT"),
                    "expected UNKNOWN naming the timeout, got: " + r.line());
            assertTrue(seconds <= 5 + 3, "the check answered after " + seconds + " s, CHECK_TIMEOUT was 5 s");
            Os.run(List.of("rm", "-rf", dir.toString()));
        }
    }
}
