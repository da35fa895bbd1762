package io.pgbackup.system.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.pgbackup.system.harness.NamespaceHost;
import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.system.harness.StackHost;
import io.pgbackup.system.harness.Teardown;
import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.WebhookReceiver;

/**
 * The fault suite's world: the stack of make up on its own folder and ports (its demo primary is
 * stanza main's host) plus two database hosts in network namespaces (stanzas h1 and h2), a Slack
 * receiver for the alerts, and stanza h2 growing months of WAL and dozens of sets in the background
 * while the main host's faults are made. Started by the first check that needs it; every check
 * mends what it broke, so any one of them runs alone too.
 */
final class FaultSuite {

    /** The faults of the table, in the order of their classes. */
    static final int FAULTS = 8;

    private static Stack stack;
    private static NamespaceHost host1;
    private static NamespaceHost host2;
    private static WebhookReceiver slack;
    private static CompletableFuture<LongLived> longLived;

    private FaultSuite() {
    }

    /** What the long-lived stanza's background job made. */
    record LongLived(int sets, Duration took) {
    }

    static synchronized Stack stack() {
        if (stack == null) {
            Instant start = Instant.now();
            slack = new WebhookReceiver();
            NamespaceHost.Network n1 = NamespaceHost.Network.create(1, FreePorts.next());
            NamespaceHost.Network n2 = NamespaceHost.Network.create(2, FreePorts.next());
            stack = Stack.builder("faults")
                    .with("SCHEDULER_COORDINATOR_CLAIM_TIMEOUT", "45s").with("SCHEDULER_COORDINATOR_CLAIM_GRACE", "15s")
                    .with("EXECUTOR_CLAIM_TIMEOUT", "45s").with("EXECUTOR_ID", "main-host")
                    .with("EXECUTOR_STATUS_INTERVAL", "3s").with("EXECUTOR_STATUS_REPO_INTERVAL", "10s")
                    .with("EXECUTOR_HEARTBEAT_TIMEOUT", "15s")
                    // Backups compress hard so that one lasts long enough to be cut into.
                    .with("PGBR_CONF_EXTRA", "[global:backup]\ncompress-level=12")
                    .with("KAFKA_EXTRA_LISTENERS", n1.kafkaListener() + " " + n2.kafkaListener())
                    .with("FLEET_STANZAS", "main,h1,h2").with("RETENTION_FULL", "7")
                    // The offsite copy is the whole-system suite's; here it would hold stanza main's
                    // worker for minutes after every full.
                    .with("OFFSITE", "none")
                    .secret("SLACK_WEBHOOK_URL", slack.url("/hook"))
                    .up();
            Teardown.register("fault-hosts-down", () -> {
                for (NamespaceHost h : new NamespaceHost[]{host1, host2}) {
                    if (h != null) {
                        h.close();
                    }
                }
                n1.remove();
                n2.remove();
                slack.close();
            });
            host1 = NamespaceHost.builder(stack, n1).stanza("h1").executorId("host1").archiveAsync().noWait().build();
            host2 = NamespaceHost.builder(stack, n2).stanza("h2").executorId("host2").archiveAsync().noWait().build();
            // Enough data that a hard-compressed full backup takes a while to cut into.
            stack.demo().sql("postgres",
                    "CREATE TABLE IF NOT EXISTS filler AS SELECT g, md5(g::text) || md5(random()::text)"
                            + " AS t FROM generate_series(1, " + Integer.getInteger("faults.filler-rows", 800_000)
                            + ") g");
            host1.executor().awaitReady();
            host2.executor().awaitReady();
            Reliability.expect(FAULTS, start, Duration.between(start, Instant.now()));
        }
        return stack;
    }

    static StackHost main() {
        return new StackHost(stack(), "main", "main-host");
    }

    static NamespaceHost host1() {
        stack();
        return host1;
    }

    static NamespaceHost host2() {
        stack();
        return host2;
    }

    static WebhookReceiver slack() {
        stack();
        return slack;
    }

    static final int LONG_SEGMENTS = Integer.getInteger("faults.long-segments", 1500);
    static final int LONG_SETS = Integer.getInteger("faults.long-sets", 60);

    /**
     * Stanza h2's long life, started once (by the main host's faults, so it grows beside them):
     * a WAL switch after a small write, LONG_SEGMENTS times, and an incremental backup every
     * LONG_SEGMENTS / LONG_SETS switches, made by pgbackrest directly (sixty requests would take far
     * longer).
     */
    static synchronized CompletableFuture<LongLived> longLived() {
        if (longLived == null) {
            NamespaceHost h2 = host2();
            longLived = CompletableFuture.supplyAsync(() -> {
                Instant start = Instant.now();
                int per = LONG_SEGMENTS / LONG_SETS;
                h2.sql("CREATE TABLE IF NOT EXISTS ticks (i int, at timestamptz DEFAULT now())");
                int sets = 0;
                for (int round = 0; round < LONG_SETS; round++) {
                    h2.sql("DO $$ BEGIN FOR i IN 1.." + per
                            + " LOOP INSERT INTO ticks (i) VALUES (i); PERFORM pg_switch_wal(); END LOOP; END $$");
                    // A backup that meets the executor's own (status, maintenance) waits its turn for the lock.
                    for (int attempt = 0; attempt < 5; attempt++) {
                        if (h2.pgbackrest("--type=incr", "backup").ok()) {
                            sets++;
                            break;
                        }
                        io.pgbackup.system.harness.Faults.last(Duration.ofSeconds(2));
                    }
                }
                return new LongLived(sets, Duration.between(start, Instant.now()));
            });
        }
        return longLived;
    }

    /** The pids of pgbackrest processes backing up a stanza with a type, from their command lines. */
    static List<Long> pgbackrestBackups(String stanza, String type) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    List<String> args = List.of(cmd.split("\0"));
                    if (!args.isEmpty() && args.get(0).endsWith("pgbackrest") && args.contains("--stanza=" + stanza)
                            && args.contains("--type=" + type) && "backup".equals(args.get(args.size() - 1))) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // ended while read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    static String request(String id, String stanza, String type) {
        return "{\"type\":\"BackupRequested\",\"requestId\":\"" + id + "\",\"stanza\":\"" + stanza
                + "\",\"backupType\":\"" + type + "\",\"requestedBy\":\"faults\"}";
    }

}
