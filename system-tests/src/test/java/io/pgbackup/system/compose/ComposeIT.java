package io.pgbackup.system.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import com.github.dockerjava.api.command.InspectContainerResponse;

import io.pgbackup.system.harness.Http;
import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.Project;

/**
 * The seed's container Quick Start, docker-compose.backups.yml from the images make images built,
 * brought up by Testcontainers on ports of its own and driven as the README's Docker section says:
 * every service healthy, the health JSON after the first backup, the scripts in the backup-scheduler
 * container and from the host, a request published with kcat on the host listener, the operation
 * logs, the published ports, and the Nagios check's fallback with health stopped. Needs an engine
 * (make compose-test installs and starts one).
 */
@Tag("compose")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {

    private static final List<String> SERVICES = List.of("kafka", "postgres", "state-db", "executor",
            "backup-scheduler", "health", "notifier");
    private static final List<String> IMAGES = List.of("pgbackup/postgres:local", "pgbackup/kafka:local",
            "pgbackup/executor:local", "pgbackup/scheduler:local", "pgbackup/health:local", "pgbackup/notifier:local");

    private static DockerComposeContainer<?> stack;
    private static int healthPort;
    private static int schedulerPort;
    private static int kafkaPort;
    private static String project;
    private static Path tokenFile;

    @BeforeAll
    static void up() throws IOException, InterruptedException {
        assertTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no container engine can be reached: make compose-test installs and starts one (root)");
        for (String image : IMAGES) {
            assertFalse(DockerClientFactory.instance().client().listImagesCmd().withImageNameFilter(image).exec()
                    .isEmpty(), image + " is missing: run make images first");
        }
        healthPort = FreePorts.next();
        schedulerPort = FreePorts.next();
        kafkaPort = FreePorts.next();
        var compose = new DockerComposeContainer<>("pgbackupit", composeFile()).withLocalCompose(true).withPull(false)
                .withEnv(Map.of("HEALTH_HTTP_PORT", String.valueOf(healthPort), "SCHEDULER_HTTP_PORT",
                        String.valueOf(schedulerPort), "KAFKA_HOST_PORT", String.valueOf(kafkaPort),
                        "PGBACKREST_STANZA", "main",
                        // Maintenance every minute, so that one runs within the test (the default is hourly).
                        "BACKUP_SCHEDULE_MAINTENANCE", "* * * * *"));
        for (String s : List.of("health", "executor", "backup-scheduler", "notifier", "kafka", "postgres",
                "state-db")) {
            compose = compose.waitingFor(s + "_1", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)));
        }
        stack = compose;
        stack.start();
        project = container("health").getContainerInfo().getConfig().getLabels().get("com.docker.compose.project");
        // The compose stack's own API token, for the scripts run from the host (never make up's).
        ExecResult token = container("backup-scheduler").execInContainer("cat", "/run/pgbackup-secrets/api-token");
        tokenFile = Files.createTempFile("compose-api-token", "");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tokenFile, token.getStdout().trim());
    }

    @AfterAll
    static void down() throws IOException {
        if (stack != null) {
            stack.stop();
        }
        if (tokenFile != null) {
            Files.deleteIfExists(tokenFile);
        }
    }

    private static ContainerState container(String service) {
        return stack.getContainerByServiceName(service + "_1").orElseThrow(
                () -> new AssertionError("no container of service " + service));
    }

    /** The host's scripts, pointed at this stack with its own credentials. */
    private static Os.Result hostScript(String name, Map<String, String> extra, String... args) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HEALTH_URL", "http://127.0.0.1:" + healthPort);
        env.put("SCHEDULER_URL", "http://127.0.0.1:" + schedulerPort);
        env.put("API_TOKEN_FILE", tokenFile.toString());
        env.put("COMPOSE_PROJECT", project);
        env.putAll(extra);
        List<String> command = new ArrayList<>(
                List.of("bash", Project.file("scripts/backup-health/" + name).toString()));
        command.addAll(List.of(args));
        return Os.run(command, env, Duration.ofMinutes(6), null);
    }

    @Test
    @Order(1)
    void everyServiceIsHealthyByItsOwnHealthcheck() {
        Map<String, String> states = new LinkedHashMap<>();
        for (String s : SERVICES) {
            InspectContainerResponse.ContainerState state = container(s).getCurrentContainerInfo().getState();
            states.put(s, state.getHealth() == null ? state.getStatus() : state.getHealth().getStatus());
        }
        assertTrue(states.values().stream().allMatch("healthy"::equals), "services' health: " + states);
    }

    @Test
    @Order(2)
    void theHealthJsonOnItsPublishedPortIsHealthyAfterTheFirstBackup() {
        Awaitility.await("health healthy after the first backup").atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> "healthy"
                        .equals(Http.get("http://127.0.0.1:" + healthPort + "/").json().path("status").asText()));
    }

    @Test
    @Order(3)
    void theNagiosCheckOnTheHostSaysOk() {
        theHealthJsonOnItsPublishedPortIsHealthyAfterTheFirstBackup();
        Os.Result check = hostScript("check-backup-health.sh", Map.of());
        assertEquals(0, check.exitCode(), "check-backup-health.sh: " + check.output());
    }

    private void runBackupInTheSchedulerContainer(String type, String labelPattern) throws Exception {
        ExecResult run = container("backup-scheduler").execInContainer("/usr/local/bin/run-backup.sh", type);
        assertEquals(0, run.getExitCode(), "run-backup.sh " + type + ": " + run.getStdout() + run.getStderr());
        assertTrue(run.getStdout().matches("(?s).*completed: \"label\":\"" + labelPattern + "\".*"),
                "run-backup.sh " + type + " printed: " + run.getStdout());
    }

    @Test
    @Order(4)
    void runBackupFullInTheSchedulerContainerCompletes() throws Exception {
        runBackupInTheSchedulerContainer("full", "[0-9]{8}-[0-9]{6}F");
    }

    @Test
    @Order(5)
    void runBackupDiffInTheSchedulerContainerCompletes() throws Exception {
        runBackupInTheSchedulerContainer("diff", "[0-9]{8}-[0-9]{6}F_[0-9]{8}-[0-9]{6}D");
    }

    @Test
    @Order(6)
    void aRequestPublishedWithKcatOnTheHostListenerIsAnswered() {
        String id = UUID.randomUUID().toString();
        String record = "main\t{\"type\":\"BackupRequested\",\"schemaVersion\":1,\"requestId\":\"" + id
                + "\",\"stanza\":\"main\",\"backupType\":\"incr\",\"requestedBy\":\"compose-test\"}\n";
        Os.check(Os.run(List.of("kcat", "-b", "127.0.0.1:" + kafkaPort, "-P", "-t", "backup.requests", "-K", "\t"),
                Map.of(), Duration.ofSeconds(60), record), "kcat -P");
        Awaitility.await("BackupCompleted for " + id).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> Os.run(List.of("kcat", "-b", "127.0.0.1:" + kafkaPort, "-C", "-t", "backup.events", "-o",
                        "beginning", "-e", "-q"), Map.of(), Duration.ofSeconds(60), null).output().lines()
                        .anyMatch(l -> l.contains("\"requestId\":\"" + id + "\"")
                                && l.contains("\"type\":\"BackupCompleted\"")));
    }

    @Test
    @Order(7)
    void restoreBackupShInTheSchedulerContainerLeavesItsCheckedCopy() throws Exception {
        ExecResult restore = container("backup-scheduler").execInContainer("/usr/local/bin/restore-backup.sh");
        assertEquals(0, restore.getExitCode(), "restore-backup.sh: " + restore.getStdout() + restore.getStderr());
        assertTrue(restore.getStdout().contains("\"keptAt\":\"/tmp/postgres-restore-test/data\""),
                "restore-backup.sh printed: " + restore.getStdout());
    }

    @Test
    @Order(8)
    void restoreBackupShFromTheHostLeavesTheStoppedCopyInTheExecutor() throws Exception {
        Os.Result restore = hostScript("restore-backup.sh", Map.of("WAIT_SECONDS", "300"));
        assertEquals(0, restore.exitCode(), "restore-backup.sh from the host: " + restore.output());
        ExecResult listing = container("executor").execInContainer("ls", "-la", "/tmp/postgres-restore-test/data");
        assertTrue(listing.getStdout().contains("PG_VERSION"), "the copy: " + listing.getStdout());
        assertFalse(listing.getStdout().contains("postmaster.pid"), "the copy is stopped: " + listing.getStdout());
    }

    @Test
    @Order(9)
    void theProductionFormWithoutConfirmationIsRefusedAndSaysWhatItNeeds() {
        Os.Result refused = hostScript("restore-backup.sh", Map.of(), "latest", "/var/lib/postgresql/data", "false");
        assertEquals(2, refused.exitCode(),
                "restore-backup.sh latest /var/lib/postgresql/data false: " + refused.output());
        assertTrue(refused.output().contains("CONFIRM=main"), "what it says it needs: " + refused.output());
    }

    @Test
    @Order(10)
    void theOperationLogsHaveTheOutcomesOfMaintenanceBackupsAndRestores() {
        Awaitility.await("a maintenance line").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> logs().contains("MaintenanceCompleted outcome=success"));
        String logs = logs();
        assertTrue(logs.contains("BackupCompleted outcome=success stanza=main detail=diff"), "the logs: " + logs);
        assertTrue(logs.contains("RestoreCompleted outcome=success stanza=main detail=test"), "the logs: " + logs);
    }

    private static String logs() {
        try {
            return container("backup-scheduler").execInContainer("sh", "-c",
                    "cat /var/log/backups/maintenance.log /var/log/backups/backup.log /var/log/backups/restore.log")
                    .getStdout();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    @Order(11)
    void everyPublishedPortIsOn127001Only() {
        List<String> published = new ArrayList<>();
        for (String s : SERVICES) {
            container(s).getCurrentContainerInfo().getNetworkSettings().getPorts().getBindings()
                    .forEach((port, bindings) -> {
                        if (bindings != null) {
                            for (var b : bindings) {
                                published.add(b.getHostIp() + ":" + b.getHostPortSpec() + "->" + port);
                            }
                        }
                    });
        }
        assertFalse(published.isEmpty(), "the stack publishes its ports");
        assertEquals(List.of(), published.stream().filter(p -> !p.startsWith("127.0.0.1:")).toList(),
                "ports published beyond 127.0.0.1 (all: " + published + ")");
    }

    @Test
    @Order(12)
    void withHealthStoppedTheCheckFallsBackToPgbackrestInTheExecutor() throws Exception {
        ContainerState health = container("health");
        DockerClientFactory.instance().client().stopContainerCmd(health.getContainerId()).exec();
        Os.Result check = hostScript("check-backup-health.sh", Map.of());
        assertEquals(1, check.exitCode(), "check-backup-health.sh without health: " + check.output());
        assertTrue(check.output().contains("archive check OK"), "the check's line: " + check.output());
    }

    /**
     * The compose file as the user runs it, less its top-level {@code name:}: Debian's docker-compose
     * 1.29 does not know that key, and Testcontainers names the project itself.
     */
    private static File composeFile() throws IOException {
        Path out = Project.file("system-tests/target/docker-compose.yml");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Files.readAllLines(Project.file("docker-compose.backups.yml")).stream()
                .filter(l -> !l.startsWith("name:")).collect(Collectors.joining("\n", "", "\n")));
        return out.toFile();
    }
}
