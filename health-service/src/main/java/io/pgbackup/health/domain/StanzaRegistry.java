package io.pgbackup.health.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.config.HealthConfig;
import io.pgbackup.health.persistence.StanzaState;
import io.quarkus.runtime.StartupEvent;

/** Makes the configured stanzas known from the start, so one that never reports is not invisible. */
@ApplicationScoped
public class StanzaRegistry {

    private final HealthConfig config;

    public StanzaRegistry(HealthConfig config) {
        this.config = config;
    }

    @Transactional
    void register(@Observes StartupEvent event) {
        for (String stanza : config.stanzas()) {
            String name = stanza.trim();
            if (StanzaNames.isValid(name) && StanzaState.findById(name) == null) {
                StanzaState.firstSeen(name);
            }
        }
    }
}
