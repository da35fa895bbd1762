package io.pgbackup.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from the request id and the event type. A producer that re-sends after a
 * crash sends the same id again, so consumers that store events by id see each event once.
 */
public final class EventIds {

    private EventIds() {
    }

    public static UUID of(UUID requestId, String eventType) {
        return UUID.nameUUIDFromBytes((requestId + "/" + eventType).getBytes(StandardCharsets.UTF_8));
    }
}
