package io.pgbackup.executor.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pgbackup.executor.config.ExecutorConfig;

/** What a child process of the executor sees of its environment (a real child, its real environment). */
class ChildEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void onlyThePathLocaleTimeZoneAndPgbackrestsOwnVariablesAreKept() {
        Map<String, String> child = PostgresUser.childEnvironment(Map.of("PATH", "/bin", "LANG", "C.UTF-8", "TZ",
                "UTC", "PGBACKREST_REPO1_CIPHER_PASS", "x", "EXECUTOR_DB_PASSWORD", "secret", "SLACK_WEBHOOK_URL",
                "https://hooks.example/T/B/x", "POSTGRES_PASSWORD", "pw"));
        assertEquals(Set.of("PATH", "LANG", "TZ", "PGBACKREST_REPO1_CIPHER_PASS"), child.keySet());
    }

    @Test
    void aRealChildSeesNoneOfTheExecutorsOtherVariables() throws Exception {
        ExecutorConfig config = (ExecutorConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ExecutorConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "childrenDir" -> Optional.of(dir.toString());
                    case "killGrace" -> Duration.ofSeconds(2);
                    case "id" -> "env-test";
                    case "pgbackrest" -> Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[]{ExecutorConfig.PgBackRest.class}, (p, m, a) -> switch (m.getName()) {
                                case "runAs" -> Optional.empty();
                                default -> throw new UnsupportedOperationException(m.getName());
                            });
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        PostgresUser postgres = new PostgresUser(config, new ChildProcesses(config));
        CommandRun run = postgres.run(java.util.List.of("/usr/bin/env"), Duration.ofSeconds(30));
        assertTrue(run.ok(), run.stderr());
        Set<String> seen = run.stdout().lines().map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toSet());
        // runuser (when the tests run as root) adds the target user's HOME, SHELL, USER and LOGNAME.
        Set<String> allowed = Set.of("PATH", "TZ", "HOME", "SHELL", "USER", "LOGNAME");
        for (String name : seen) {
            assertTrue(allowed.contains(name) || name.equals("LANG") || name.startsWith("LC_")
                    || name.startsWith("PGBACKREST_"), "the child sees " + name);
        }
        for (String name : System.getenv().keySet()) {
            if (!allowed.contains(name) && !name.equals("LANG") && !name.startsWith("LC_")
                    && !name.startsWith("PGBACKREST_")) {
                assertFalse(seen.contains(name), "the executor's " + name + " reached the child");
            }
        }
        // Nor its working directory (where a service keeps its secrets, closed to postgres).
        CommandRun pwd = postgres.run(java.util.List.of("/bin/pwd"), Duration.ofSeconds(30));
        assertEquals("/", pwd.stdout().trim(), pwd.stderr());
    }
}
