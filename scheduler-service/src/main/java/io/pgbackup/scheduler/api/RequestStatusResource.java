package io.pgbackup.scheduler.api;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.platform.api.ApiException;
import io.pgbackup.scheduler.domain.Coordinator;
import io.pgbackup.scheduler.persistence.TrackedRequest;

/** Where a backup or restore request is: waiting for an executor, taken, or answered. */
@Path("/requests")
@Produces(MediaType.APPLICATION_JSON)
public class RequestStatusResource {

    /** @param lastEvent the latest event about the request as published on backup.events */
    public record Status(UUID requestId, String stanza, String kind, String coordinatorState, String claimedBy,
            String lastEventType, JsonNode lastEvent, boolean finished) {
    }

    private final Coordinator coordinator;

    public RequestStatusResource(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @GET
    @Path("{requestId}")
    public Status status(@PathParam("requestId") String id) {
        UUID requestId;
        try {
            requestId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no request " + StanzaNames.printable(id));
        }
        TrackedRequest row = coordinator.find(requestId)
                .orElseThrow(() -> ApiException.notFound("no request " + requestId + " (not seen yet, or older than"
                        + " the retained history)"));
        JsonNode event = null;
        if (row.lastEvent != null) {
            try {
                event = EventCodec.mapper().readTree(row.lastEvent);
            } catch (Exception e) {
                event = null;
            }
        }
        return new Status(row.requestId, row.stanza, row.backupType, row.state == null ? null : row.state.name(),
                row.claimedBy, row.lastEventType, event, row.finished);
    }
}
