package io.pgbackup.health.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthPolicy;
import io.pgbackup.health.domain.HealthRules;
import io.pgbackup.health.domain.StanzaAdmission;
import io.pgbackup.health.persistence.StanzaState;

/** The health JSON that monitoring polls (documented in docs/health-api.md). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    /** GET / : the seed's shape, in the seed's order. */
    @JsonPropertyOrder({"status", "timestamp", "last_backup_age_hours", "messages"})
    public record Report(HealthStatus status, Instant timestamp,
            @JsonProperty("last_backup_age_hours") Double lastBackupAgeHours, List<HealthRules.Message> messages) {
    }

    /** GET /stanzas/{stanza} : one stanza in detail. */
    @JsonPropertyOrder({"stanza", "status", "last_backup_age_hours", "rpo_seconds", "messages",
            "lastSuccessfulBackup", "lastBackupByType", "lastAttempt", "lastDrill", "executor", "archiving",
            "repository", "offsiteRepository", "recoverabilityWindow", "schedule"})
    public record StanzaReport(String stanza, HealthStatus status,
            @JsonProperty("last_backup_age_hours") Double lastBackupAgeHours,
            @JsonProperty("rpo_seconds") Double rpoSeconds, List<HealthRules.Message> messages,
            LastBackup lastSuccessfulBackup, Map<String, Instant> lastBackupByType, LastAttempt lastAttempt,
            LastDrill lastDrill, Executor executor, StanzaStatusReported.Archiver archiving,
            Repository repository, Offsite offsiteRepository, HealthRules.Window recoverabilityWindow,
            Schedule schedule) {
    }

    /** The offsite repository (repoN) as pgbackrest info saw it at checkedAt; null when there is none. */
    public record Offsite(int repo, Instant checkedAt, int statusCode, String statusMessage, String archiveMax,
            long fullSets, long diffSets, long incrSets, Instant lastFullAt, Long sizeBytes) {
    }

    /**
     * What the scheduler plans for the stanza (its latest plan on backup.schedules), which the
     * schedule rules check against; null until a plan has arrived.
     */
    public record Schedule(String timeZone, Instant publishedAt, int drillAfterBackups,
            List<SchedulePlan.Planned> schedules) {
    }

    /** The latest test restore: outcome and measured RTO (restore + replay + verification). */
    public record LastDrill(Instant at, String outcome, Double rtoSeconds, String reason) {
    }

    /** The executor serving the stanza and its latest report (its heartbeat). */
    public record Executor(String id, Instant lastReportAt, long reportIntervalSeconds) {
    }

    /** The repository as pgbackrest info saw it at checkedAt, with the WAL gap check. */
    public record Repository(Instant checkedAt, int statusCode, String statusMessage, String archiveMin,
            String archiveMax, long fullSets, long diffSets, long incrSets, Long sizeBytes, Integer retentionFull,
            Integer retentionDiff, StanzaStatusReported.WalGap walGap) {
    }

    public record LastBackup(String label, BackupType type, Instant completedAt, Double durationSeconds,
            Long repoSizeBytes) {
    }

    public record LastAttempt(String requestId, String outcome, Instant at, String executorId, String errorCode,
            String reason) {
    }

    private final FleetView view;
    private final HealthPolicy policy;
    private final StanzaAdmission admission;

    public HealthResource(FleetView view, HealthPolicy policy, StanzaAdmission admission) {
        this.admission = admission;
        this.view = view;
        this.policy = policy;
    }

    private record Computed(long version, long second, Report report) {
    }

    private volatile Computed latest;

    /**
     * Computed at most once per second and again after every change, so monitoring can poll as
     * often as it likes: time-driven rules move in minutes and ages are given in hundredths of an
     * hour (36 s).
     */
    @GET
    public Report fleet() {
        long version = view.version();
        long second = System.currentTimeMillis() / 1000;
        Computed known = latest;
        if (known != null && known.version() == version && known.second() == second) {
            return known.report();
        }
        HealthRules.FleetHealth fleet = HealthRules.fleet(view.all(), Instant.now(), policy.get());
        Optional<HealthRules.Message> refusal = admission.refusal();
        Report report = refusal.isEmpty()
                ? new Report(fleet.status(), fleet.timestamp(), fleet.lastBackupAgeHours(), fleet.messages())
                : new Report(fleet.status().worst(refusal.get().severity()), fleet.timestamp(),
                        fleet.lastBackupAgeHours(),
                        Stream.concat(fleet.messages().stream(), refusal.stream()).toList());
        latest = new Computed(version, second, report);
        return report;
    }

    /** For load balancers: answers without touching any state (also the benchmark's baseline). */
    @GET
    @Path("ping")
    @Produces(MediaType.TEXT_PLAIN)
    public String ping() {
        return "pong";
    }

    @GET
    @Path("stanzas")
    public List<StanzaReport> stanzas() {
        Instant now = Instant.now();
        return view.all().stream().map(o -> report(HealthRules.evaluate(o, now, policy.get()), o.plan())).toList();
    }

    @GET
    @Path("stanzas/{stanza}")
    public StanzaReport stanza(@PathParam("stanza") String stanza) {
        HealthRules.Observed observed = KnownStanzas.require(view, stanza);
        return report(HealthRules.evaluate(observed, Instant.now(), policy.get()), observed.plan());
    }

    public static StanzaReport report(HealthRules.StanzaHealth h, SchedulePlan plan) {
        StanzaState s = h.state();
        LastBackup backup = s.lastSuccessAt == null
                ? null
                : new LastBackup(s.lastSuccessLabel, s.lastSuccessType, s.lastSuccessAt, s.lastSuccessDurationSeconds,
                        s.lastSuccessRepoSize);
        LastAttempt attempt = s.lastAttemptAt == null
                ? null
                : new LastAttempt(String.valueOf(s.lastAttemptRequestId), s.lastOutcome, s.lastAttemptAt,
                        s.lastExecutorId, s.lastErrorCode, s.lastErrorReason);
        LastDrill drill = s.lastDrillAt == null
                ? null
                : new LastDrill(s.lastDrillAt, s.lastDrillOutcome, s.lastDrillRtoSeconds, s.lastDrillReason);
        Map<String, Instant> byType = new LinkedHashMap<>();
        byType.put("full", s.lastFullAt);
        byType.put("diff", s.lastDiffAt);
        byType.put("incr", s.lastIncrAt);
        StanzaStatusReported r = h.report();
        Executor executor = r == null ? null : new Executor(r.executorId(), r.occurredAt(), r.intervalSeconds());
        Repository repository = r == null || r.repo() == null ? null : repository(r.repo());
        Schedule schedule = plan == null
                ? null
                : new Schedule(plan.timeZone(), plan.occurredAt(), plan.drillAfterBackups(), plan.schedules());
        return new StanzaReport(h.stanza(), h.status(), h.lastBackupAgeHours(), h.rpoSeconds(), h.messages(),
                backup, byType, attempt, drill, executor, r == null ? null : r.archiver(), repository,
                r == null || r.offsite() == null || r.offsiteRepo() == null
                        ? null
                        : offsite(r.offsiteRepo(), r.offsite()),
                HealthRules.window(r).orElse(null), schedule);
    }

    private static Offsite offsite(int number, StanzaStatusReported.Repo repo) {
        Repository facts = repository(repo);
        return new Offsite(number, repo.checkedAt(), repo.statusCode(), repo.statusMessage(), repo.archiveMax(),
                facts.fullSets(), facts.diffSets(), facts.incrSets(), HealthRules.newestFull(repo).orElse(null),
                facts.sizeBytes());
    }

    private static Repository repository(StanzaStatusReported.Repo repo) {
        long full = repo.sets().stream().filter(b -> b.type() == BackupType.FULL).count();
        long diff = repo.sets().stream().filter(b -> b.type() == BackupType.DIFF).count();
        long incr = repo.sets().stream().filter(b -> b.type() == BackupType.INCR).count();
        Long size = repo.sets().stream().map(StanzaStatusReported.BackupSet::repoSizeBytes).filter(x -> x != null)
                .reduce(Long::sum).orElse(null);
        return new Repository(repo.checkedAt(), repo.statusCode(), repo.statusMessage(), repo.archiveMin(),
                repo.archiveMax(), full, diff, incr, size, repo.retentionFull(), repo.retentionDiff(), repo.walGap());
    }
}
