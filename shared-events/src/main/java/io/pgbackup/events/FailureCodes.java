package io.pgbackup.events;

/** Named {@link BackupFailed#errorCode()} values that do not come from pgBackRest. */
public final class FailureCodes {

    /** The stanza name is not a valid stanza name (see docs/events.md). */
    public static final String INVALID_STANZA = "INVALID_STANZA";
    /** backupType is not one of full, diff, incr. */
    public static final String INVALID_BACKUP_TYPE = "INVALID_BACKUP_TYPE";
    /** requestedAt is present but not an ISO-8601 instant. */
    public static final String INVALID_REQUESTED_AT = "INVALID_REQUESTED_AT";
    /** No executor claimed the request within the coordinator's claim timeout. */
    public static final String NO_EXECUTOR = "NO_EXECUTOR";
    /** The executor stopped while the backup ran; the outcome is unknown. */
    public static final String EXECUTOR_RESTARTED = "EXECUTOR_RESTARTED";
    /** pgBackRest reported success but its info does not show the backup. */
    public static final String BACKUP_NOT_IN_INFO = "BACKUP_NOT_IN_INFO";
    /** The backup ran past executor.backup-timeout and was stopped. */
    public static final String TIMEOUT = "TIMEOUT";
    /** pgbackrest verify exited 0 but reported invalid or missing files. */
    public static final String VERIFY_ERRORS = "VERIFY_ERRORS";
    /** Restore: mode is not test or production. */
    public static final String INVALID_MODE = "INVALID_MODE";
    /** Restore: the target does not parse, has no zone, is in the future, or names no backup. */
    public static final String INVALID_TARGET = "INVALID_TARGET";
    /** Restore: the target is older than the oldest backup in the repository. */
    public static final String TARGET_BEFORE_OLDEST_BACKUP = "TARGET_BEFORE_OLDEST_BACKUP";
    /** Restore: the path leaves the scratch root. */
    public static final String INVALID_PATH = "INVALID_PATH";
    /** Restore: production without confirm equal to the stanza, or without a reason. */
    public static final String CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED";
    /** Restore: production restores are not enabled on this executor. */
    public static final String PRODUCTION_RESTORE_DISABLED = "PRODUCTION_RESTORE_DISABLED";
    /** Restore: the restored PostgreSQL did not start, did not finish recovery, or failed its checks. */
    public static final String RESTORED_CLUSTER_FAILED = "RESTORED_CLUSTER_FAILED";
    /** pgBackRest could not be started at all. */
    public static final String EXECUTION_ERROR = "EXECUTION_ERROR";
    /** A restore point could not be made: no connection to the stanza's primary is configured or it refused. */
    public static final String PRIMARY_UNREACHABLE = "PRIMARY_UNREACHABLE";

    private FailureCodes() {
    }
}
