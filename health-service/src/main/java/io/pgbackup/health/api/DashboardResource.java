package io.pgbackup.health.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pgbackup.events.Codes;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthPolicy;
import io.pgbackup.health.domain.HealthRules;
import io.pgbackup.health.persistence.StanzaState;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The dashboard: a server-rendered page for the fleet and one per stanza, without JavaScript.
 * The fleet page reads memory only; a stanza page adds its history from the database.
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {

    /** One row of the fleet page; every value is pre-formatted for display. */
    public record Row(String stanza, String status, String lastFull, String lastDiff, String lastIncr, String rpo,
            String window, String drill, List<Reason> messages) {
    }

    /** A reason as shown: its severity as a CSS word, and what to do, from the registry of codes. */
    public record Reason(String severity, String code, String message, String remedy) {
    }

    /** One line of a stanza's timeline. */
    public record Line(String at, String kind, String outcome, String css, String detail, String requestId) {
    }

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance fleet(String status, String generatedAt, List<Row> rows);

        static native TemplateInstance stanza(Row row, String generatedAt, List<Line> timeline);
    }

    private final FleetView view;
    private final HealthPolicy policy;
    private final HistoryResource history;

    public DashboardResource(FleetView view, HealthPolicy policy, HistoryResource history) {
        this.view = view;
        this.policy = policy;
        this.history = history;
    }

    @GET
    public TemplateInstance fleet() {
        Instant now = Instant.now();
        HealthRules.FleetHealth fleet = HealthRules.fleet(view.all(), now, policy.get());
        List<Row> rows = fleet.stanzas().stream().map(h -> row(h, now)).toList();
        return Templates.fleet(fleet.status().wire(), now.toString(), rows);
    }

    @GET
    @Path("{stanza}")
    public TemplateInstance stanza(@PathParam("stanza") String stanza) {
        HealthRules.Observed observed = KnownStanzas.require(view, stanza);
        Instant now = Instant.now();
        Row row = row(HealthRules.evaluate(observed, now, policy.get()), now);
        List<Line> timeline = history.history(stanza, 0, 100).requests().stream().map(DashboardResource::line)
                .toList();
        return Templates.stanza(row, now.toString(), timeline);
    }

    private static Row row(HealthRules.StanzaHealth h, Instant now) {
        StanzaState s = h.state();
        String drill = s.lastDrillAt == null
                ? "never"
                : ("RestoreCompleted".equals(s.lastDrillOutcome)
                        ? "passed, RTO " + seconds(s.lastDrillRtoSeconds)
                        : "FAILED")
                        + ", " + ago(s.lastDrillAt, now);
        List<Reason> reasons = h.messages().stream().map(m -> new Reason(m.severity().wire(), m.code(), m.message(),
                Codes.remedy(m.code()))).toList();
        return new Row(h.stanza(), h.status().wire(), ago(s.lastFullAt, now), ago(s.lastDiffAt, now),
                ago(s.lastIncrAt, now), h.rpoSeconds() == null ? "unknown" : seconds(h.rpoSeconds()),
                HealthRules.window(h.report()).map(DashboardResource::window).orElse("no backup"), drill, reasons);
    }

    /** How far back a restore can reach, and whether every point in between can be reached. */
    static String window(HealthRules.Window w) {
        Duration d = Duration.ofSeconds(w.seconds());
        String span = d.toHours() < 72 ? d.toHours() + " h" : d.toDays() + " days";
        return span + " (" + w.from() + " to " + w.to() + ")" + (w.continuous() ? "" : ", WAL gap");
    }

    private static Line line(HistoryResource.Entry e) {
        String outcome = e.outcome() == null ? "running" : e.outcome();
        String css = e.result() == null ? "running" : switch (e.result()) {
            case FAILURE -> "failed";
            case SKIPPED -> "skipped";
            default -> "ok";
        };
        StringBuilder detail = new StringBuilder();
        if (e.label() != null) {
            detail.append(e.label());
        }
        if (e.errorCode() != null) {
            detail.append(detail.isEmpty() ? "" : " ").append(e.errorCode());
        }
        if (e.requestedBy() != null) {
            detail.append(detail.isEmpty() ? "" : ", ").append("asked by ").append(e.requestedBy());
        } else if (e.schedule() != null) {
            detail.append(detail.isEmpty() ? "" : ", ").append("schedule ").append(e.schedule());
        }
        return new Line(String.valueOf(e.lastAt()), e.kind() == null ? "request" : e.kind(), outcome, css,
                detail.toString(), String.valueOf(e.requestId()));
    }

    static String ago(Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, now);
        if (d.toMinutes() < 120) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 72) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " d ago";
    }

    static String seconds(Double s) {
        return s == null ? "unknown" : String.format("%.1f s", s);
    }
}
