package io.pgbackup.health.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.pgbackup.platform.retention.PrunedTable;

/** The health service's history that pgbackup.retention.history bounds: the stored audit trail. */
@ApplicationScoped
public class History {

    @Produces
    PrunedTable storedEvents() {
        return PrunedTable.all("stored_event", "received_at");
    }
}
