package io.pgbackup.health.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.EventCategory;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.persistence.StoredEvent;
import io.pgbackup.platform.api.ApiException;

/**
 * GET /stanzas/{stanza}/history: the audit trail, newest request first. Each entry is one
 * request with who or what asked, every event about it in order and how it ended. Read from the
 * database (the trail is too long to hold in memory); it is not what monitoring polls.
 */
@Path("/stanzas/{stanza}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    public record Page(String stanza, int page, int size, List<Entry> requests) {
    }

    /**
     * One request: who asked, what it was, its events and its outcome (null while running).
     * {@code result} is SUCCESS, FAILURE or SKIPPED once it ended.
     */
    public record Entry(UUID requestId, String kind, String requestedBy, String schedule, String reason,
            Instant firstAt, Instant lastAt, String outcome, EventCategory result, String errorCode, String label,
            List<Step> events) {
    }

    public record Step(String type, Instant at, String executorId) {
    }

    private final EntityManager em;
    private final FleetView view;

    public HistoryResource(EntityManager em, FleetView view) {
        this.em = em;
        this.view = view;
    }

    @GET
    @Transactional
    public Page history(@PathParam("stanza") String stanza, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        KnownStanzas.require(view, stanza);
        if (page < 0 || size < 1 || size > 500) {
            throw ApiException.badRequest("BAD_REQUEST", "page must be >= 0 and size between 1 and 500");
        }
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("SELECT request_id FROM stored_event WHERE stanza = ?1"
                + " AND request_id IS NOT NULL GROUP BY request_id ORDER BY max(occurred_at) DESC, request_id"
                + " LIMIT ?2 OFFSET ?3").setParameter(1, stanza).setParameter(2, size)
                .setParameter(3, (long) page * size).getResultList();
        List<UUID> requestIds = ids.stream().map(o -> (UUID) o).toList();
        Map<UUID, List<StoredEvent>> byRequest = new LinkedHashMap<>();
        requestIds.forEach(id -> byRequest.put(id, new ArrayList<>()));
        if (!requestIds.isEmpty()) {
            StoredEvent.<StoredEvent>list("requestId in ?1 order by occurredAt, receivedAt", requestIds)
                    .forEach(e -> byRequest.get(e.requestId).add(e));
        }
        List<Entry> entries = byRequest.entrySet().stream().map(e -> entry(e.getKey(), e.getValue())).toList();
        return new Page(stanza, page, size, entries);
    }

    private static Entry entry(UUID requestId, List<StoredEvent> events) {
        String kind = null;
        String requestedBy = null;
        String schedule = null;
        String reason = null;
        String outcome = null;
        EventCategory result = null;
        String errorCode = null;
        String label = null;
        List<Step> steps = new ArrayList<>();
        for (StoredEvent stored : events) {
            steps.add(new Step(stored.type, stored.occurredAt, stored.executorId));
            BackupEvent e = EventCodec.decodeEvent(stored.payload).orElse(null);
            if (e == null) {
                continue;
            }
            if (e instanceof BackupRequested r) {
                requestedBy = r.requestedBy();
                schedule = r.schedule();
            } else if (e instanceof RestoreRequested r) {
                requestedBy = r.requestedBy();
                reason = r.reason();
            }
            if (kind == null || e.category() == EventCategory.REQUEST) {
                kind = kindOf(e);
            }
            if (e.terminal()) {
                outcome = e.type();
                result = e.category();
                errorCode = errorCodeOf(e);
                label = e instanceof BackupCompleted c ? c.label() : null;
            }
        }
        Instant first = events.isEmpty() ? null : events.get(0).occurredAt;
        Instant last = events.isEmpty() ? null : events.get(events.size() - 1).occurredAt;
        return new Entry(requestId, kind, requestedBy, schedule, reason, first, last, outcome, result, errorCode,
                label, steps);
    }

    /** "backup full", "restore test", "maintenance verify": what the request was. */
    private static String kindOf(BackupEvent e) {
        return e.subject().name().toLowerCase() + (e.detail() == null ? "" : " " + e.detail());
    }

    private static String errorCodeOf(BackupEvent e) {
        if (e instanceof BackupFailed f) {
            return f.errorCode();
        }
        if (e instanceof RestoreFailed f) {
            return f.errorCode();
        }
        return e instanceof MaintenanceFailed f ? f.errorCode() : null;
    }
}
