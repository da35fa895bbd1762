package io.pgbackup.health.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "health")
public interface HealthConfig {

    /**
     * Stanzas expected to be backed up. They are reported even before their first event, so a
     * stanza that never got a backup is not invisible. Stanzas seen from an executor are added.
     */
    @WithDefault("main")
    List<String> stanzas();

    /** How often statuses are re-evaluated for transitions that time alone causes. */
    @WithDefault("30s")
    String evaluateEvery();

    /** How often status transitions waiting in the outbox are published. */
    @WithDefault("500ms")
    String outboxInterval();

    /**
     * A stanza whose newest successful backup is older than this is unhealthy. The default allows
     * a missed 6-hourly incr and a daily diff to be late by an hour.
     */
    @WithDefault("25h")
    Duration maxBackupAge();
}
