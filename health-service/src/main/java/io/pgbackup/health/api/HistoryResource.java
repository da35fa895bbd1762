package io.pgbackup.health.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.events.EventCodec;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.persistence.StoredEvent;

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

    /** One request: who asked, what it was, its events and its outcome (null while running). */
    public record Entry(UUID requestId, String kind, String requestedBy, String schedule, String reason,
            Instant firstAt, Instant lastAt, String outcome, String errorCode, String label, List<Step> events) {
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
            throw new BadRequestException("page must be >= 0 and size between 1 and 500");
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
        String errorCode = null;
        String label = null;
        List<Step> steps = new ArrayList<>();
        for (StoredEvent e : events) {
            steps.add(new Step(e.type, e.occurredAt, e.executorId));
            JsonNode json = read(e.payload);
            if (e.type.endsWith("Requested")) {
                requestedBy = text(json, "requestedBy");
                schedule = text(json, "schedule");
                reason = text(json, "reason");
                kind = e.type.startsWith("Restore")
                        ? "restore " + text(json, "mode")
                        : "backup " + text(json, "backupType");
            }
            if (kind == null && e.type.startsWith("Maintenance")) {
                kind = "maintenance " + text(json, "task");
            } else if (kind == null && e.type.startsWith("Backup") && text(json, "backupType") != null) {
                kind = "backup " + text(json, "backupType");
            } else if (kind == null && e.type.startsWith("Restore") && text(json, "mode") != null) {
                kind = "restore " + text(json, "mode");
            }
            if (e.type.endsWith("Completed") || e.type.endsWith("Failed") || e.type.endsWith("Skipped")) {
                outcome = e.type;
                errorCode = text(json, "errorCode");
                label = text(json, "label");
            }
        }
        Instant first = events.isEmpty() ? null : events.get(0).occurredAt;
        Instant last = events.isEmpty() ? null : events.get(events.size() - 1).occurredAt;
        return new Entry(requestId, kind, requestedBy, schedule, reason, first, last, outcome, errorCode, label,
                steps);
    }

    private static JsonNode read(String payload) {
        try {
            return EventCodec.mapper().readTree(payload);
        } catch (Exception e) {
            return EventCodec.mapper().createObjectNode();
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.path(field);
        return node.isTextual() ? node.asText() : null;
    }
}
