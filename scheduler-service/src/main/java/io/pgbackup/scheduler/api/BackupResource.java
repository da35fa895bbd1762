package io.pgbackup.scheduler.api;

import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.events.Topics;
import io.pgbackup.platform.api.ApiException;
import io.pgbackup.scheduler.config.SchedulerConfig;
import io.pgbackup.scheduler.domain.OnDemandRequests;

/** Request a backup now. The request goes through backup.requests like any other. */
@Path("/backups")
public class BackupResource {

    /** Body of POST /backups. */
    public record BackupNow(String stanza, String backupType, String requestedBy) {
    }

    /** Answer of POST /backups: follow the request id on backup.events or GET /requests/{id}. */
    public record Accepted(UUID requestId, String stanza, String backupType, String topic) {
    }

    private final OnDemandRequests requests;
    private final SchedulerConfig config;

    public BackupResource(OnDemandRequests requests, SchedulerConfig config) {
        this.requests = requests;
        this.config = config;
    }

    @POST
    @Operation(summary = "Request a backup now", description = "Publishes a BackupRequested to backup.requests."
            + " Follow the returned requestId on backup.events (or GET /requests/{requestId}).")
    @APIResponse(responseCode = "202", description = "Queued for backup.requests; the stanza's executor answers on"
            + " backup.events")
    @APIResponse(responseCode = "400", description = "Invalid stanza name or backup type; nothing was published")
    public Response request(BackupNow body) {
        if (body == null) {
            throw ApiException.badRequest("BAD_REQUEST",
                    "a JSON body {\"stanza\":\"main\",\"backupType\":\"full\"} is required");
        }
        String by = body.requestedBy() == null || body.requestedBy().isBlank()
                ? config.defaultRequester()
                : StanzaNames.printable(body.requestedBy());
        BackupRequested request = requests.backup(body.stanza(), body.backupType(), by);
        return Response.accepted(new Accepted(request.requestId(), request.stanza(), request.backupType(),
                Topics.BACKUP_EVENTS)).build();
    }
}
