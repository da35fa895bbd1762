package io.pgbackup.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A stanza's health status changed (topic {@code backup.health}, key = stanza). Published by the
 * health service on every transition, so alerting follows transitions instead of polling.
 *
 * @param previousStatus healthy, degraded or unhealthy; null the first time a stanza is seen
 * @param status the new status
 * @param reasons why, one per problem (empty when healthy)
 */
@JsonPropertyOrder({"type", "schemaVersion", "eventId", "stanza", "occurredAt", "previousStatus", "status", "reasons"})
public record StanzaHealthChanged(int schemaVersion, UUID eventId, String stanza, Instant occurredAt,
        String previousStatus, String status, List<Reason> reasons) {

    /** One problem: a stable code and a sentence. */
    public record Reason(String code, String severity, String message) {
    }

    @JsonProperty("type")
    public String type() {
        return "StanzaHealthChanged";
    }
}
