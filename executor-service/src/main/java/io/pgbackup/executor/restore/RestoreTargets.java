package io.pgbackup.executor.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.TargetKind;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.pgbackrest.BackupInfo;
import io.pgbackup.executor.pgbackrest.InfoParser;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.stanza.AllowedStanza;

/**
 * A restore's target against the repository: refused before anything is touched when no backup
 * can reach it, and turned into pgbackrest options built from the normalised value.
 */
@ApplicationScoped
public class RestoreTargets {

    private final PgBackRest pgbackrest;
    private final ExecutorConfig config;

    public RestoreTargets(PgBackRest pgbackrest, ExecutorConfig config) {
        this.pgbackrest = pgbackrest;
        this.config = config;
    }

    /** The repository a restore reads: the one it names, if the executor uses it, else the primary. */
    int repo(RestoreRequests.Valid valid) throws RestoreRefused {
        Integer asked = valid.request().repo();
        if (asked == null) {
            return config.repos().primary();
        }
        if (asked != config.repos().primary() && !config.repos().offsite().equals(Optional.of(asked))) {
            throw new RestoreRefused(FailureCode.INVALID_REPO, "repository repo" + asked + " is not one executor "
                    + config.id() + " uses (primary repo" + config.repos().primary()
                    + config.repos().offsite().map(o -> ", offsite repo" + o).orElse("") + ")");
        }
        return asked;
    }

    /**
     * A target the repository can serve.
     *
     * @param label the set's label for a set target, else null
     * @param sizeBytes how large the restored database will be (the larger of the candidate sets), if known
     */
    public record Checked(String label, Long sizeBytes) {
    }

    /** Refuses targets the repository cannot serve. */
    public Checked check(AllowedStanza stanza, RestoreRequests.Valid valid)
            throws RestoreRefused, IOException, InterruptedException {
        boolean set = valid.kind() == TargetKind.SET;
        int repo = repo(valid);
        InfoParser.StanzaInfo info = pgbackrest.info(stanza, set ? Optional.of(valid.pgTarget()) : Optional.empty(),
                repo);
        if (set && (info.statusCode() == 6 || info.backup().isEmpty())) {
            throw new RestoreRefused(FailureCode.INVALID_TARGET, "set " + valid.pgTarget() + " is not a backup of"
                    + " stanza " + stanza + " (pgbackrest info does not know it)");
        }
        if (!info.healthy() || info.backup().isEmpty()) {
            throw new RestoreRefused(FailureCode.INVALID_TARGET, "stanza " + stanza + " has no usable backup in"
                    + " repository repo" + repo + " (pgbackrest info status " + info.statusCode() + ": "
                    + info.statusMessage() + (info.repoMessage() == null ? "" : "; " + info.repoMessage())
                    + ")" + (config.repos().offsite().isPresent() && repo != config.repos().offsite().get()
                            ? "; the offsite repository can be named with \"repo\": " + config.repos().offsite().get()
                            : ""));
        }
        BackupInfo oldest = info.backup().get();
        if (valid.targetTime() != null && oldest.stop() != null && valid.targetTime().isBefore(oldest.stop())) {
            throw new RestoreRefused(FailureCode.TARGET_BEFORE_OLDEST_BACKUP, "time " + valid.pgTarget()
                    + " is before the end of the oldest backup (" + oldest.label() + ", " + oldest.stop()
                    + "): no backup can reach it");
        }
        Long size = info.newest().map(BackupInfo::databaseSize).orElse(null);
        if (oldest.databaseSize() != null && (size == null || oldest.databaseSize() > size)) {
            size = oldest.databaseSize();
        }
        return new Checked(set ? valid.pgTarget() : null, size);
    }

    /**
     * pgbackrest restore's options. A test copy gets archive-mode off (it must never push WAL into
     * the live stanza); an in-place restore gets delta (it reuses what is already there).
     */
    public static List<String> options(RestoreRequests.Valid valid, Path data, boolean inPlace) {
        List<String> options = new ArrayList<>(List.of("--pg1-path=" + data));
        // Checked against the executor's repositories by check(), which every restore passes first.
        if (valid.request().repo() != null) {
            options.add("--repo=" + valid.request().repo());
        }
        options.add(inPlace ? "--delta" : "--archive-mode=off");
        switch (valid.kind()) {
            case LATEST -> options.add("--type=default");
            case SET -> options.addAll(List.of("--set=" + valid.pgTarget(), "--type=immediate",
                    "--target-action=promote"));
            default -> options.addAll(List.of("--type=" + valid.kind().wire(), "--target=" + valid.pgTarget(),
                    "--target-action=promote"));
        }
        return options;
    }
}
