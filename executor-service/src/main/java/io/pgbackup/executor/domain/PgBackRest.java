package io.pgbackup.executor.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /** The outcome of one pgbackrest run. */
    public record Run(int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The outcome of {@code backup}: the run and, when pgbackrest printed it, the new label. */
    public record BackupRun(Run run, Optional<String> label) {
    }

    public BackupRun backup(AllowedStanza stanza, BackupType type) throws IOException, InterruptedException {
        Run run = execute(stanza, "backup", List.of("--type=" + type.wire(), "--log-level-console=info"));
        Matcher m = LABEL.matcher(run.stdout());
        Optional<String> label = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        return new BackupRun(run, label);
    }

    /** {@code stanza-create}: creates the stanza in the repository, or checks that it matches. */
    public Run stanzaCreate(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "stanza-create", List.of());
    }

    /** {@code info --output=json}, optionally for one set. */
    public InfoParser.StanzaInfo info(AllowedStanza stanza, Optional<String> label)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--output=json"));
        label.ifPresent(l -> options.add("--set=" + l));
        Run run = execute(stanza, "info", options);
        if (!run.ok()) {
            return new InfoParser.StanzaInfo(99, PgBackRestExit.reason(run.exitCode(), run.stderr()), 99, null,
                    Optional.empty(), Optional.empty());
        }
        return InfoParser.parse(run.stdout().getBytes(StandardCharsets.UTF_8), stanza.name());
    }

    private Run execute(AllowedStanza stanza, String command, List<String> options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(runAsPrefix());
        args.add(config.pgbackrest().binary());
        config.pgbackrest().config().ifPresent(c -> args.add("--config=" + c));
        args.add("--stanza=" + stanza.name());
        args.addAll(options);
        args.add(command);
        LOG.debugf("running %s", args);
        Path out = Files.createTempFile("pgbackrest-", ".out");
        Path err = Files.createTempFile("pgbackrest-", ".err");
        try {
            Process process = new ProcessBuilder(args)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            int exit;
            try {
                exit = process.waitFor();
            } catch (InterruptedException e) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                throw e;
            }
            return new Run(exit, read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
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
