package io.pgbackup.health.domain;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.health.config.HealthConfig;
import io.pgbackup.health.config.ScheduleConfig;

/** The rules' thresholds and schedules, read once from the configuration. */
@ApplicationScoped
public class HealthPolicy {

    private final HealthRules.Policy policy;

    public HealthPolicy(HealthConfig config, ScheduleConfig schedules) {
        this.policy = new HealthRules.Policy(config.maxBackupAge(), config.scheduleGrace(), config.heartbeatTimeout(),
                config.rpoTarget(), Schedules.from(schedules));
    }

    public HealthRules.Policy get() {
        return policy;
    }
}
