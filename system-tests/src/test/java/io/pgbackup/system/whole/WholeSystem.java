package io.pgbackup.system.whole;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.pgbackup.system.harness.ChildService;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.system.harness.StackHost;

/**
 * The whole-system suite's one stack, started by the first check that needs it and stopped when the
 * suite's JVM ends: make up on its own folder and ports, with secrets planted for the secrets check,
 * short intervals so that silence and unclaimed requests show within a minute, and a marker table
 * the drills count. Two slow stimuli start with it and run while the other checks do, as they
 * would in a day of operation: a request for a stanza no executor serves, and two more scheduler
 * replicas of an every-minute schedule.
 */
final class WholeSystem {

    static final String STANZA = "main";
    static final String EXECUTOR_ID = "system-executor";
    /** A stanza every scheduler replica requests each minute and no executor serves. */
    static final String GHOST = "ghost";

    static final String SECRET_SUPERUSER = "sys-su-" + UUID.randomUUID();
    static final String SECRET_ROLE = "sys-role-" + UUID.randomUUID();
    static final String SECRET_HOOK = "http://127.0.0.1:9/sys-hook-" + UUID.randomUUID();
    static final String SECRET_SMTP = "sys-smtp-" + UUID.randomUUID();
    /** Text in a row of the demo database that must never appear in a repository's files. */
    static final String MARKER = "plaintext-marker-" + UUID.randomUUID();

    private static Stack stack;
    private static String unservedRequest;
    private static final List<ChildService> replicas = new ArrayList<>();
    private static CompletableFuture<Instant> replicaRestarted;

    private WholeSystem() {
    }

    static synchronized Stack stack() {
        if (stack == null) {
            stack = Stack.builder("whole")
                    // The drills count the marker table (-1 before it exists).
                    .with("EXECUTOR_RESTORE_COUNT_TABLES", "public.e2e_marker")
                    // Longer than the state database outage of its check (an older request is the
                    // coordinator's to answer NO_EXECUTOR, and the executor leaves it), short
                    // enough for the unserved request's answer to come within a minute.
                    .with("SCHEDULER_COORDINATOR_CLAIM_TIMEOUT", "45s").with("SCHEDULER_COORDINATOR_CLAIM_GRACE", "15s")
                    .with("EXECUTOR_CLAIM_TIMEOUT", "45s").with("EXECUTOR_ID", EXECUTOR_ID)
                    .with("EXECUTOR_STATUS_INTERVAL", "3s").with("EXECUTOR_STATUS_REPO_INTERVAL", "10s")
                    .with("EXECUTOR_HEARTBEAT_TIMEOUT", "15s")
                    .secret("POSTGRES_PASSWORD", SECRET_SUPERUSER).secret("BACKUP_ROLE_PASSWORD", SECRET_ROLE)
                    .secret("SLACK_WEBHOOK_URL", SECRET_HOOK).secret("QUARKUS_MAILER_PASSWORD", SECRET_SMTP)
                    .up();
            stack.demo().sql("postgres", "CREATE TABLE e2e_marker AS SELECT '" + MARKER + "'::text AS m");
            unservedRequest = UUID.randomUUID().toString();
            stack.kafka().publish("backup.requests", "other", request(unservedRequest, "other", "full"));
            replicas.add(schedulerReplica());
            replicas.add(schedulerReplica());
            // One replica killed as soon as both run, and started again: its partitions and its
            // planned minutes must move to the others and back without a minute requested twice.
            replicaRestarted = CompletableFuture.supplyAsync(() -> {
                replicas.forEach(ChildService::awaitReady);
                replicas.get(0).kill();
                replicas.get(0).start();
                return Instant.now();
            });
        }
        return stack;
    }

    static StackHost host() {
        return new StackHost(stack(), STANZA, EXECUTOR_ID);
    }

    /** The request for stanza other that no executor serves, published as the stack started. */
    static String unservedRequest() {
        stack();
        return unservedRequest;
    }

    /** The two extra scheduler replicas, started with the stack. */
    static List<ChildService> schedulerReplicas() {
        stack();
        return replicas;
    }

    /** When the killed replica was started again. */
    static Instant replicaRestarted() {
        stack();
        return replicaRestarted.orTimeout(5, TimeUnit.MINUTES).join();
    }

    /**
     * Another scheduler of the same stack (its database, its coordinator group, its login), with an
     * every-minute incremental schedule for the ghost stanza and a short Kafka session so a killed
     * replica's partitions move on in seconds.
     */
    static ChildService schedulerReplica() {
        return ChildService.scheduler(stack, "replica", java.util.Map.of("BACKUP_STANZAS", STANZA + "," + GHOST,
                "BACKUP_SCHEDULE_STANZA__GHOST__INCR", "* * * * *", "BACKUP_SCHEDULE_STANZA__GHOST__FULL", "none",
                "BACKUP_SCHEDULE_STANZA__GHOST__DIFF", "none", "BACKUP_SCHEDULE_STANZA__GHOST__DRILL", "none",
                "BACKUP_SCHEDULE_TICK_EVERY", "1s"));
    }

    static String request(String id, String stanza, String type) {
        return "{\"type\":\"BackupRequested\",\"requestId\":\"" + id + "\",\"stanza\":\"" + stanza
                + "\",\"backupType\":\"" + type + "\",\"requestedBy\":\"system-tests\"}";
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static final Duration BACKUP = Duration.ofMinutes(3);
}
