package io.pgbackup.system.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

/** The health service's public JSON (docs/health-api.md), as monitoring polls it. */
public final class HealthApi {

    private final String base;

    HealthApi(String base) {
        this.base = base;
    }

    public String url() {
        return base;
    }

    /** GET / : the fleet. */
    public JsonNode fleet() {
        return Http.get(base + "/").json();
    }

    /** GET /stanzas/{stanza}, or a missing node when it cannot be read. */
    public JsonNode stanza(String stanza) {
        Http.Response r = Http.get(base + "/stanzas/" + stanza);
        return r.status() == 200 ? r.json() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    public String status(String stanza) {
        return stanza(stanza).path("status").asText("");
    }

    /** The reason codes GET /stanzas/{stanza} gives now. */
    public List<String> codes(String stanza) {
        List<String> codes = new ArrayList<>();
        stanza(stanza).path("messages").forEach(m -> codes.add(m.path("code").asText()));
        return codes;
    }

    public boolean hasCode(String stanza, String code) {
        return codes(stanza).contains(code);
    }

    /** Waits until the stanza's status is {@code status}. */
    public void awaitStatus(String stanza, String status, Duration within) {
        try {
            Awaitility.await("stanza " + stanza + " " + status).atMost(within).pollInterval(Duration.ofSeconds(1))
                    .until(() -> status.equals(status(stanza)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected stanza " + stanza + " to be " + status + " within " + within
                    + ", it is: " + stanza(stanza));
        }
    }

    /** Waits until GET /stanzas/{stanza} names the reason code. */
    public void awaitCode(String stanza, String code, Duration within) {
        try {
            Awaitility.await("stanza " + stanza + " naming " + code).atMost(within)
                    .pollInterval(Duration.ofSeconds(1)).until(() -> hasCode(stanza, code));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected stanza " + stanza + " to name " + code + " within " + within
                    + ", it says: " + stanza(stanza));
        }
    }
}
