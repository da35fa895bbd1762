package io.pgbackup.notifier.domain;

import java.time.Instant;
import java.util.UUID;

/** What the notifier would tell a person. Delivery to Slack and email comes in a later step. */
public record Alert(UUID eventId, UUID requestId, String stanza, String severity, String title, String reason,
        Instant occurredAt) {
}
