package io.pgbackup.executor.stanza;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.executor.config.ExecutorConfig;

/**
 * Other executors reporting for a stanza this one serves (read from backup.status). Every executor
 * reads every request, so two configured for one stanza would both back it up; instead, the one
 * whose id sorts first does the stanza's work and the other leaves it, until the first has been
 * silent for three of its report intervals. Health names the stanza DUPLICATE_EXECUTOR meanwhile.
 */
@ApplicationScoped
public class Peers {

    private static final Logger LOG = Logger.getLogger(Peers.class);
    /** Below this, a peer's reporting interval is not trusted to say it is gone. */
    private static final Duration MIN_ALIVE = Duration.ofSeconds(10);

    private record Seen(String executorId, Instant at, Duration alive) {
    }

    private final Map<String, Map<String, Seen>> byStanza = new ConcurrentHashMap<>();
    private final ExecutorConfig config;
    private final StanzaAllowlist allowlist;

    public Peers(ExecutorConfig config, StanzaAllowlist allowlist) {
        this.config = config;
        this.allowlist = allowlist;
    }

    /** A report on backup.status: remembered when another executor reports a stanza of ours. */
    public void saw(StanzaStatusReported report) {
        if (report.executorId().equals(config.id()) || allowlist.lookup(report.stanza()).isEmpty()) {
            return;
        }
        Duration alive = Duration.ofSeconds(3 * Math.max(1, report.intervalSeconds()));
        Seen seen = new Seen(report.executorId(), report.occurredAt(), alive.compareTo(MIN_ALIVE) < 0
                ? MIN_ALIVE
                : alive);
        Map<String, Seen> peers = byStanza.computeIfAbsent(report.stanza(), s -> new ConcurrentHashMap<>());
        Seen before = peers.get(report.executorId());
        peers.merge(report.executorId(), seen, (old, now) -> now.at().isAfter(old.at()) ? now : old);
        boolean back = before == null || before.at().plus(before.alive()).isBefore(report.occurredAt());
        if (back && report.executorId().compareTo(config.id()) < 0) {
            LOG.warnf("executor %s also serves stanza %s: its requests and maintenance are left to it"
                    + " (DUPLICATE_EXECUTOR); remove the stanza from one executor's EXECUTOR_STANZAS",
                    report.executorId(), report.stanza());
        }
    }

    /** The live executor this one leaves the stanza's work to, if any. */
    public Optional<String> yieldTo(String stanza, Instant now) {
        Map<String, Seen> peers = byStanza.get(stanza);
        if (peers == null) {
            return Optional.empty();
        }
        return peers.values().stream().filter(s -> s.executorId().compareTo(config.id()) < 0)
                .filter(s -> !s.at().plus(s.alive()).isBefore(now)).map(Seen::executorId).sorted().findFirst();
    }
}
