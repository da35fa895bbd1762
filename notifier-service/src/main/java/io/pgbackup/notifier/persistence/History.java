package io.pgbackup.notifier.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.pgbackup.platform.retention.PrunedTable;

/**
 * The notifier's history that pgbackup.retention.history bounds. Deliveries that are settled go
 * first (their alert links with them); alerts then go unless a delivery still carries them or
 * their condition is still open (reminders quote its first alert); conditions once resolved.
 */
@ApplicationScoped
public class History {

    @Produces
    PrunedTable deliveries() {
        return new PrunedTable("delivery", "created_at", "state <> 'PENDING'");
    }

    @Produces
    PrunedTable alerts() {
        return new PrunedTable("alert", "created_at",
                "NOT EXISTS (SELECT 1 FROM delivery_alert da WHERE da.alert_id = alert.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM alert_condition c WHERE c.condition_key = alert.condition_key"
                        + " AND c.state = 'OPEN')");
    }

    @Produces
    PrunedTable conditions() {
        return new PrunedTable("alert_condition", "last_seen_at", "state = 'RESOLVED'");
    }
}
