package io.pgbackup.health.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.pgbackup.health.persistence.StanzaPlan;
import io.pgbackup.health.persistence.StanzaReport;
import io.pgbackup.health.persistence.StanzaState;
import io.quarkus.runtime.StartupEvent;

/**
 * The fleet in memory: what GET /, the stanza pages, the dashboard and the metrics read, so a
 * poll never waits for the database. Rebuilt from the database at start and refreshed per stanza
 * after each committed change. The entities held here are detached copies nobody modifies.
 */
@ApplicationScoped
public class FleetView {

    private final Map<String, HealthRules.Observed> stanzas = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    /** After StanzaRegistry (default priority) has added the configured stanzas. */
    @Transactional
    void load(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        for (StanzaState state : StanzaState.<StanzaState>listAll()) {
            stanzas.put(state.stanza, observe(state));
        }
        version.incrementAndGet();
    }

    /** Re-reads one stanza; call after the transaction that changed it has committed. */
    @Transactional
    public void reload(String stanza) {
        StanzaState state = StanzaState.findById(stanza);
        if (state == null) {
            return;
        }
        stanzas.put(stanza, observe(state));
        version.incrementAndGet();
    }

    private static HealthRules.Observed observe(StanzaState state) {
        StanzaReport report = StanzaReport.findById(state.stanza);
        StanzaPlan plan = StanzaPlan.findById(state.stanza);
        return new HealthRules.Observed(state, report == null ? null : report.report(),
                plan == null ? null : plan.plan());
    }

    /** Changes whenever a stanza is reloaded: answers computed from an older version are stale. */
    public long version() {
        return version.get();
    }

    public List<HealthRules.Observed> all() {
        return stanzas.values().stream().sorted(Comparator.comparing(o -> o.state().stanza)).toList();
    }

    public Optional<HealthRules.Observed> find(String stanza) {
        return Optional.ofNullable(stanza == null ? null : stanzas.get(stanza));
    }
}
