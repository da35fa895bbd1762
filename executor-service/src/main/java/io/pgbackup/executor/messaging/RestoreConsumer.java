package io.pgbackup.executor.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.pgbackup.events.Answerer;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.Channels;
import io.pgbackup.events.EventIds;
import io.pgbackup.events.FailureCode;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.RestoreRequested;
import io.pgbackup.events.RestoreRequests;
import io.pgbackup.events.RestoreStarted;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.restore.RestoreJobs;
import io.pgbackup.executor.restore.RestoreRunner;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.JobAcceptance;
import io.pgbackup.executor.stanza.Peers;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.executor.stanza.StanzaWorkers;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Restore requests for the stanzas this executor serves. Like backups: stored, acknowledged, then
 * run on the stanza's worker (never at the same time as its backups). Invalid requests are the
 * coordinator's to answer.
 */
@ApplicationScoped
public class RestoreConsumer {

    private static final Logger LOG = Logger.getLogger(RestoreConsumer.class);

    private final StanzaAllowlist allowlist;
    private final RestoreJobs jobs;
    private final RestoreRunner runner;
    private final StanzaWorkers workers;
    private final ExecutorConfig config;
    private final ConsumerPolicy policy;
    private final Peers peers;

    public RestoreConsumer(StanzaAllowlist allowlist, RestoreJobs jobs, RestoreRunner runner, StanzaWorkers workers,
            ExecutorConfig config, ConsumerPolicy policy, Peers peers) {
        this.peers = peers;
        this.policy = policy;
        this.allowlist = allowlist;
        this.jobs = jobs;
        this.runner = runner;
        this.workers = workers;
        this.config = config;
    }

    @Incoming(Channels.RESTORES_IN)
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        return policy.consume(message, payload -> RestoreRequests.readRecord(payload, Instant.now()),
                ConsumerPolicy.Unreadable.PASS_OVER,
                (reading, record) -> handle(reading, record.payload(), record.timestamp()));
    }

    void handle(RestoreRequests.Reading reading, String payload, Instant publishedAt) {
        if (!(reading instanceof RestoreRequests.Valid valid)) {
            return;
        }
        var r = valid.request();
        Optional<AllowedStanza> stanza = allowlist.lookup(r.stanza());
        if (stanza.isEmpty() || publishedAt.plus(config.claimTimeout()).isBefore(Instant.now())) {
            return;
        }
        Optional<String> peer = peers.yieldTo(r.stanza(), Instant.now());
        if (peer.isPresent()) {
            LOG.warnf("leaving restore %s of stanza %s to executor %s, which serves it too (DUPLICATE_EXECUTOR)",
                    r.requestId(), r.stanza(), peer.get());
            return;
        }
        RestoreStarted started = new RestoreStarted(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(),
                "RestoreStarted"), r.requestId(), r.stanza(), config.id(), Instant.now(), valid.mode(), r.target());
        JobAcceptance acceptance = jobs.accept(valid, payload, started,
                waiting -> RestoreFailed.byExecutor(r, config.id(), FailureCode.DRILL_COALESCED.code(), null,
                        "drill " + waiting + " of stanza " + r.stanza() + " is already waiting; it answers this one"),
                known -> conflict(r, payload, known));
        if (acceptance == JobAcceptance.CONFLICT) {
            LOG.warnf("restore %s reuses a known request id with other content; refused", r.requestId());
        }
        if (acceptance == JobAcceptance.COALESCED) {
            LOG.infof("restore %s of stanza %s: a drill already waits; coalesced", r.requestId(), r.stanza());
        }
        if (acceptance != JobAcceptance.QUEUED) {
            return;
        }
        LOG.infof("accepted %s restore %s of stanza %s to %s", valid.mode().wire(), r.requestId(), r.stanza(),
                r.target().describe());
        StanzaWorkers.Priority priority = switch (valid.mode()) {
            case PRODUCTION -> StanzaWorkers.Priority.PRODUCTION_RESTORE;
            case POINT -> StanzaWorkers.Priority.BACKUP;
            case TEST -> StanzaWorkers.Priority.DRILL;
        };
        workers.submitTask(r.stanza(), priority, () -> {
            jobs.start(r.requestId());
            jobs.finish(r.requestId(), runner.run(stanza.get(), valid));
        });
    }

    /** Its own event id (the same on every redelivery of this record), so it is not the first request's answer. */
    private RestoreFailed conflict(RestoreRequested r, String payload, RestoreRequested known) {
        String before = known == null
                ? "another request"
                : "a " + known.mode().wire() + " restore of stanza "
                        + known.stanza() + " to " + known.target().describe();
        return new RestoreFailed(BackupEvent.SCHEMA_VERSION, EventIds.of(r.requestId(), "RestoreFailed/conflict/"
                + Integer.toHexString(payload.hashCode())), r.requestId(), r.stanza(), config.id(), Instant.now(),
                r.mode(), r.target(), FailureCode.REQUEST_ID_CONFLICT.code(), null, "request id " + r.requestId()
                        + " was already used for " + before + "; this request with the same id and other content is"
                        + " refused, not run: give each request its own id",
                Answerer.EXECUTOR, null);
    }
}
