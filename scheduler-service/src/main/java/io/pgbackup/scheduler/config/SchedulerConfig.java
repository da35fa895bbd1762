package io.pgbackup.scheduler.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The scheduler's stanzas and the coordinator that answers what no executor will. */
@ConfigMapping(prefix = "scheduler")
public interface SchedulerConfig {

    /** The stanzas the schedules request backups for. */
    @WithDefault("main")
    List<String> stanzas();

    /** Name written to requestedBy of on-demand requests without one. */
    @WithDefault("api")
    String defaultRequester();

    Coordinator coordinator();

    OperationLog operationLog();

    /** The seed's operation logs (backup.log, restore.log, maintenance.log): one line per event. */
    interface OperationLog {

        /** Their folder (OPERATION_LOG_DIR); unset or empty: none are written. */
        Optional<String> dir();

        /** Rotated files (one per day) older than this many days are removed (RETENTION_DAYS). */
        @WithDefault("${RETENTION_DAYS:30}")
        int retentionDays();
    }

    /**
     * The coordinator answers the requests that no executor will: invalid ones at once, and valid
     * ones that no executor claimed (BackupAccepted) within the claim timeout.
     */
    interface Coordinator {

        /**
         * How long after a request was published an executor may still claim it. Executors use
         * the same value to skip requests that are older (already answered as NO_EXECUTOR): keep
         * it equal on the coordinator and every executor.
         */
        @WithDefault("2m")
        Duration claimTimeout();

        /** Extra wait past the claim timeout for an executor's claim to arrive on backup.events. */
        @WithDefault("15s")
        Duration claimGrace();

        /** How often unclaimed requests are checked. */
        @WithDefault("2s")
        Duration sweepInterval();
    }
}
