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
    /** pgBackRest could not be started at all. */
    public static final String EXECUTION_ERROR = "EXECUTION_ERROR";

    private FailureCodes() {
    }
}
