package io.pgbackup.health.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthPolicy;
import io.pgbackup.health.domain.HealthRules;
import io.quarkus.scheduler.Scheduled;

/**
 * Prometheus gauges at /q/metrics, read from the in-memory fleet at scrape time. Names follow
 * pgbackrest_exporter where it has one (pgbackrest_backup_since_last_completion_seconds,
 * pgbackrest_stanza_status); the rest carry the pgbackup_ prefix. NaN means "not known yet".
 */
@ApplicationScoped
public class FleetMetrics {

    private final MeterRegistry registry;
    private final FleetView view;
    private final HealthPolicy policy;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public FleetMetrics(MeterRegistry registry, FleetView view, HealthPolicy policy) {
        this.registry = registry;
        this.view = view;
        this.policy = policy;
    }

    /** New stanzas join the fleet at run time; their gauges are added within a few seconds. */
    @Scheduled(every = "5s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void registerNewStanzas() {
        for (HealthRules.Observed o : view.all()) {
            String stanza = o.state().stanza;
            if (registered.add(stanza)) {
                register(stanza);
            }
        }
    }

    private void register(String stanza) {
        for (BackupType type : BackupType.values()) {
            gauge("pgbackrest_backup_since_last_completion_seconds", stanza, "backup_type", type.wire(),
                    o -> since(o.state().newestAtLeast(type)));
        }
        gauge("pgbackrest_backup_duration_seconds", stanza, null, null,
                o -> o.state().lastSuccessDurationSeconds == null ? Double.NaN : o.state().lastSuccessDurationSeconds);
        gauge("pgbackrest_backup_repo_size_bytes", stanza, null, null,
                o -> o.state().lastSuccessRepoSize == null ? Double.NaN : o.state().lastSuccessRepoSize);
        gauge("pgbackrest_stanza_status", stanza, null, null,
                o -> o.report() == null || o.report().repo() == null ? Double.NaN : o.report().repo().statusCode());
        gauge("pgbackup_stanza_health_status", stanza, null, null,
                o -> HealthRules.evaluate(o, Instant.now(), policy.get()).status().ordinal());
        gauge("pgbackup_rpo_seconds", stanza, null, null, o -> {
            Double rpo = HealthRules.evaluate(o, Instant.now(), policy.get()).rpoSeconds();
            return rpo == null ? Double.NaN : rpo;
        });
        gauge("pgbackup_archive_lag_seconds", stanza, null, null, o -> archiver(o) == null
                || archiver(o).lastArchivedAt() == null ? Double.NaN : since(archiver(o).lastArchivedAt()));
        gauge("pgbackup_archive_failed_count", stanza, null, null,
                o -> archiver(o) == null || archiver(o).failedCount() == null ? Double.NaN : archiver(o).failedCount());
        gauge("pgbackup_wal_ready_segments", stanza, null, null,
                o -> archiver(o) == null || archiver(o).walReady() == null ? Double.NaN : archiver(o).walReady());
        gauge("pgbackup_wal_gap_missing_segments", stanza, null, null,
                o -> o.report() == null || o.report().repo() == null || o.report().repo().walGap() == null
                        ? Double.NaN
                        : o.report().repo().walGap().missing());
        gauge("pgbackup_offsite_last_full_timestamp_seconds", stanza, null, null,
                o -> o.report() == null || o.report().offsite() == null
                        ? Double.NaN
                        : HealthRules.newestFull(o.report().offsite()).map(t -> (double) t.getEpochSecond())
                                .orElse(Double.NaN));
        gauge("pgbackup_offsite_status", stanza, null, null,
                o -> o.report() == null || o.report().offsite() == null
                        ? Double.NaN
                        : o.report().offsite().statusCode());
        gauge("pgbackup_recoverability_window_seconds", stanza, null, null,
                o -> HealthRules.window(o.report()).map(w -> (double) w.seconds()).orElse(Double.NaN));
        gauge("pgbackup_recoverability_window_start_timestamp_seconds", stanza, null, null,
                o -> HealthRules.window(o.report()).map(w -> (double) w.from().getEpochSecond()).orElse(Double.NaN));
        gauge("pgbackup_drill_rto_seconds", stanza, null, null,
                o -> o.state().lastDrillRtoSeconds == null ? Double.NaN : o.state().lastDrillRtoSeconds);
        gauge("pgbackup_executor_last_report_seconds", stanza, null, null,
                o -> o.report() == null ? Double.NaN : since(o.report().occurredAt()));
    }

    private void gauge(String name, String stanza, String tag, String value,
            ToDoubleFunction<HealthRules.Observed> read) {
        Gauge.Builder<FleetView> b = Gauge.builder(name, view,
                v -> v.find(stanza).map(read::applyAsDouble).orElse(Double.NaN)).tag("stanza", stanza);
        if (tag != null) {
            b = b.tag(tag, value);
        }
        b.register(registry);
    }

    private static StanzaStatusReported.Archiver archiver(HealthRules.Observed o) {
        return o.report() == null ? null : o.report().archiver();
    }

    private static double since(Instant at) {
        return at == null ? Double.NaN : Duration.between(at, Instant.now()).toMillis() / 1000.0;
    }
}
