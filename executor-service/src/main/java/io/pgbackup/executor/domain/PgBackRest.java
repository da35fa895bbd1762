package io.pgbackup.executor.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupType;
import io.pgbackup.executor.config.ExecutorConfig;

/**
 * pgbackrest as a typed API. Commands are argument lists, never a shell line; the stanza comes
 * from this executor's own allowlist and the type from an enum, so no text from an event can
 * become an option.
 */
@ApplicationScoped
public class PgBackRest {

    private static final Logger LOG = Logger.getLogger(PgBackRest.class);
    private static final Pattern LABEL = Pattern
            .compile("new backup label = ([0-9]{8}-[0-9]{6}F(?:_[0-9]{8}-[0-9]{6}[DI])?)");
    /** Output kept per stream; pgbackrest's errors come first and its info lines are short. */
    private static final int MAX_OUTPUT = 64 * 1024;

    private final ExecutorConfig config;

    public PgBackRest(ExecutorConfig config) {
        this.config = config;
    }

    /** Limit for info and stanza-create, which only read or write a few small files. */
    private static final Duration SHORT_COMMAND = Duration.ofMinutes(5);

    /** The outcome of one pgbackrest run; {@code timedOut} when it was stopped at its time limit. */
    public record Run(int exitCode, String stdout, String stderr, boolean timedOut) {

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** The outcome of {@code backup}: the run and, when pgbackrest printed it, the new label. */
    public record BackupRun(Run run, Optional<String> label) {
    }

    public BackupRun backup(AllowedStanza stanza, BackupType type) throws IOException, InterruptedException {
        Run run = execute(stanza, "backup", List.of("--type=" + type.wire(), "--log-level-console=info"),
                config.backupTimeout());
        Matcher m = LABEL.matcher(run.stdout());
        Optional<String> label = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        return new BackupRun(run, label);
    }

    /** {@code expire} with the executor's configured retention. */
    public Run expire(AllowedStanza stanza, int retentionFull, int retentionDiff)
            throws IOException, InterruptedException {
        return execute(stanza, "expire", List.of("--repo1-retention-full=" + retentionFull,
                "--repo1-retention-diff=" + retentionDiff, "--log-level-console=info"),
                config.maintenance().timeout());
    }

    /** {@code check}: archiving works end to end (a WAL switch reaches the repository). */
    public Run check(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "check", List.of("--log-level-console=info"), config.maintenance().timeout());
    }

