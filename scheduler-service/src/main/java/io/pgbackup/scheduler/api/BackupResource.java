package io.pgbackup.scheduler.api;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.pgbackup.events.BackupEvent;
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
        BackupRequested request = new BackupRequested(BackupEvent.SCHEMA_VERSION, UUID.randomUUID(), body.stanza(),
                type.wire(), Instant.now(), by);
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
