package io.pgbackup.executor.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.StanzaStatusReported.Archiver;
import io.pgbackup.events.StanzaStatusReported.BackupSet;
import io.pgbackup.events.StanzaStatusReported.Repo;
import io.pgbackup.events.StanzaStatusReported.WalGap;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.pgbackrest.BackupInfo;
import io.pgbackup.executor.pgbackrest.InfoParser;
import io.pgbackup.executor.pgbackrest.PgBackRest;
import io.pgbackup.executor.primary.PrimaryProbe;
import io.pgbackup.executor.stanza.AllowedStanza;
import io.pgbackup.executor.stanza.StanzaAllowlist;
import io.pgbackup.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes each served stanza's status on backup.status: the heartbeat the health service
 * watches, WAL archiving from the primary, and the repository from pgbackrest info. Through the
 * outbox like everything else: a report written while the broker is away leaves when it is back.
 */
@ApplicationScoped
public class StatusReporter {

    private static final Logger LOG = Logger.getLogger(StatusReporter.class);
    private final Outbox outbox;
    private final ExecutorConfig config;
    private final StanzaAllowlist stanzas;
    private final PrimaryProbe probe;
    private final PgBackRest pgbackrest;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, Repo> offsites = new ConcurrentHashMap<>();
    private final Map<String, Long> segmentSizes = new ConcurrentHashMap<>();

    public StatusReporter(Outbox outbox, ExecutorConfig config, StanzaAllowlist stanzas, PrimaryProbe probe,
            PgBackRest pgbackrest) {
        this.outbox = outbox;
        this.config = config;
        this.stanzas = stanzas;
        this.probe = probe;
        this.pgbackrest = pgbackrest;
    }

    @Scheduled(every = "${executor.status.interval:60s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void report() {
        for (AllowedStanza stanza : stanzas.all()) {
            Archiver archiver = probe.read(stanza.name()).map(r -> {
                segmentSizes.put(stanza.name(), r.walSegmentSize());
                return r.archiver();
            }).orElse(null);
            StanzaStatusReported report = new StanzaStatusReported(BackupEvent.SCHEMA_VERSION, UUID.randomUUID(),
                    stanza.name(), config.id(), Instant.now(), config.status().interval().toSeconds(), archiver,
                    repos.get(stanza.name()), config.repos().offsite().orElse(null), offsites.get(stanza.name()));
            try {
                QuarkusTransaction.requiringNew().run(() -> outbox.publish(report));
            } catch (RuntimeException e) {
                LOG.warnf("could not queue the status of stanza %s (%s); the next report replaces it",
                        stanza.name(), e.getMessage());
            }
        }
    }

    /** pgbackrest info and the archive listing: heavier, so less often than the heartbeat. */
    @Scheduled(every = "${executor.status.repo-interval:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void checkRepositories() {
        for (AllowedStanza stanza : stanzas.all()) {
            try {
                repos.put(stanza.name(), repo(stanza));
                if (config.repos().offsite().isPresent()) {
                    offsites.put(stanza.name(), offsite(stanza, config.repos().offsite().get()));
                }
            } catch (java.io.IOException e) {
                LOG.warnf("pgbackrest info of stanza %s failed: %s", stanza.name(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Repo repo(AllowedStanza stanza) throws java.io.IOException, InterruptedException {
        Instant now = Instant.now();
        InfoParser.RepoFacts facts = pgbackrest.repoFacts(stanza);
        List<BackupSet> sets = facts.sets().stream().map(StatusReporter::set).toList();
        WalGap gap = null;
        Optional<BackupInfo> oldest = facts.sets().stream().filter(b -> b.walStart() != null).findFirst();
        if (facts.archiveId() != null && oldest.isPresent() && facts.archiveMax() != null) {
            gap = pgbackrest.archiveGap(stanza, facts.archiveId(), oldest.get().walStart(), facts.archiveMax(),
                    segmentSizes.getOrDefault(stanza.name(), 16L * 1024 * 1024));
        }
        ExecutorConfig.Maintenance m = config.maintenance();
        return new Repo(now, facts.statusCode(), facts.statusMessage(), facts.worstRepoStatus(), facts.archiveMin(),
                facts.archiveMax(), sets, m.retentionFull(), m.retentionDiff(), gap);
    }

    /** The offsite repository: its sets and archive range; its WAL gap is not listed (a remote store). */
    private Repo offsite(AllowedStanza stanza, int repo) throws java.io.IOException, InterruptedException {
        InfoParser.RepoFacts facts = pgbackrest.repoFacts(stanza, repo);
        return new Repo(Instant.now(), facts.statusCode(), facts.statusMessage(), facts.worstRepoStatus(),
                facts.archiveMin(), facts.archiveMax(), facts.sets().stream().map(StatusReporter::set).toList(), null,
                null, null);
    }

    private static BackupSet set(BackupInfo b) {
        return new BackupSet(b.label(), BackupType.fromWire(b.type()).orElse(null), b.start(), b.stop(),
                b.databaseSize(), b.repoSize(), b.walStart(),
                b.walStop(), b.error());
    }
}
