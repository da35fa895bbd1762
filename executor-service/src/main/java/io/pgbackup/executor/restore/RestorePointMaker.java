package io.pgbackup.executor.restore;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestorePointCreated;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.primary.PrimaryProbe;
import io.pgbackup.executor.stanza.AllowedStanza;

/** Mode point: no restore, a named restore point on the primary for a later point-in-time recovery. */
@ApplicationScoped
public class RestorePointMaker {

    private static final Logger LOG = Logger.getLogger(RestorePointMaker.class);

    private final PrimaryProbe probe;
    private final ExecutorConfig config;

    public RestorePointMaker(PrimaryProbe probe, ExecutorConfig config) {
        this.probe = probe;
        this.config = config;
    }

    public RestorePointCreated run(AllowedStanza stanza, RestoreRequests.Valid valid) throws RestoreRefused {
        RestoreRequested r = valid.request();
        PrimaryProbe.RestorePoint point;
        try {
            point = probe.createRestorePoint(stanza.name(), valid.pgTarget());
        } catch (IllegalStateException e) {
            throw new RestoreRefused(FailureCode.PRIMARY_UNREACHABLE, e.getMessage());
        }
        LOG.infof("restore point %s of stanza %s created at %s", valid.pgTarget(), stanza, point.lsn());
        return new RestorePointCreated(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestorePointCreated"),
                r.requestId(), r.stanza(), config.id(), Instant.now(), valid.pgTarget(), point.lsn(), point.walFile(),
                point.timeline());
    }
}