    /** {@code verify}: every file of the repository against its checksum. Exits 0 even on damage. */
    public Run verify(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "verify", List.of("--output=text", "--log-level-console=info"),
                config.maintenance().timeout());
    }

    /** {@code stanza-create}: creates the stanza in the repository, or checks that it matches. */
    public Run stanzaCreate(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "stanza-create", List.of(), SHORT_COMMAND);
    }

    /** {@code info --output=json}, optionally for one set. */
    public InfoParser.StanzaInfo info(AllowedStanza stanza, Optional<String> label)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--output=json"));
        label.ifPresent(l -> options.add("--set=" + l));
        Run run = execute(stanza, "info", options, SHORT_COMMAND);
        if (!run.ok()) {
            return new InfoParser.StanzaInfo(99, PgBackRestExit.reason(run.exitCode(), run.stderr()), 99, null,
                    Optional.empty(), Optional.empty());
        }
        return InfoParser.parse(run.stdout().getBytes(StandardCharsets.UTF_8), stanza.name());
    }

    /** {@code info --output=json} of the whole stanza. */
    public InfoParser.RepoFacts repoFacts(AllowedStanza stanza) throws IOException, InterruptedException {
        Run run = execute(stanza, "info", List.of("--output=json"), SHORT_COMMAND);
        if (!run.ok()) {
            return new InfoParser.RepoFacts(99, PgBackRestExit.reason(run.exitCode(), run.stderr()), 99, null, null,
                    null, List.of());
        }
        return InfoParser.repo(run.stdout().getBytes(StandardCharsets.UTF_8), stanza.name());
    }

    /**
     * The file names under the stanza's archive for one archive id ({@code repo-ls --recurse}).
     *
     * @param archiveId from pgbackrest info, checked against {@code <version>-<n>}
     */
    public List<String> archiveFiles(AllowedStanza stanza, String archiveId) throws IOException, InterruptedException {
        if (archiveId == null || !archiveId.matches("[0-9]{1,3}-[0-9]{1,9}")) {
            throw new IllegalArgumentException("unexpected archive id from pgbackrest info");
        }
        // The path is repo-ls's argument, after the command; built from the allowlisted name only.
        Run run = execute(stanza, "repo-ls", List.of("--recurse"),
                List.of("archive/" + stanza.name() + "/" + archiveId),
                SHORT_COMMAND);
        if (!run.ok()) {
            throw new IOException(PgBackRestExit.reason(run.exitCode(), run.stderr()));
        }
        return run.stdout().lines().map(l -> l.substring(l.lastIndexOf('/') + 1)).toList();
    }

    /** {@code restore} with options built by the restore runner (paths from configuration, normalised targets). */
    public Run restore(AllowedStanza stanza, List<String> options) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(options);
        all.add("--log-level-console=info");
        return execute(stanza, "restore", all, config.restore().recoveryTimeout());
    }

    private Run execute(AllowedStanza stanza, String command, List<String> options, Duration limit)
            throws IOException, InterruptedException {
        return execute(stanza, command, options, List.of(), limit);
    }

    /** @param arguments the command's own arguments, after it (repo-ls's path) */
    private Run execute(AllowedStanza stanza, String command, List<String> options, List<String> arguments,
            Duration limit) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add(config.pgbackrest().binary());
        config.pgbackrest().config().ifPresent(c -> args.add("--config=" + c));
        args.add("--stanza=" + stanza.name());
        args.addAll(options);
        args.add(command);
        args.addAll(arguments);
        return asPostgres(args, limit);
    }

    /**
     * Runs a program (an argument list, never a shell line) as the OS user that owns the
     * PostgreSQL files, with a time limit after which its process tree is stopped.
     */
    public Run asPostgres(List<String> command, Duration limit) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(runAsPrefix());
        args.addAll(command);
        LOG.debugf("running %s", args);
        Path out = Files.createTempFile("pgbackrest-", ".out");
        Path err = Files.createTempFile("pgbackrest-", ".err");
        try {
            Process process = new ProcessBuilder(args)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("%s exceeded %s; stopping its process tree", command.get(command.size() - 1), limit);
                    stopTree(process);
                    return new Run(process.exitValue(), read(out), read(err), true);
                }
            } catch (InterruptedException e) {
                stopTree(process);
                throw e;
            }
            return new Run(process.exitValue(), read(out), read(err), false);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * SIGTERM to the whole tree (runuser, pgbackrest and its local worker processes) so pgbackrest
     * can release its lock, then SIGKILL to whatever is left after the grace period.
     */
    private void stopTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + config.killGrace().toNanos();
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // killed below
                }
            }
        }
        // Children forked after the snapshot are found again before the hard kill.
        List<ProcessHandle> left = new ArrayList<>(process.descendants().toList());
        left.addAll(tree);
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.waitFor(config.killGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<String> runAsPrefix() {
        String self = System.getProperty("user.name");
        Optional<String> user = config.pgbackrest().runAs()
                .or(() -> "root".equals(self) ? Optional.of("postgres") : Optional.empty());
        if (user.isEmpty() || user.get().equals(self)) {
            return List.of();
        }
        return List.of("runuser", "-u", user.get(), "--");
    }

    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > MAX_OUTPUT) {
            // Keep the head (errors) and the tail (the summary lines) of a long log.
            byte[] head = java.util.Arrays.copyOfRange(bytes, 0, MAX_OUTPUT / 2);
            byte[] tail = java.util.Arrays.copyOfRange(bytes, bytes.length - MAX_OUTPUT / 2, bytes.length);
            return new String(head, StandardCharsets.UTF_8) + "\n...\n" + new String(tail, StandardCharsets.UTF_8);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
