package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Http;
import io.pgbackup.system.harness.Kafka;
import io.pgbackup.system.harness.Stack;

/**
 * The planted secrets (superuser and pgbackrest passwords, webhook URL, SMTP password) and the
 * stack's own (repository passphrases, API token, offsite key, Kafka passwords): in no log, no
 * topic, no HTTP body, no argument list and no environment of any process on this machine.
 */
@Tag("whole")
@Order(12)
class SecretsIT {

    private final Stack stack = WholeSystem.stack();

    private String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> secrets() {
        return List.of(WholeSystem.SECRET_SUPERUSER, WholeSystem.SECRET_ROLE,
                WholeSystem.SECRET_HOOK.substring("http://127.0.0.1:9/".length()), WholeSystem.SECRET_SMTP,
                read(stack.dir().resolve("pgbackrest/cipher-pass")), read(stack.scheduler().tokenFile()),
                read(stack.dir().resolve("pgbackrest/cipher-pass-repo2")), read(stack.secret("azure-account-key")),
                read(stack.secret("kafka-executor-password")), read(stack.secret("kafka-operator-password")));
    }

    private static boolean holdsAny(byte[] content, List<String> secrets) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        return secrets.stream().anyMatch(text::contains);
    }

    @Test
    void plantedSecretsAreInNoLogTopicHttpBodyArgumentListOrEnvironment() throws IOException {
        List<String> secrets = secrets();
        List<String> leaks = new ArrayList<>();
        for (Path dir : List.of(stack.logs(), stack.dir().resolve("pgbackrest/log"),
                stack.dir().resolve("pg-demo/sock"),
                stack.dir().resolve("pg-state/sock"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (holdsAny(Files.readAllBytes(f), secrets)) {
                        leaks.add("log " + f);
                    }
                }
            }
        }
        List<String> topics = List.of("backup.requests", "restore.requests", "backup.events", "backup.status",
                "backup.health", "backup.schedules", "backup.requests.dlq", "restore.requests.dlq",
                "backup.events.dlq");
        for (String topic : topics) {
            for (Kafka.Message m : stack.kafka().readAll(topic)) {
                if (m.value() != null && holdsAny(m.value().getBytes(StandardCharsets.UTF_8), secrets)) {
                    leaks.add("topic " + topic);
                    break;
                }
            }
        }
        String health = stack.health().url();
        String notifier = "http://127.0.0.1:" + stack.ports().notifier();
        List<String> pages = List.of(health + "/", health + "/stanzas/main", health + "/stanzas/main/history",
                health + "/stanzas/main/drills", health + "/q/metrics", health + "/dashboard", notifier + "/alerts",
                notifier + "/q/metrics", stack.scheduler().url() + "/q/metrics",
                "http://127.0.0.1:" + stack.ports().executor() + "/q/metrics",
                "http://127.0.0.1:" + stack.ports().executor() + "/q/health");
        for (String page : pages) {
            if (holdsAny(Http.get(page).body().getBytes(StandardCharsets.UTF_8), secrets)) {
                leaks.add("http " + page);
            }
        }
        // Azurite is the offsite store itself: it holds its account's key, as Azure does.
        long azurite = stack.pid("azurite");
        int processes = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                if (Long.parseLong(p.getFileName().toString()) == azurite) {
                    continue;
                }
                try {
                    byte[] environ = Files.readAllBytes(p.resolve("environ"));
                    byte[] cmdline = Files.readAllBytes(p.resolve("cmdline"));
                    processes++;
                    if (holdsAny(environ, secrets) || holdsAny(cmdline, secrets)) {
                        leaks.add("process " + p.getFileName() + " " + new String(cmdline, StandardCharsets.UTF_8)
                                .replace('\0', ' ').substring(0, Math.min(80, cmdline.length)));
                    }
                } catch (IOException e) {
                    // a process that ended while it was read leaves nothing to leak
                }
            }
        }
        // The scan can see them: each planted secret is found where make up keeps it (0600 files).
        int seen = 0;
        for (Path kept : List.of(stack.secret("postgres-password"), stack.secret("pgbackrest-password"),
                stack.secret("slack-webhook-url"), stack.secret("smtp-password"),
                stack.dir().resolve("run/executor/config/application.properties"))) {
            seen += holdsAny(Files.readAllBytes(kept), secrets) ? 1 : 0;
        }
        assertEquals(List.of(), leaks, "places holding a secret (" + processes + " processes read, " + topics.size()
                + " topics, " + pages.size() + " pages)");
        assertTrue(processes > 20, "processes read: " + processes);
        assertEquals(5, seen, "planted secrets found where make up keeps them");
    }
}
