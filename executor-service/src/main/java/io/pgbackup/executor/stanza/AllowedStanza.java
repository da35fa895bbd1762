package io.pgbackup.executor.stanza;

/**
 * A stanza name taken from this executor's configured allowlist. Only {@link StanzaAllowlist}
 * makes these, so code that runs pgbackrest cannot be handed a name that came from an event.
 */
public final class AllowedStanza {

    private final String name;

    AllowedStanza(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
