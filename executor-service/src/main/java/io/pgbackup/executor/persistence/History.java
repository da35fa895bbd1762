package io.pgbackup.executor.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.pgbackup.platform.retention.PrunedTable;

/** The executor's history that pgbackup.retention.history bounds: finished jobs only. */
@ApplicationScoped
public class History {

    @Produces
    PrunedTable backupJobs() {
        return new PrunedTable("backup_job", "finished_at", "state = 'DONE'");
    }

    @Produces
    PrunedTable restoreChallenges() {
        return PrunedTable.all("restore_challenge", "expires_at");
    }

    @Produces
    PrunedTable restoreJobs() {
        return new PrunedTable("restore_job", "finished_at", "state = 'DONE'");
    }
}
