package io.pgbackup.executor.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.events.EventCodec;

/**
 * Reads {@code pgbackrest info --output=json}. pgBackRest 2.45 exits 0 even when the stanza or
 * the repository is broken, so the status codes inside the JSON are the only truth.
 */
public final class InfoParser {

    /** A stanza's info: its status and, with --set, the one backup asked for. */
    public record StanzaInfo(int statusCode, String statusMessage, int worstRepoStatus, String repoMessage,
            Optional<BackupInfo> backup, Optional<BackupInfo> newest) {

        public boolean healthy() {
            return statusCode == 0 && worstRepoStatus == 0;
        }
    }

    private InfoParser() {
    }

    /** Parses the raw bytes leniently (a wrong cipher pass can produce invalid UTF-8). */
    public static StanzaInfo parse(byte[] output, String stanza) {
        Found found = find(output, stanza);
        if (found.node() == null) {
            return new StanzaInfo(99, found.problem(), 99, null, Optional.empty(), Optional.empty());
        }
        JsonNode node = found.node();
        JsonNode repo = worstRepo(node);
        JsonNode backups = node.path("backup");
        Optional<BackupInfo> first = backups.size() > 0 ? Optional.of(backup(backups.get(0))) : Optional.empty();
        Optional<BackupInfo> last = backups.size() > 0
                ? Optional.of(backup(backups.get(backups.size() - 1)))
                : Optional.empty();
        return new StanzaInfo(node.path("status").path("code").asInt(99),
                node.path("status").path("message").asText(""), repo == null ? 0 : repo.path("code").asInt(99),
                repo == null ? null : repo.path("message").asText(""), first, last);
    }

    /** A stanza's repository as a whole: every set and the archived WAL range of the current database. */
    public record RepoFacts(int statusCode, String statusMessage, int worstRepoStatus, String archiveId,
            String archiveMin, String archiveMax, List<BackupInfo> sets) {
    }

    /** Reads the whole stanza (no --set): for status reports and the WAL gap check. */
    public static RepoFacts repo(byte[] output, String stanza) {
        Found found = find(output, stanza);
        if (found.node() == null) {
            return new RepoFacts(99, found.problem(), 99, null, null, null, List.of());
        }
        JsonNode node = found.node();
        JsonNode repo = worstRepo(node);
        // The last archive entry is the current database (after a stanza-upgrade there are two).
        JsonNode archives = node.path("archive");
        JsonNode current = archives.size() > 0 ? archives.get(archives.size() - 1) : null;
        List<BackupInfo> sets = new ArrayList<>();
        node.path("backup").forEach(b -> sets.add(backup(b)));
        return new RepoFacts(node.path("status").path("code").asInt(99),
                node.path("status").path("message").asText(""), repo == null ? 0 : repo.path("code").asInt(99),
                current == null ? null : text(current.path("id")), current == null ? null : text(current.path("min")),
                current == null ? null : text(current.path("max")), sets);
    }

    /** The stanza's entry in info's JSON, or why there is none. */
    private record Found(JsonNode node, String problem) {
    }

    private static Found find(byte[] output, String stanza) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(new String(output, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return new Found(null, "pgbackrest info did not return JSON");
        }
        if (root == null || !root.isArray()) {
            return new Found(null, "pgbackrest info did not return a JSON array");
        }
        for (JsonNode node : root) {
            if (stanza.equals(node.path("name").asText())) {
                return new Found(node, null);
            }
        }
        return new Found(null, "stanza not found in pgbackrest info");
    }

    /** The status of the first repository that is not ok, or null when all are. */
    private static JsonNode worstRepo(JsonNode stanza) {
        for (JsonNode repo : stanza.path("repo")) {
            if (repo.path("status").path("code").asInt(99) != 0) {
                return repo.path("status");
            }
        }
        return null;
    }

    private static BackupInfo backup(JsonNode b) {
        return new BackupInfo(
                b.path("label").asText(null),
                b.path("type").asText(null),
                b.path("prior").isNull() ? null : b.path("prior").asText(null),
                epoch(b.path("timestamp").path("start")),
                epoch(b.path("timestamp").path("stop")),
                text(b.path("archive").path("start")),
                text(b.path("archive").path("stop")),
                text(b.path("lsn").path("start")),
                text(b.path("lsn").path("stop")),
                number(b.path("info").path("size")),
                number(b.path("info").path("repository").path("size")),
                number(b.path("info").path("repository").path("delta")),
                b.path("error").asBoolean(false));
    }

    private static Instant epoch(JsonNode node) {
        return node.isNumber() ? Instant.ofEpochSecond(node.asLong()) : null;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Long number(JsonNode node) {
        return node.isNumber() ? node.asLong() : null;
    }
}
