package io.pgbackup.executor.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.BackupType;
import io.pgbackup.executor.config.ExecutorConfig;

/**
 * pgbackrest as a typed API. Commands are argument lists, never a shell line; the stanza comes
 * from this executor's own allowlist and the type from an enum, so no text from an event can
 * become an option.
 */
@ApplicationScoped
public class PgBackRest {

    private static final Pattern LABEL = Pattern
            .compile("new backup label = ([0-9]{8}-[0-9]{6}F(?:_[0-9]{8}-[0-9]{6}[DI])?)");

    private final ExecutorConfig config;
    private final PostgresUser postgres;

    public PgBackRest(ExecutorConfig config, PostgresUser postgres) {
        this.config = config;
        this.postgres = postgres;
    }

    /** Limit for info and stanza-create, which only read or write a few small files. */
    private static final Duration SHORT_COMMAND = Duration.ofMinutes(5);

    /** The outcome of {@code backup}: the run and, when pgbackrest printed it, the new label. */
    public record BackupRun(CommandRun run, Optional<String> label) {
    }

    public BackupRun backup(AllowedStanza stanza, BackupType type) throws IOException, InterruptedException {
        CommandRun run = execute(stanza, "backup", List.of("--type=" + type.wire(), "--log-level-console=info"),
                config.backupTimeout());
        Matcher m = LABEL.matcher(run.stdout());
        Optional<String> label = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        return new BackupRun(run, label);
    }

    /** {@code expire} with the executor's configured retention. */
    public CommandRun expire(AllowedStanza stanza, int retentionFull, int retentionDiff)
            throws IOException, InterruptedException {
        return execute(stanza, "expire", List.of("--repo1-retention-full=" + retentionFull,
                "--repo1-retention-diff=" + retentionDiff, "--log-level-console=info"),
                config.maintenance().timeout());
    }

    /** {@code check}: archiving works end to end (a WAL switch reaches the repository). */
    public CommandRun check(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "check", List.of("--log-level-console=info"), config.maintenance().timeout());
    }

    /** {@code verify}: every file of the repository against its checksum. Exits 0 even on damage. */
    public CommandRun verify(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "verify", List.of("--output=text", "--log-level-console=info"),
                config.maintenance().timeout());
    }

    /** {@code stanza-create}: creates the stanza in the repository, or checks that it matches. */
    public CommandRun stanzaCreate(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "stanza-create", List.of(), SHORT_COMMAND);
    }

    /** {@code info --output=json}, optionally for one set. */
    public InfoParser.StanzaInfo info(AllowedStanza stanza, Optional<String> label)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--output=json"));
        label.ifPresent(l -> options.add("--set=" + l));
        CommandRun run = execute(stanza, "info", options, SHORT_COMMAND);
        if (!run.ok()) {
            return new InfoParser.StanzaInfo(99, PgBackRestExit.reason(run.exitCode(), run.stderr()), 99, null,
                    Optional.empty(), Optional.empty());
        }
        return InfoParser.parse(run.stdout().getBytes(StandardCharsets.UTF_8), stanza.name());
    }

    /** {@code info --output=json} of the whole stanza. */
    public InfoParser.RepoFacts repoFacts(AllowedStanza stanza) throws IOException, InterruptedException {
        CommandRun run = execute(stanza, "info", List.of("--output=json"), SHORT_COMMAND);
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
        CommandRun run = execute(stanza, "repo-ls", List.of("--recurse"),
                List.of("archive/" + stanza.name() + "/" + archiveId),
                SHORT_COMMAND);
        if (!run.ok()) {
            throw new IOException(PgBackRestExit.reason(run.exitCode(), run.stderr()));
        }
        return run.stdout().lines().map(l -> l.substring(l.lastIndexOf('/') + 1)).toList();
    }

    /** {@code restore} with options built by the restore runner (paths from configuration, normalised targets). */
    public CommandRun restore(AllowedStanza stanza, List<String> options) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(options);
        all.add("--log-level-console=info");
        return execute(stanza, "restore", all, config.restore().recoveryTimeout());
    }

    private CommandRun execute(AllowedStanza stanza, String command, List<String> options, Duration limit)
            throws IOException, InterruptedException {
        return execute(stanza, command, options, List.of(), limit);
    }

    /** @param arguments the command's own arguments, after it (repo-ls's path) */
    private CommandRun execute(AllowedStanza stanza, String command, List<String> options, List<String> arguments,
            Duration limit) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add(config.pgbackrest().binary());
        config.pgbackrest().config().ifPresent(c -> args.add("--config=" + c));
        args.add("--stanza=" + stanza.name());
        args.addAll(options);
        args.add(command);
        args.addAll(arguments);
        return postgres.run(args, limit);
    }

}
