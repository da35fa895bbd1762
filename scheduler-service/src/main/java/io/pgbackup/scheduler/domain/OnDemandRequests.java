package io.pgbackup.scheduler.domain;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.pgbackup.events.BackupRequested;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.platform.api.ApiException;
import io.pgbackup.platform.outbox.Outbox;

/**
 * Requests made over REST: checked as the coordinator would check them (so the caller hears at
 * once what is wrong) and published through the outbox like any other request.
 */
@ApplicationScoped
public class OnDemandRequests {

    private final Outbox outbox;

    public OnDemandRequests(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public BackupRequested backup(String stanza, String backupType, String requestedBy) {
        StanzaNames.problem(stanza).ifPresent(p -> {
            throw ApiException.badRequest(FailureCode.INVALID_STANZA.code(), p);
        });
        BackupType type = BackupType.fromWire(backupType).orElseThrow(() -> ApiException.badRequest(
                FailureCode.INVALID_BACKUP_TYPE.code(), "invalid backupType '" + StanzaNames.printable(backupType)
                        + "': expected full, diff or incr"));
        BackupRequested request = BackupRequested.of(stanza, type, requestedBy);
        outbox.publish(request);
        return request;
    }

    /** @throws ApiException with the refusal's code when the coordinator would refuse it */
    @Transactional
    public RestoreRequested restore(RestoreRequested request) {
        RestoreRequests.Reading reading = RestoreRequests.check(request, Instant.now());
        if (reading instanceof RestoreRequests.Invalid invalid) {
            throw ApiException.badRequest(invalid.errorCode().code(), invalid.errorCode().code() + ": "
                    + invalid.reason());
        }
        if (reading instanceof RestoreRequests.Malformed malformed) {
            throw ApiException.badRequest("MALFORMED", malformed.reason());
        }
        outbox.publish(request);
        return request;
    }

}
