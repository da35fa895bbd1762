package io.pgbackup.executor.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.Channels;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaNames;
import io.pgbackup.executor.backup.BackupJobs;
import io.pgbackup.executor.backup.BackupRunner;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.Peers;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Reads every request and keeps those for the stanzas it serves. The record is acknowledged as
 * soon as the job is stored, never after the backup: a backup may run for hours, far past the
 * connector's limit for an un-acknowledged record.
 *
 * <p>
 * Malformed and invalid requests are left alone here: the coordinator in the scheduler service
 * answers them (dead-letter topic or BackupFailed), so each gets exactly one answer however many
 * executors run. A failure of this executor's own handling follows the platform's consumer policy.
 */
@ApplicationScoped
public class RequestConsumer {

    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final ExecutorConfig config;
    private final StanzaAllowlist allowlist;
    private final BackupJobs jobs;
    private final BackupRunner runner;
    private final ConsumerPolicy policy;
    private final Peers peers;

    public RequestConsumer(StanzaAllowlist allowlist, BackupJobs jobs, BackupRunner runner, ExecutorConfig config,
            ConsumerPolicy policy, Peers peers) {
        this.peers = peers;
        this.policy = policy;
        this.config = config;
        this.allowlist = allowlist;
        this.jobs = jobs;
        this.runner = runner;
    }

    @Incoming(Channels.REQUESTS_IN)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        return policy.consume(message, EventCodec::readRequestRecord, ConsumerPolicy.Unreadable.PASS_OVER,
                (reading, record) -> handle(reading, record.timestamp()));
    }

    void handle(EventCodec.RequestReading reading, Instant publishedAt) {
        if (!(reading instanceof EventCodec.Valid valid)) {
            LOG.debug("leaving an invalid request of backup.requests to the coordinator, which answers it");
            return;
        }
        var request = valid.request();
        Optional<AllowedStanza> stanza = allowlist.lookup(request.stanza());
        if (stanza.isEmpty()) {
            LOG.debugf("request %s is for stanza %s, not served here", request.requestId(),
                    StanzaNames.printable(request.stanza()));
            return;
        }
        Optional<String> peer = peers.yieldTo(request.stanza(), Instant.now());
        if (peer.isPresent()) {
            LOG.warnf("leaving request %s of stanza %s to executor %s, which serves it too (DUPLICATE_EXECUTOR)",
                    request.requestId(), request.stanza(), peer.get());
            return;
        }
        if (publishedAt.plus(config.claimTimeout()).isBefore(Instant.now())) {
            LOG.warnf("not taking request %s for stanza %s: published at %s, more than %s ago; the coordinator has"
                    + " answered it as NO_EXECUTOR", request.requestId(), request.stanza(), publishedAt,
                    config.claimTimeout());
            return;
        }
        switch (jobs.accept(request, stanza.get(), valid.backupType())) {
            case QUEUED -> {
                LOG.infof("accepted %s backup %s of stanza %s (requested by %s)", valid.backupType().wire(),
                        request.requestId(), request.stanza(), StanzaNames.printable(request.requestedBy()));
                runner.submit(request.stanza(), request.requestId());
            }
            case COALESCED -> LOG.infof("request %s: an identical %s backup of stanza %s is already waiting",
                    request.requestId(), valid.backupType().wire(), request.stanza());
            case DUPLICATE -> LOG.infof("request %s was delivered again; already handled", request.requestId());
            case CONFLICT -> LOG.warnf("request %s reuses a known request id with other content; refused",
                    request.requestId());
        }
    }
}
