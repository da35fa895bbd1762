package io.pgbackup.system.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

/** The scheduler's REST calls, with the operator's token, as the scripts make them. */
public final class SchedulerApi {

    private final String base;
    private final Path tokenFile;

    SchedulerApi(String base, Path tokenFile) {
        this.base = base;
        this.tokenFile = tokenFile;
    }

    public String url() {
        return base;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public String token() {
        try {
            return Files.readString(tokenFile).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no API token in " + tokenFile, e);
        }
    }

    /** POST /backups; the request id it answers with. */
    public String backup(String stanza, String type) {
        return accepted("/backups", "{\"stanza\":\"" + stanza + "\",\"backupType\":\"" + type
                + "\",\"requestedBy\":\"system-tests\"}");
    }

    /** POST /restores of a test copy (target latest when {@code set} is null). */
    public String drill(String stanza, String set) {
        String target = set == null ? "{\"kind\":\"latest\"}" : "{\"kind\":\"set\",\"value\":\"" + set + "\"}";
        return accepted("/restores", "{\"stanza\":\"" + stanza + "\",\"mode\":\"test\",\"target\":" + target
                + ",\"requestedBy\":\"system-tests\"}");
    }

    private String accepted(String path, String body) {
        Http.Response r = post(path, body, token());
        if (r.status() != 202) {
            throw new AssertionError("expected 202 from POST " + path + ", got " + r.status() + ": " + r.body());
        }
        return r.json().path("requestId").asText();
    }

    /** POST with any token (null: none), as an anonymous or a wrong caller would. */
    public Http.Response post(String path, String body, String bearer) {
        return Http.post(base + path, body, bearer);
    }

    /** GET /requests/{id}. */
    public JsonNode request(String id) {
        return Http.get(base + "/requests/" + id).json();
    }
}
