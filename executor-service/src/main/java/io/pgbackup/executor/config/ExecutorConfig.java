package io.pgbackup.executor.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "executor")
public interface ExecutorConfig {

    /**
     * This executor's id, reported in every event. Defaults to the host name; give each executor
     * of a fleet its own.
     */
    @WithDefault("${HOSTNAME:executor}")
    String id();

    /**
     * The stanzas this executor backs up: the allowlist. Requests for other stanzas are left to
     * the executor of their host, silently. Only names on this list ever reach pgbackrest.
     */
    List<String> stanzas();

    PgBackRest pgbackrest();

    /**
     * Requests published longer ago than this are not taken: the coordinator has answered them
     * with BackupFailed NO_EXECUTOR by then. Keep equal to scheduler.coordinator.claim-timeout.
     */
    @WithDefault("2m")
    Duration claimTimeout();

    /** How often the outbox is drained to Kafka when idle. */
    @WithDefault("500ms")
    Duration outboxInterval();

    interface PgBackRest {

        /** The pgbackrest program; a path or a name on PATH. */
        @WithDefault("pgbackrest")
        String binary();

        /** pgbackrest's configuration file (passed as --config); pgbackrest's own lookup when unset. */
        Optional<String> config();

        /**
         * OS user that runs pgbackrest. When this service runs as root it defaults to postgres
         * (pgbackrest refuses to run as root); otherwise pgbackrest runs as the service's user.
         */
        Optional<String> runAs();

        /**
         * Run {@code pgbackrest stanza-create} for every served stanza at start. Handy for a new
         * container set-up; stanza-create leaves an existing, matching stanza alone.
         */
        @WithDefault("false")
        boolean createStanzas();
    }
}
