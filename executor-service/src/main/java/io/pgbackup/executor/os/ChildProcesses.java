package io.pgbackup.executor.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.executor.config.ExecutorConfig;

/**
 * Every program the executor runs starts as the leader of its own process group ({@code setsid}),
 * and the group is recorded in a file until it ends. A SIGKILLed executor leaves the files behind;
 * the next one stops those groups before it does anything else: an orphaned pgbackrest would keep
 * the stanza's lock (the next backup failing with [050]) and could finish a backup already
 * answered EXECUTOR_RESTARTED.
 *
 * <p>
 * A group is recognised by its leader's start time (field 22 of /proc/PID/stat) as well as its
 * id, so a recycled pid is never signalled. PostgreSQL servers are not in these groups: pg_ctl
 * starts them in a session of their own, and test copies are stopped by the scratch sweep.
 */
@ApplicationScoped
public class ChildProcesses {

    private static final Logger LOG = Logger.getLogger(ChildProcesses.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path PROC = Path.of("/proc");

    private final ExecutorConfig config;
    /** Records of this process's own children are never leftovers, even if it reuses a pid. */
    private final String instance = java.util.UUID.randomUUID().toString();

    public ChildProcesses(ExecutorConfig config) {
        this.config = config;
    }

    /** The prefix that puts a child in a new process group, when the system has setsid. */
    List<String> groupPrefix() {
        return Files.isExecutable(SETSID) ? List.of(SETSID.toString()) : List.of();
    }

    /** Records a started child (its pid is its process group) until {@link #ended}. */
    void started(Process process, String program) {
        try {
            Path dir = directory();
            String start = startTicks(process.pid()).orElse("?");
            Files.writeString(dir.resolve(String.valueOf(process.pid())), start + " " + instance + " " + program + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("child %d (%s) not recorded: %s; a crash now would leave it running", process.pid(), program,
                    e.getMessage());
        }
    }

    void ended(Process process) {
        try {
            Files.deleteIfExists(directory().resolve(String.valueOf(process.pid())));
        } catch (IOException e) {
            LOG.warnf("record of child %d not removed: %s", process.pid(), e.getMessage());
        }
    }

    /**
     * Stops every recorded group still alive (SIGTERM, then SIGKILL after the kill grace) and
     * forgets the records.
     *
     * @return the programs that were still running
     */
    public List<String> stopLeftovers() throws InterruptedException {
        List<String> stopped = new ArrayList<>();
        Path dir;
        try {
            dir = directory();
        } catch (IOException e) {
            LOG.errorf("cannot read the records of child processes: %s", e.getMessage());
            return stopped;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir)) {
            for (Path record : records) {
                String[] fields = Files.readString(record, StandardCharsets.UTF_8).trim().split(" ", 3);
                if (fields.length > 1 && fields[1].equals(instance)) {
                    continue;
                }
                long group = Long.parseLong(record.getFileName().toString());
                List<ProcessHandle> members = members(group, fields[0]);
                if (!members.isEmpty()) {
                    String program = fields.length > 2 ? fields[2] : "?";
                    LOG.warnf("stopping %s (process group %d, %d process(es)) left running by a previous executor",
                            program, group, members.size());
                    stop(members);
                    stopped.add(program);
                }
                Files.deleteIfExists(record);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.errorf("cannot read the records of child processes in %s: %s", dir, e.getMessage());
        }
        return stopped;
    }

    /** The live processes of a group, when its leader is the recorded one or has already exited. */
    private static List<ProcessHandle> members(long group, String leaderStart) {
        Optional<String> start = startTicks(group);
        if (start.isPresent() && !start.get().equals(leaderStart)) {
            return List.of(); // the pid was recycled: not our child
        }
        return ProcessHandle.allProcesses().filter(p -> processGroup(p.pid()) == group).toList();
    }

    private void stop(List<ProcessHandle> members) throws InterruptedException {
        terminate(members, config.killGrace());
        members.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGTERM to every process (so pgbackrest can release its lock), then waits up to {@code grace}
     * for them to exit; the caller kills what is left.
     */
    static void terminate(List<ProcessHandle> processes, java.time.Duration grace) throws InterruptedException {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // killed by the caller
            }
        }
    }

    private Path directory() throws IOException {
        Path dir = Path.of(config.childrenDir()
                .orElse(System.getProperty("java.io.tmpdir") + "/pgbackup-executor-" + config.id() + "-children"));
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        return dir;
    }

    /** /proc/PID/stat after the command name: state is field 3, pgrp 5, starttime 22. */
    private static Optional<String[]> stat(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8);
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> startTicks(long pid) {
        return stat(pid).filter(f -> f.length > 19).map(f -> f[19]);
    }

    private static long processGroup(long pid) {
        return stat(pid).filter(f -> f.length > 2 && !"Z".equals(f[0])).map(f -> Long.parseLong(f[2])).orElse(-1L);
    }
}
