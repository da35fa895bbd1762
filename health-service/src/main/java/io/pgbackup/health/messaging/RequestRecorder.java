package io.pgbackup.health.messaging;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.persistence.StoredEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the requests themselves (backup.requests, restore.requests) next to their events, so a
 * stanza's history says who or what asked and why. Records that are not requests are left to the
 * coordinator's dead-letter handling; here they are skipped.
 */
@ApplicationScoped
public class RequestRecorder {

    public static final String BACKUP_REQUESTS_IN = "health-backup-requests-in";
    public static final String RESTORE_REQUESTS_IN = "health-restore-requests-in";

    @Incoming(BACKUP_REQUESTS_IN)
    @Blocking
    @Transactional
    public void onBackupRequest(String payload) {
        store(payload, "BackupRequested");
    }

    @Incoming(RESTORE_REQUESTS_IN)
    @Blocking
    @Transactional
    public void onRestoreRequest(String payload) {
        store(payload, "RestoreRequested");
    }

    private static void store(String payload, String type) {
        JsonNode tree;
        UUID requestId;
        try {
            tree = EventCodec.mapper().readTree(payload);
            requestId = UUID.fromString(tree.path("requestId").asText());
        } catch (Exception e) {
            return;
        }
        String stanza = tree.path("stanza").asText("");
        UUID eventId = EventIds.of(requestId, type);
        if (!StanzaNames.isValid(stanza) || StoredEvent.findById(eventId) != null) {
            return;
        }
        Instant requestedAt = parse(tree.path("requestedAt").asText(null));
        StoredEvent.store(eventId, requestId, stanza, type, null, requestedAt != null ? requestedAt : Instant.now(),
                payload.length() > 20_000 ? payload.substring(0, 20_000) : payload);
    }

    private static Instant parse(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
