package io.pgbackup.executor.stanza;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.events.StanzaNames;
import io.pgbackup.executor.config.ExecutorConfig;

/** The stanzas this executor serves, checked once at start. */
@ApplicationScoped
public class StanzaAllowlist {

    private final Map<String, AllowedStanza> allowed = new LinkedHashMap<>();

    public StanzaAllowlist(ExecutorConfig config) {
        for (String name : config.stanzas()) {
            String trimmed = name.trim();
            if (!StanzaNames.isValid(trimmed)) {
                throw new IllegalArgumentException("executor.stanzas: " + StanzaNames.problem(trimmed).orElseThrow());
            }
            allowed.put(trimmed, new AllowedStanza(trimmed));
        }
    }

    /** The configured stanza with exactly this name, if this executor serves it. */
    public Optional<AllowedStanza> lookup(String requested) {
        return Optional.ofNullable(allowed.get(requested));
    }

    public Iterable<AllowedStanza> all() {
        return allowed.values();
    }
}
