package io.pgbackup.health.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.health.config.HealthConfig;

/** The rules' thresholds, read once from the configuration. The schedules come from the scheduler's plans. */
@ApplicationScoped
public class HealthPolicy {

    private final HealthRules.Policy policy;

    public HealthPolicy(HealthConfig config) {
        this.policy = new HealthRules.Policy(config.maxBackupAge(), config.scheduleGrace(), config.heartbeatTimeout(),
                config.rpoTarget(), config.minWindow(), Instant.now(), config.offsiteMaxAge());
    }

    public HealthRules.Policy get() {
        return policy;
    }
}
