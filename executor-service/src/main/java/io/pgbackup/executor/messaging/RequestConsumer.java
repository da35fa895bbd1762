package io.pgbackup.executor.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.executor.domain.AllowedStanza;
import io.pgbackup.executor.domain.BackupJobs;
import io.pgbackup.executor.domain.StanzaAllowlist;
import io.pgbackup.executor.domain.StanzaWorkers;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Reads every request and keeps those for the stanzas it serves. The record is acknowledged as
 * soon as the job is stored, never after the backup: a backup may run for hours, far past the
 * connector's limit for an un-acknowledged record.
 *
 * <p>
 * Malformed and invalid requests are left alone here: the coordinator in the scheduler service
 * answers them (dead-letter topic or BackupFailed), so each gets exactly one answer however many
 * executors run.
 */
@ApplicationScoped
public class RequestConsumer {

    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final StanzaAllowlist allowlist;
    private final BackupJobs jobs;
    private final StanzaWorkers workers;

    public RequestConsumer(StanzaAllowlist allowlist, BackupJobs jobs, StanzaWorkers workers) {
        this.allowlist = allowlist;
        this.jobs = jobs;
        this.workers = workers;
    }

    @Incoming(Channels.REQUESTS_IN)
    @Blocking
    public void onRequest(String payload) {
        if (!(EventCodec.readRequest(payload) instanceof EventCodec.Valid valid)) {
            LOG.debug("ignoring an invalid record on backup.requests; the coordinator answers it");
            return;
        }
        var request = valid.request();
        java.util.Optional<AllowedStanza> stanza = allowlist.lookup(request.stanza());
        if (stanza.isEmpty()) {
            LOG.debugf("request %s is for stanza %s, not served here", request.requestId(),
                    StanzaNames.printable(request.stanza()));
            return;
        }
        jobs.accept(request, stanza.get(), valid.backupType()).ifPresentOrElse(job -> {
            LOG.infof("accepted %s backup %s of stanza %s (requested by %s)", job.backupType, job.requestId,
                    job.stanza, StanzaNames.printable(job.requestedBy));
            workers.submit(job.stanza, job.requestId);
        }, () -> LOG.infof("request %s was delivered again; already handled", request.requestId()));
    }
}
