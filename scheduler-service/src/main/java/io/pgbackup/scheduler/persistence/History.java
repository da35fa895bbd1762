package io.pgbackup.scheduler.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.pgbackup.platform.retention.PrunedTable;

/** The scheduler's history that pgbackup.retention.history bounds. */
@ApplicationScoped
public class History {

    /** Requests that ended (or that the coordinator answered) long ago. */
    @Produces
    PrunedTable trackedRequests() {
        return new PrunedTable("tracked_request", "updated_at", "finished OR state = 'ANSWERED'");
    }

    /** Old fires; the newest of each stanza stays, as catch-up after downtime starts from it. */
    @Produces
    PrunedTable scheduleFires() {
        return new PrunedTable("schedule_fire", "fired_at",
                "planned_at < (SELECT max(f.planned_at) FROM schedule_fire f WHERE f.stanza = schedule_fire.stanza)");
    }

    @Produces
    PrunedTable drillFires() {
        return PrunedTable.all("drill_fire", "fired_at");
    }
}
