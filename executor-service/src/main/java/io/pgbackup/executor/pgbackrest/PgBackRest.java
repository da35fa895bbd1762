package io.pgbackup.executor.pgbackrest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.StanzaStatusReported.WalGap;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.os.PostgresUser;
import io.pgbackup.executor.stanza.AllowedStanza;

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

    /** A full backup to another repository than the primary (the offsite copy). */
    public BackupRun fullBackupTo(AllowedStanza stanza, int repo) throws IOException, InterruptedException {
        return backup(stanza, List.of("--repo=" + repo, "--type=full"));
    }

    public BackupRun backup(AllowedStanza stanza, BackupType type) throws IOException, InterruptedException {
        return backup(stanza, List.of("--type=" + type.wire()));
    }

    /** {@code backup} with the given options, its new label read from the console output. */
    private BackupRun backup(AllowedStanza stanza, List<String> options) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(options);
        all.add("--log-level-console=info");
        PostgresUser.Read<Optional<String>> read = execute(stanza, "backup", all, List.of(), config.backupTimeout(),
                out -> out.lines().map(LABEL::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst());
        return new BackupRun(read.run(), read.value() == null ? Optional.empty() : read.value());
    }

    /** {@code expire} with the executor's configured retention. */
    public PostgresUser.Read<MaintenanceOutput.Expired> expire(AllowedStanza stanza, int retentionFull,
            int retentionDiff) throws IOException, InterruptedException {
        return execute(stanza, "expire", List.of("--repo1-retention-full=" + retentionFull,
                "--repo1-retention-diff=" + retentionDiff, "--log-level-console=info"), List.of(),
                config.maintenance().timeout(), MaintenanceOutput::expired);
    }

    /** {@code check}: archiving works end to end (a WAL switch reaches the repository). */
    public CommandRun check(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "check", List.of("--log-level-console=info"), config.maintenance().timeout());
    }

    /** {@code verify}: every file of the repository against its checksum. Exits 0 even on damage. */
    public PostgresUser.Read<MaintenanceOutput.Verified> verify(AllowedStanza stanza)
            throws IOException, InterruptedException {
        return execute(stanza, "verify", List.of(repo(), "--output=text", "--log-level-console=info"), List.of(),
                config.maintenance().timeout(), MaintenanceOutput::verified);
    }

    /** {@code stanza-create}: creates the stanza in the repository, or checks that it matches. */
    public CommandRun stanzaCreate(AllowedStanza stanza) throws IOException, InterruptedException {
        return execute(stanza, "stanza-create", List.of(), SHORT_COMMAND);
    }

    /** {@code info --output=json} of the primary repository, optionally for one set. */
    public InfoParser.StanzaInfo info(AllowedStanza stanza, Optional<String> label)
            throws IOException, InterruptedException {
        return info(stanza, label, config.repos().primary());
    }

    /** {@code info --output=json} of one repository, optionally for one set. */
    public InfoParser.StanzaInfo info(AllowedStanza stanza, Optional<String> label, int repo)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--repo=" + repo, "--output=json"));
        label.ifPresent(l -> options.add("--set=" + l));
        PostgresUser.Read<InfoParser.StanzaInfo> read = execute(stanza, "info", options, List.of(), SHORT_COMMAND,
                out -> InfoParser.parse(out, stanza.name()));
        CommandRun run = read.run();
        if (!run.ok()) {
            return new InfoParser.StanzaInfo(99, PgBackRestExit.reason(run.exitCode(), run.stderr()), 99, null,
                    Optional.empty(), Optional.empty());
        }
        return read.value();
    }

    /** {@code info --output=json} of the whole stanza in the primary repository. */
    public InfoParser.RepoFacts repoFacts(AllowedStanza stanza) throws IOException, InterruptedException {
        return repoFacts(stanza, config.repos().primary());
    }

    /** {@code info --output=json} of the whole stanza in one repository. */
    public InfoParser.RepoFacts repoFacts(AllowedStanza stanza, int repo) throws IOException, InterruptedException {
        PostgresUser.Read<InfoParser.RepoFacts> read = execute(stanza, "info",
                List.of("--repo=" + repo, "--output=json"), List.of(),
                SHORT_COMMAND, out -> InfoParser.repo(out, stanza.name()));
        CommandRun run = read.run();
        if (!run.ok()) {
            return new InfoParser.RepoFacts(99, PgBackRestExit.reason(run.exitCode(), run.stderr()), 99, null, null,
                    null, List.of());
        }
        return read.value();
    }

    /**
     * The WAL segments missing between {@code from} and {@code to}, from the listing of the
     * stanza's archive for one archive id ({@code repo-ls --recurse}) read line by line: a month of
     * archiving lists tens of thousands of segments.
     *
     * @param archiveId from pgbackrest info, checked against {@code <version>-<n>}
     * @return null when the range cannot be checked
     */
    public WalGap archiveGap(AllowedStanza stanza, String archiveId, String from, String to, long segmentSize)
            throws IOException, InterruptedException {
        if (archiveId == null || !archiveId.matches("[0-9]{1,3}-[0-9]{1,9}")) {
            throw new IllegalArgumentException("unexpected archive id from pgbackrest info");
        }
        Optional<WalGaps.Scan> scan = WalGaps.scan(from, to, segmentSize);
        if (scan.isEmpty()) {
            return null;
        }
        // The path is repo-ls's argument, after the command; built from the allowlisted name only.
        PostgresUser.Read<WalGap> read = execute(stanza, "repo-ls", List.of(repo(), "--recurse"),
                List.of("archive/" + stanza.name() + "/" + archiveId), SHORT_COMMAND, out -> {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        scan.get().accept(line.substring(line.lastIndexOf('/') + 1));
                    }
                    return scan.get().result();
                });
        CommandRun run = read.run();
        if (!run.ok()) {
            throw new IOException(PgBackRestExit.reason(run.exitCode(), run.stderr()));
        }
        return read.value();
    }

    /**
     * {@code restore} with options built by the restore runner (paths from configuration, normalised
     * targets), stopped after {@code limit}.
     */
    public CommandRun restore(AllowedStanza stanza, List<String> options, Duration limit)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(options);
        all.add("--log-level-console=info");
        return execute(stanza, "restore", all, limit);
    }

    /** {@code archive-push} of one WAL file the stopped cluster left waiting (a checked file name). */
    public CommandRun archivePush(AllowedStanza stanza, Path walFile) throws IOException, InterruptedException {
        return execute(stanza, "archive-push", List.of(), List.of(walFile.toString()), SHORT_COMMAND, null).run();
    }

    /** With several repositories, commands that read one are told which. */
    private String repo() {
        return "--repo=" + config.repos().primary();
    }

    private CommandRun execute(AllowedStanza stanza, String command, List<String> options, Duration limit)
            throws IOException, InterruptedException {
        return execute(stanza, command, options, List.of(), limit, null).run();
    }

    /**
     * @param arguments the command's own arguments, after it (repo-ls's path)
     * @param reader reads the whole output when the command succeeds (null: none)
     */
    private <T> PostgresUser.Read<T> execute(AllowedStanza stanza, String command, List<String> options,
            List<String> arguments, Duration limit, PostgresUser.OutputReader<T> reader)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add(config.pgbackrest().binary());
        config.pgbackrest().config().ifPresent(c -> args.add("--config=" + c));
        args.add("--stanza=" + stanza.name());
        args.addAll(options);
        args.add(command);
        args.addAll(arguments);
        return postgres.run(args, limit, reader);
    }

}
