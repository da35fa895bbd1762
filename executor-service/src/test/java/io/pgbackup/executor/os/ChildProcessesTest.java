package io.pgbackup.executor.os;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pgbackup.executor.config.ExecutorConfig;

/**
 * Real process groups left by an executor that "crashed" (its records are all that is left) are
 * stopped by the next one, and nothing else is.
 */
class ChildProcessesTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killAll() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    private ExecutorConfig config() {
        return (ExecutorConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ExecutorConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "childrenDir" -> Optional.of(dir.toString());
                    case "killGrace" -> Duration.ofSeconds(2);
                    case "id" -> "test";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A shell in its own group with a grandchild that ignores nothing: what pgbackrest's workers look like. */
    private Process group(ChildProcesses children) throws Exception {
        List<String> command = new ArrayList<>(children.groupPrefix());
        command.addAll(List.of("sh", "-c", "sleep 300 & sleep 300"));
        Process p = new ProcessBuilder(command).start();
        started.add(p);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.descendants().count() >= 2);
        return p;
    }

    @Test
    void theNextExecutorStopsTheGroupsItsPredecessorLeft() throws Exception {
        ChildProcesses crashed = new ChildProcesses(config());
        Process orphan = group(crashed);
        List<ProcessHandle> members = new ArrayList<>(orphan.descendants().toList());
        crashed.started(orphan, "sh backup");

        ChildProcesses next = new ChildProcesses(config());
        Process own = group(next);
        next.started(own, "sh check");

        assertEquals(List.of("sh backup"), next.stopLeftovers());
        await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());
        await().atMost(Duration.ofSeconds(10)).until(() -> members.stream().noneMatch(ProcessHandle::isAlive));
        assertTrue(own.isAlive(), "the executor's own child must not be stopped");
        assertTrue(Files.exists(dir.resolve(String.valueOf(own.pid()))));
        assertTrue(Files.notExists(dir.resolve(String.valueOf(orphan.pid()))), "the record is forgotten");
        next.ended(own);
        assertTrue(Files.notExists(dir.resolve(String.valueOf(own.pid()))));
    }

    @Test
    void aRecycledPidIsNotSignalled() throws Exception {
        ChildProcesses first = new ChildProcesses(config());
        Process stranger = group(first);
        // The record names the pid, but a different start time: the pid now belongs to someone else.
        Files.writeString(dir.resolve(String.valueOf(stranger.pid())), "1 crashed-instance sh backup\n");

        assertEquals(List.of(), new ChildProcesses(config()).stopLeftovers());
        assertTrue(stranger.isAlive());
    }
}
