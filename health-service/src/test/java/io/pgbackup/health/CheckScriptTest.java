package io.pgbackup.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    private Result run(String url) {
        Os.Result r = Os.run(List.of("env", "HEALTH_URL=" + url, "CHECK_TIMEOUT=5", "bash", SCRIPT.toString()),
                Duration.ofSeconds(30));
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
}
