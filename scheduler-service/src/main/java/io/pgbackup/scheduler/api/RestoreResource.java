package io.pgbackup.scheduler.api;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreTarget;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.events.TargetKind;
import io.pgbackup.events.Topics;
import io.pgbackup.platform.api.ApiException;
import io.pgbackup.scheduler.domain.OnDemandRequests;

/** Request a restore now; it goes through restore.requests like any other. */
@Path("/restores")
public class RestoreResource {

    /** Body of POST /restores: the fields of a RestoreRequested (docs/events.md), as text. */
    public record RestoreNow(String stanza, String mode, Target target, boolean keep, String path, String confirm,
            String reason, String requestedBy, String confirmNonce, Integer repo) {
    }

    /** Kept as text so that a wrong kind is refused with what was sent. */
    public record Target(String kind, String value) {
    }

    public record Accepted(UUID requestId, String stanza, String mode, String topic, String follow) {
    }

    private final OnDemandRequests requests;

    public RestoreResource(OnDemandRequests requests) {
        this.requests = requests;
    }

    @POST
    @Operation(summary = "Request a restore now", description = "Publishes a RestoreRequested to restore.requests."
            + " Follow it with GET /requests/{requestId}.")
    @APIResponse(responseCode = "202", description = "Queued for restore.requests; the stanza's executor answers on"
            + " backup.events")
    @APIResponse(responseCode = "400", description = "Invalid request; nothing was published")
    public Response request(RestoreNow body) {
        if (body == null || body.target() == null) {
            throw ApiException.badRequest("BAD_REQUEST", "a JSON body {\"stanza\":\"main\",\"mode\":\"test\","
                    + "\"target\":{\"kind\":\"latest\"}} is required");
        }
        String mode = body.mode() == null ? RestoreMode.TEST.wire() : body.mode();
        RestoreMode known = RestoreMode.fromWire(mode).orElseThrow(() -> ApiException.badRequest("INVALID_MODE",
                "INVALID_MODE: invalid mode '" + StanzaNames.printable(mode)
                        + "': expected test, production or point"));
        TargetKind kind = TargetKind.fromWire(body.target().kind()).orElseThrow(() -> ApiException.badRequest(
                "INVALID_TARGET", "INVALID_TARGET: target kind '" + StanzaNames.printable(body.target().kind())
                        + "' is not one of latest, set, time, lsn, xid, name"));
        RestoreRequested request = requests.restore(new RestoreRequested(BackupEvent.SCHEMA_VERSION,
                UUID.randomUUID(), body.stanza(), known, new RestoreTarget(kind, body.target().value()), body.keep(),
                body.path(), body.confirm(), body.reason(), Instant.now(),
                body.requestedBy() == null ? "api" : StanzaNames.printable(body.requestedBy()), body.confirmNonce(),
                body.repo()));
        return Response.accepted(new Accepted(request.requestId(), request.stanza(), known.wire(),
                Topics.RESTORE_REQUESTS, "/requests/" + request.requestId())).build();
    }
}
