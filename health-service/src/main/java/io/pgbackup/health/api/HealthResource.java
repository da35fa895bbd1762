package io.pgbackup.health.api;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.config.HealthConfig;
import io.pgbackup.health.domain.HealthRules;
import io.pgbackup.health.domain.StanzaRegistry;
import io.pgbackup.health.persistence.StanzaState;

/** The health JSON that monitoring polls (documented in docs/health-api.md). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    /** GET / : the seed's shape, in the seed's order. */
    @JsonPropertyOrder({"status", "timestamp", "last_backup_age_hours", "messages"})
    public record Report(String status, Instant timestamp,
            @JsonProperty("last_backup_age_hours") Double lastBackupAgeHours, List<HealthRules.Message> messages) {
    }

    /** GET /stanzas/{stanza} : one stanza in detail. */
    @JsonPropertyOrder({"stanza", "status", "last_backup_age_hours", "messages", "lastSuccessfulBackup",
            "lastAttempt", "lastDrill"})
    public record StanzaReport(String stanza, String status,
            @JsonProperty("last_backup_age_hours") Double lastBackupAgeHours, List<HealthRules.Message> messages,
            LastBackup lastSuccessfulBackup, LastAttempt lastAttempt, LastDrill lastDrill) {
    }

    /** The latest test restore: outcome and measured RTO (restore + replay + verification). */
    public record LastDrill(Instant at, String outcome, Double rtoSeconds, String reason) {
    }

    public record LastBackup(String label, String type, Instant completedAt, Double durationSeconds,
            Long repoSizeBytes) {
    }

    public record LastAttempt(String requestId, String outcome, Instant at, String executorId, String errorCode,
            String reason) {
    }

    private final StanzaRegistry registry;
    private final HealthConfig config;

    public HealthResource(StanzaRegistry registry, HealthConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @GET
    public Report fleet() {
        HealthRules.FleetHealth fleet = HealthRules.fleet(registry.all(), Instant.now(), config.maxBackupAge());
        return new Report(fleet.status().name(), fleet.timestamp(), fleet.lastBackupAgeHours(), fleet.messages());
    }

    @GET
    @Path("stanzas")
    public List<StanzaReport> stanzas() {
        Instant now = Instant.now();
        return registry.all().stream().map(s -> report(HealthRules.evaluate(s, now, config.maxBackupAge())))
                .toList();
    }

    @GET
    @Path("stanzas/{stanza}")
    public StanzaReport stanza(@PathParam("stanza") String stanza) {
        StanzaState state = registry.find(stanza).orElseThrow(
                () -> new NotFoundException("unknown stanza '" + StanzaNames.printable(stanza) + "'"));
        return report(HealthRules.evaluate(state, Instant.now(), config.maxBackupAge()));
    }

    private static StanzaReport report(HealthRules.StanzaHealth h) {
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
        return new StanzaReport(h.stanza(), h.status().name(), h.lastBackupAgeHours(), h.messages(), backup, attempt,
                drill);
    }
}
