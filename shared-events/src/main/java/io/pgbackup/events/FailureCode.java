package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The named {@code errorCode} values of this system (pgBackRest's own codes are {@link PgBackRestError}).
 * INFO codes answer a request that was wrong: nothing is at risk, so nobody is alerted.
 */
public enum FailureCode implements Code {

    INVALID_STANZA("the stanza name is not a valid stanza name", false, Severity.INFO,
            "Fix the request: 1 to 63 letters, digits, '-' or '_', starting with a letter or digit."),
    INVALID_BACKUP_TYPE("backupType is not one of full, diff, incr", false, Severity.INFO,
            "Fix the request: backupType is exactly full, diff or incr (lower case)."),
    INVALID_REQUESTED_AT("requestedAt is present but not an ISO-8601 instant", false, Severity.INFO,
            "Fix the request or leave requestedAt out."),
    NO_EXECUTOR("no executor claimed the request within the coordinator's claim timeout", true,
            Severity.CRITICAL,
            "Start the executor of the stanza's host, or add the stanza to its EXECUTOR_STANZAS."),
    EXECUTOR_RESTARTED("the executor stopped while the request ran; the outcome is unknown", true,
            Severity.CRITICAL,
            "Request it again; it was interrupted by an executor restart."),
    BACKUP_NOT_IN_INFO("pgbackrest exited 0 but its info does not show the backup", true,
            Severity.CRITICAL,
            "Run pgbackrest info on the executor's host and request the backup again."),
    TIMEOUT("the run went past its time limit and was stopped (SIGTERM, then SIGKILL)",
            true, Severity.CRITICAL,
            "Find what slows it (disk, network to the repository) or raise executor.backup-timeout; pgbackrest"
                    + " resumes an interrupted backup."),
    VERIFY_ERRORS("pgbackrest verify exited 0 but reported damaged or missing repository files",
            false,
            Severity.CRITICAL,
            "Take a new full backup now: the damaged backup cannot be restored from."),
    INVALID_MODE("the restore mode is not test, production or point",
            false, Severity.INFO,
            "Fix the request: mode is test, production or point."),
    INVALID_TARGET("the restore target does not parse, has no zone, is in the future, or names no backup",
            false,
            Severity.INFO,
            "Fix the target (docs/events.md lists the forms) and request the restore again."),
    TARGET_BEFORE_OLDEST_BACKUP("the restore target is older than the oldest backup in the repository",
            false,
            Severity.INFO,
            "Choose a later target: no backup reaches back that far."),
    REQUEST_ID_CONFLICT("a request reuses the id of an earlier request with other content (stanza, type,"
            + " mode, target or requester); it is refused, not run, and the earlier one stands", false,
            Severity.WARNING,
            "Give every request its own id (a fresh UUID). Unexpected: someone may be replaying or forging requests;"
                    + " check who can write the request topics."),
    DRILL_COALESCED("a test restore of the stanza was already waiting; this one is answered by it", false,
            Severity.INFO,
            "Nothing to do: the waiting drill proves the same backups. Follow its request id (in the reason)."),
    INSUFFICIENT_SPACE("the scratch root has less free space than the restored copy needs", true,
            Severity.WARNING,
            "Free space under executor.restore.scratch-root (kept copies, old files) or move it to a larger disk;"
                    + " then run the drill again."),
    INVALID_PATH("the restore path leaves the scratch root or already exists",
            false,
            Severity.INFO,
            "Give a plain directory name that does not exist yet under the scratch root."),
    CONFIRMATION_REQUIRED("a production restore needs confirm equal to the stanza, and a reason",
            false,
            Severity.INFO,
            "Set confirm to the stanza name and give a reason."),
    PRODUCTION_RESTORE_DISABLED("production restores are not enabled on this executor",
            false,
            Severity.WARNING,
            "Enable executor.restore.production-enabled and the stanza's production-data-dir on the executor"
                    + " itself, if an in-place restore is really meant."),
    INVALID_REPO("the restore names a repository that is not a number of 1 to 256, or one the executor does not"
            + " use", false,
            Severity.INFO,
            "Name the primary repository (1) or the executor's offsite one (executor.repos.offsite), or leave"
                    + " repo out."),
    CONFIRMATION_PENDING("a production restore is first answered with a challenge: what it would overwrite, and a"
            + " one-time nonce", false,
            Severity.INFO,
            "Read the challenge (data directory, timeline, LSN, sizes, the backup set); if that is what you mean,"
                    + " send the same request again with confirmNonce set to its nonce before it expires."),
    CONFIRMATION_INVALID("the confirmNonce is unknown, already used, expired, or was issued for another stanza or"
            + " target", false,
            Severity.WARNING,
            "Send the request without a nonce for a new challenge; a nonce works once, for the stanza and"
                    + " target it was issued for, within its validity."),
    PRODUCTION_STOP_FAILED("PostgreSQL could not be stopped (or still runs) before a production restore; nothing"
            + " was overwritten", false,
            Severity.CRITICAL,
            "Read the executor's log and PostgreSQL's; stop it by hand, then ask again."),
    PRESERVE_FAILED("the current state could not be kept before a production restore (no room to move it aside and"
            + " no running PostgreSQL to back up); nothing was overwritten", false,
            Severity.CRITICAL,
            "Free space beside the data directory (the restored copy needs the backup's size), or start"
                    + " PostgreSQL so an emergency backup can be taken, then ask again."),
    RESTORED_CLUSTER_FAILED("the restored PostgreSQL did not start, did not finish recovery, or failed a check",
            false,
            Severity.CRITICAL,
            "The backups may not be restorable: read the reason and the copy's log, fix, run a drill again."),
    EXECUTION_ERROR("a program (pgbackrest, pg_ctl, psql) could not be run at all",
            false,
            Severity.CRITICAL,
            "Read the executor's log: a missing binary, a permission or a full disk."),
    PRIMARY_UNREACHABLE("the stanza's primary could not be asked (no connection configured, or it refused)",
            true,
            Severity.WARNING,
            "Check executor.primary.\"<stanza>\".jdbc-url and that its user may call"
                    + " pg_create_restore_point.");

    private final Facts facts;

    FailureCode(String meaning, boolean retryable, Severity severity, String remedy) {
        this.facts = new Facts(meaning, retryable, severity, remedy);
    }

    @Override
    public String code() {
        return name();
    }

    @Override
    public Family family() {
        return Family.FAILURE;
    }

    @Override
    public Facts facts() {
        return facts;
    }

    public static Optional<FailureCode> fromWire(String code) {
        return Arrays.stream(values()).filter(c -> c.name().equals(code)).findFirst();
    }
}
