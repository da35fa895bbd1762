package io.pgbackup.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The seed's Quick Start on a stack of its own, from the images {@code make images} built, brought
 * up and driven through Testcontainers: health on its published port after the first backup, a diff
 * backup with run-backup.sh in the backup-scheduler container, a test restore that leaves its
 * checked copy in /tmp/postgres-restore-test, and the operation logs. Skipped only when no
 * container engine can be reached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeQuickStartIT {

    private static final Path ROOT = Path.of(System.getProperty("compose.root", "..")).toAbsolutePath().normalize();
    private static final List<String> IMAGES = List.of("pgbackup/postgres:local", "pgbackup/kafka:local",
            "pgbackup/executor:local", "pgbackup/scheduler:local", "pgbackup/health:local",
            "pgbackup/notifier:local");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DockerComposeContainer<?> stack;
    private static int healthPort;

    @BeforeAll
    static void up() throws IOException {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no container engine can be reached: make compose-test installs and starts one (root)");
        for (String image : IMAGES) {
            assertTrue(
                    DockerClientFactory.instance().client().listImagesCmd().withImageNameFilter(image).exec()
                            .size() > 0,
                    image + " is missing: run make images first");
        }
        healthPort = freePort();
        stack = new DockerComposeContainer<>("pgbackuptc", composeFile())
                .withLocalCompose(true).withPull(false)
                .withEnv(Map.of("HEALTH_HTTP_PORT", String.valueOf(healthPort), "SCHEDULER_HTTP_PORT",
                        String.valueOf(freePort()), "KAFKA_HOST_PORT", String.valueOf(freePort()),
                        "PGBACKREST_STANZA", "main"))
                .waitingFor("health_1", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("executor_1", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("backup-scheduler_1", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)));
        stack.start();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    @Order(1)
    void healthIsHealthyOnItsPublishedPortOnceTheFirstBackupIsTaken() {
        Awaitility.await("health healthy after the first backup").atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2)).until(() -> health().startsWith("{\"status\":\"healthy\""));
    }

    @Test
    @Order(2)
    void runBackupDiffInTheSchedulerContainerCompletes() throws Exception {
        ExecResult run = scheduler().execInContainer("/usr/local/bin/run-backup.sh", "diff");
        assertEquals(0, run.getExitCode(), run.getStdout() + run.getStderr());
        assertTrue(run.getStdout().matches("(?s).*completed: \"label\":\"[0-9]{8}-[0-9]{6}F_[0-9]{8}-[0-9]{6}D\".*"),
                run.getStdout());
    }

    @Test
    @Order(3)
    void aTestRestoreLeavesItsCheckedCopyStoppedInPostgresRestoreTest() throws Exception {
        ExecResult restore = scheduler().execInContainer("/usr/local/bin/restore-backup.sh");
        assertEquals(0, restore.getExitCode(), restore.getStdout() + restore.getStderr());
        assertTrue(restore.getStdout().contains("\"keptAt\":\"/tmp/postgres-restore-test/data\""), restore.getStdout());
        ContainerState executor = stack.getContainerByServiceName("executor_1").orElseThrow();
        ExecResult listing = executor.execInContainer("ls", "-la", "/tmp/postgres-restore-test/data");
        assertTrue(listing.getStdout().contains("PG_VERSION"), listing.getStdout());
        assertFalse(listing.getStdout().contains("postmaster.pid"), "stopped: " + listing.getStdout());
    }

    @Test
    @Order(4)
    void theOperationLogsHaveALinePerBackupAndRestoreWithItsOutcome() throws Exception {
        ExecResult logs = scheduler().execInContainer("sh", "-c",
                "cat /var/log/backups/backup.log /var/log/backups/restore.log");
        assertTrue(logs.getStdout().contains("BackupCompleted outcome=success stanza=main detail=diff"),
                logs.getStdout());
        assertTrue(logs.getStdout().contains("RestoreCompleted outcome=success stanza=main detail=test"),
                logs.getStdout());
    }

    private static ContainerState scheduler() {
        return stack.getContainerByServiceName("backup-scheduler_1").orElseThrow();
    }

    private static String health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The compose file as the user runs it, less its top-level {@code name:}: Debian's docker-compose
     * 1.29 does not know that key, and Testcontainers names the project itself.
     */
    private static File composeFile() throws IOException {
        Path out = ROOT.resolve("compose-test/target/docker-compose.yml");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Files.readAllLines(ROOT.resolve("docker-compose.backups.yml")).stream()
                .filter(l -> !l.startsWith("name:")).collect(Collectors.joining("\n", "", "\n")));
        return out.toFile();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
