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
 * @param previousStatus null the first time a stanza is seen
 * @param status the new status
 * @param reasons why, one per problem (empty when healthy)
 */
@JsonPropertyOrder({"type", "schemaVersion", "eventId", "stanza", "occurredAt", "previousStatus", "status", "reasons"})
public record StanzaHealthChanged(int schemaVersion, @Required UUID eventId, @Required String stanza,
        @Required Instant occurredAt, HealthStatus previousStatus, @Required HealthStatus status,
        List<Reason> reasons) {

    public static final String TYPE = "StanzaHealthChanged";

    public StanzaHealthChanged {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** One problem: a stable code (docs/errors.md), the status it gives the stanza, and a sentence. */
    public record Reason(String code, HealthStatus severity, String message) {
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }
}
