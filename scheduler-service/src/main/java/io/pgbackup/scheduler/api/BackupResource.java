package io.pgbackup.scheduler.api;

import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.events.Topics;
import io.pgbackup.scheduler.config.SchedulerConfig;
import io.pgbackup.scheduler.messaging.BackupEventsPublisher;

/** Request a backup now. The request goes through backup.requests like any other. */
@Path("/backups")
public class BackupResource {

    /** Body of POST /backups. */
    public record BackupNow(String stanza, String backupType, String requestedBy) {
    }

    /** Answer of POST /backups: follow the request id on backup.events. */
    public record Accepted(UUID requestId, String stanza, String backupType, String topic) {
    }

    private final BackupEventsPublisher publisher;
    private final SchedulerConfig config;

    public BackupResource(BackupEventsPublisher publisher, SchedulerConfig config) {
        this.publisher = publisher;
        this.config = config;
    }

    @POST
    @Operation(summary = "Request a backup now", description = "Publishes a BackupRequested to backup.requests."
            + " Follow the returned requestId on backup.events (or GET /stanzas/{stanza} of the health service).")
    @APIResponse(responseCode = "202", description = "Published; the executor of the stanza answers on backup.events")
    @APIResponse(responseCode = "400", description = "Invalid stanza name or backup type; nothing was published")
    public Response request(BackupNow body) {
        if (body == null) {
            throw new BadRequest("a JSON body {\"stanza\":\"main\",\"backupType\":\"full\"} is required");
        }
        StanzaNames.problem(body.stanza()).ifPresent(p -> {
            throw new BadRequest(p);
        });
        BackupType type = BackupType.fromWire(body.backupType()).orElseThrow(() -> new BadRequest(
                "invalid backupType '" + StanzaNames.printable(body.backupType()) + "': expected full, diff or incr"));
        String by = body.requestedBy() == null || body.requestedBy().isBlank()
                ? config.defaultRequester()
                : StanzaNames.printable(body.requestedBy());
        BackupRequested request = BackupRequested.of(body.stanza(), type, by);
        publisher.request(request);
        return Response.accepted(new Accepted(request.requestId(), request.stanza(), type.wire(), Topics.BACKUP_EVENTS))
                .build();
    }

    /** A request the caller must fix. */
    public static class BadRequest extends RuntimeException {

        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
