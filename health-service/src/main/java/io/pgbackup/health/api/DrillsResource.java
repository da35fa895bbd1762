package io.pgbackup.health.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.persistence.StoredEvent;
import io.pgbackup.platform.api.ApiException;

/**
 * GET /stanzas/{stanza}/drills: every restore drill (test restore) of a stanza, newest first, with
 * its outcome, RTO and phases: the RTO history. Read from the stored events.
 */
@Path("/stanzas/{stanza}/drills")
@Produces(MediaType.APPLICATION_JSON)
public class DrillsResource {

    /**
     * One drill. {@code rtoSeconds} is restore + replay + verification; null for a failed one.
     */
    public record Drill(String requestId, Instant at, String outcome, String executorId, String target,
            String backupLabel, Double rtoSeconds, Double restoreSeconds, Double replaySeconds, Double verifySeconds,
            Long timeline, String reachedLsn, Instant reachedTime, Map<String, Long> rowCounts, String errorCode,
            String reason) {
    }

    private final FleetView view;

    public DrillsResource(FleetView view) {
        this.view = view;
    }

    @GET
    @Transactional
    public List<Drill> drills(@PathParam("stanza") String stanza, @QueryParam("limit") @DefaultValue("100") int limit) {
        KnownStanzas.require(view, stanza);
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("BAD_REQUEST", "limit must be between 1 and 1000");
        }
        return StoredEvent.<StoredEvent>find("stanza = ?1 and type in ('RestoreCompleted', 'RestoreFailed')"
                + " order by occurredAt desc", stanza).page(0, limit).list().stream()
                .map(e -> EventCodec.decodeEvent(e.payload).orElse(null)).filter(DrillsResource::isDrill)
                .map(DrillsResource::drill).toList();
    }

    /** A test restore answered by an executor (not a coordinator refusal: nothing was restored). */
    private static boolean isDrill(BackupEvent e) {
        return (e instanceof RestoreCompleted c && c.mode() == RestoreMode.TEST)
                || (e instanceof RestoreFailed f && f.isFailedDrill());
    }

    private static Drill drill(BackupEvent e) {
        if (e instanceof RestoreCompleted c) {
            return new Drill(String.valueOf(c.requestId()), c.occurredAt(), c.type(), c.executorId(),
                    target(c.target()), c.backupLabel(), c.rtoSeconds(), c.restoreSeconds(), c.replaySeconds(),
                    c.verifySeconds(), c.timeline(), c.reachedLsn(), c.reachedTime(), c.rowCounts(), null, null);
        }
        RestoreFailed f = (RestoreFailed) e;
        return new Drill(String.valueOf(f.requestId()), f.occurredAt(), f.type(), f.executorId(), target(f.target()),
                null, null, null, null, null, null, null, null, null, f.errorCode(), f.reason());
    }

    private static String target(RestoreTarget t) {
        return t == null ? null : t.describe();
    }
}
