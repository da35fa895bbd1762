package io.pgbackup.scheduler.api;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.Topics;
import io.pgbackup.scheduler.messaging.BackupEventsPublisher;

/** Request a restore now; it goes through restore.requests like any other. */
@Path("/restores")
public class RestoreResource {

    /** Body of POST /restores: the fields of a RestoreRequested (docs/events.md). */
    public record RestoreNow(String stanza, String mode, RestoreTarget target, boolean keep, String path,
            String confirm, String reason, String requestedBy) {
    }

    public record Accepted(UUID requestId, String stanza, String mode, String topic, String follow) {
    }

    private final BackupEventsPublisher publisher;

    public RestoreResource(BackupEventsPublisher publisher) {
        this.publisher = publisher;
    }

    @POST
    @Operation(summary = "Request a restore now", description = "Publishes a RestoreRequested to restore.requests."
            + " Follow it with GET /requests/{requestId}.")
    @APIResponse(responseCode = "202", description = "Published; the stanza's executor answers on backup.events")
    @APIResponse(responseCode = "400", description = "Invalid request; nothing was published")
    public Response request(RestoreNow body) {
        if (body == null || body.target() == null) {
            throw new BackupResource.BadRequest("a JSON body {\"stanza\":\"main\",\"mode\":\"test\",\"target\":"
                    + "{\"kind\":\"latest\"}} is required");
        }
        RestoreRequested request = new RestoreRequested(BackupEvent.SCHEMA_VERSION, UUID.randomUUID(), body.stanza(),
                body.mode() == null ? "test" : body.mode(), body.target(), body.keep(), body.path(), body.confirm(),
                body.reason(), Instant.now(), body.requestedBy() == null ? "api" : body.requestedBy());
        // The coordinator would refuse it anyway; refusing here tells the caller at once.
        RestoreRequests.Reading reading = RestoreRequests.read(EventCodec.encode(request), Instant.now());
        if (reading instanceof RestoreRequests.Invalid invalid) {
            throw new BackupResource.BadRequest(invalid.errorCode() + ": " + invalid.reason());
        }
        if (reading instanceof RestoreRequests.Malformed malformed) {
            throw new BackupResource.BadRequest(malformed.reason());
        }
        publisher.restore(request);
        return Response.accepted(new Accepted(request.requestId(), request.stanza(), request.mode(),
                Topics.RESTORE_REQUESTS, "/requests/" + request.requestId())).build();
    }
}
