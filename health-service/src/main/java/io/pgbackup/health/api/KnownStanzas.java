package io.pgbackup.health.api;

import io.pgbackup.events.StanzaNames;
import io.pgbackup.health.domain.FleetView;
import io.pgbackup.health.domain.HealthRules;
import io.pgbackup.platform.api.ApiException;

/** The one answer every endpoint gives for a stanza the fleet does not have: 404, name printable. */
final class KnownStanzas {

    private KnownStanzas() {
    }

    static HealthRules.Observed require(FleetView view, String stanza) {
        return view.find(stanza).orElseThrow(
                () -> ApiException.notFound("unknown stanza '" + StanzaNames.printable(stanza) + "'"));
    }
}
