package io.pgbackup.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.PgBackRestStack;
import io.pgbackup.testsupport.PostgresCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A database host as the executor finds it: a primary archiving through pgbackrest, stanza
 * {@value #STANZA} created. The executor runs the real pgbackrest through a recording wrapper
 * that logs each argument list (to prove what reached pgbackrest) and, when a slow-flag file
 * exists, waits the seconds written in it once before the backup: a backup that outlasts the
 * Kafka connector's limit for an un-acknowledged record without a multi-gigabyte database.
 */
public class ExecutorStack implements QuarkusTestResourceLifecycleManager {

    public static final String STANZA = "main";
    /** A second stanza on the same host, the only one whose in-place (production) restore is allowed. */
    public static final String PROD = "prod";
    /** A third stanza that only BackupPipelineTest's first request backs up: it starts without a full. */
    public static final String FRESH = "fresh";
    private static PgBackRestStack stack;
    private static PostgresCluster fresh;
    private static PostgresCluster prod;

    public static PostgresCluster prod() {
        return prod;
    }

    public static PgBackRestStack stack() {
        return stack;
    }

    public static Path invocationLog() {
        return stack.root().resolve("invocations.log");
    }

    public static Path slowFlag() {
        return stack.root().resolve("slow-once");
    }

    public static List<String> invocations() {
        try {
            return java.nio.file.Files.exists(invocationLog())
                    ? java.nio.file.Files.readAllLines(invocationLog())
                    : List.of();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        stack = PgBackRestStack.create(STANZA);
        prod = stack.addStanza(PROD);
        fresh = stack.addStanza(FRESH);
        Path wrapper = stack.root().resolve("pgbackrest-recording");
        Os.writeFile(wrapper, "#!/bin/sh\n"
                + "printf '%s\\n' \"$*\" >> '" + invocationLog() + "'\n"
                + "for last in \"$@\"; do :; done\n"
                + "if [ \"$last\" = backup ] && [ -f '" + slowFlag() + "' ]; then\n"
                + "  delay=$(cat '" + slowFlag() + "'); rm -f '" + slowFlag() + "'; sleep \"$delay\"\n"
                + "fi\n"
                + "exec pgbackrest \"$@\"\n");
        Os.check(Os.run(List.of("chmod", "755", wrapper.toString())), "chmod wrapper");
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "executor.id", "exec-test-1",
                "executor.stanzas", STANZA + "," + PROD + "," + FRESH,
                "executor.restore.production-enabled", "true",
                "executor.restore.production-data-dir.prod", prod.dataDir().toString(),
                "executor.pgbackrest.config", stack.configFile().toString(),
                "executor.primary.\"main\".jdbc-url", stack.cluster().jdbcUrl("postgres"),
                "executor.pgbackrest.binary", wrapper.toString(),
                "executor.maintenance.log-path", stack.root().resolve("log").toString(),
                "executor.restore.scratch-root", stack.root().resolve("restore").toString()));
        // Long enough to confirm in, short enough for RestoreTest to see a nonce expire.
        config.put("executor.restore.challenge-validity", "20s");
        config.put("executor.restore.latest-test-copy", latestTestCopy().toString());
        return config;
    }

    /** Where a kept test copy without a path of its own is left (the seed's /tmp/postgres-restore-test). */
    public static Path latestTestCopy() {
        return stack().root().resolve("postgres-restore-test");
    }

    @Override
    public void stop() {
        for (PostgresCluster cluster : new PostgresCluster[]{prod, fresh}) {
            if (cluster != null) {
                cluster.close();
            }
        }
        if (stack != null) {
            stack.close();
        }
    }
}
