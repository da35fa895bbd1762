package io.pgbackup.executor.restore;

import io.pgbackup.events.FailureCode;
import io.pgbackup.executor.os.CommandRun;
import io.pgbackup.executor.pgbackrest.PgBackRestExit;

/** Ends a restore with a code and a reason for a person (answered as RestoreFailed). */
public final class RestoreRefused extends Exception {

    private final String code;
    private final Integer exitCode;

    public RestoreRefused(FailureCode code, String reason) {
        this(code.code(), null, reason);
    }

    public RestoreRefused(String code, Integer exitCode, String reason) {
        super(reason, null, false, false);
        this.code = code;
        this.exitCode = exitCode;
    }

    /** A failed pgbackrest restore: its exit code and words, or TIMEOUT. */
    public static RestoreRefused pgbackrest(CommandRun run) {
        if (run.timedOut()) {
            return new RestoreRefused(FailureCode.TIMEOUT, "timeout: pgbackrest restore was stopped");
        }
        return new RestoreRefused(String.valueOf(run.exitCode()), run.exitCode(),
                "restore: " + PgBackRestExit.reason(run.exitCode(), run.stderr()));
    }

    public String code() {
        return code;
    }

    public Integer exitCode() {
        return exitCode;
    }
}
