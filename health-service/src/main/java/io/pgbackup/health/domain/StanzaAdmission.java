package io.pgbackup.health.domain;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.events.HealthCode;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.health.config.HealthConfig;
import io.pgbackup.health.persistence.StanzaState;

/**
 * Whether a record about a stanza nobody configured (not in health.stanzas, no plan from the
 * scheduler) may add it to the fleet. Executors' stanzas join with their first report, but a
 * stray or forged record must not grow the fleet without bound: past
 * health.max-unconfigured-stanzas such records are left out, and GET / says so (FLEET_LIMIT).
 * Called inside the recording transaction, after {@link HealthTransitions#lock()}.
 */
@ApplicationScoped
public class StanzaAdmission {

    private static final Logger LOG = Logger.getLogger(StanzaAdmission.class);

    private final HealthConfig config;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicReference<String> lastRefused = new AtomicReference<>();

    public StanzaAdmission(HealthConfig config) {
        this.config = config;
    }

    public boolean admit(String stanza) {
        if (config.stanzas().contains(stanza)) {
            return true;
        }
        long unconfigured = StanzaState.count("stanza not in ?1", config.stanzas());
        if (unconfigured < config.maxUnconfiguredStanzas()) {
            return true;
        }
        if (refused.incrementAndGet() == 1 || !stanza.equals(lastRefused.get())) {
            LOG.warnf("not adding stanza %s to the fleet: %d stanzas nobody configured are already in it"
                    + " (health.max-unconfigured-stanzas)", stanza, unconfigured);
        }
        lastRefused.set(stanza);
        return false;
    }

    /** The fleet-level reason while records have been left out since this service started. */
    public Optional<HealthRules.Message> refusal() {
        long n = refused.get();
        if (n == 0) {
            return Optional.empty();
        }
        return Optional.of(new HealthRules.Message(lastRefused.get(), HealthStatus.DEGRADED,
                HealthCode.FLEET_LIMIT.name(), n + " record(s) about stanzas nobody configured were not added to the"
                        + " fleet (the latest: " + lastRefused.get() + "): it already holds "
                        + config.maxUnconfiguredStanzas() + " such stanzas (health.max-unconfigured-stanzas)"));
    }
}
