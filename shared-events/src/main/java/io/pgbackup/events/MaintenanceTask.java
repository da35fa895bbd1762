package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The maintenance an executor runs on its stanzas. Wire values: expire, check, verify, logs, offsite. */
public enum MaintenanceTask {

    /** pgbackrest expire with the executor's retention. */
    EXPIRE("expire", Severity.WARNING),
    /** pgbackrest check: a WAL switch reaches the repository. */
    CHECK("check", Severity.CRITICAL),
    /** pgbackrest verify: every repository file against its checksum. */
    VERIFY("verify", Severity.CRITICAL),
    /** Removal of old pgbackrest log files. */
    LOGS("logs", Severity.WARNING),
    /**
     * A full backup to the offsite repository (executor.repos.offsite), after each full backup to
     * the primary one: the offsite copy restores alone when the primary repository is lost.
     */
    OFFSITE("offsite", Severity.WARNING);

    private final String wire;
    private final Severity failure;

    MaintenanceTask(String wire, Severity failure) {
        this.wire = wire;
        this.failure = failure;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * How bad a failure of this task is: check and verify prove that backups can be restored;
     * expire and log removal only keep the repository tidy.
     */
    public Severity failureSeverity() {
        return failure;
    }

    public static Optional<MaintenanceTask> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }
}
