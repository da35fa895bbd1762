package io.pgbackup.executor.pgbackrest;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

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

    /** Parses info's output for one set (or the stanza): its status, the first and the newest set. */
    public static StanzaInfo parse(Reader output, String stanza) {
        Scanned found = scan(output, stanza, false);
        if (found.problem() != null) {
            return new StanzaInfo(99, found.problem(), 99, null, Optional.empty(), Optional.empty());
        }
        JsonNode repo = worstRepo(found.repo());
        return new StanzaInfo(found.status().path("code").asInt(99), found.status().path("message").asText(""),
                repo == null ? 0 : repo.path("code").asInt(99), repo == null ? null : repo.path("message").asText(""),
                Optional.ofNullable(found.first()), Optional.ofNullable(found.last()));
    }

    /** A stanza's repository as a whole: every set and the archived WAL range of the current database. */
    public record RepoFacts(int statusCode, String statusMessage, int worstRepoStatus, String archiveId,
            String archiveMin, String archiveMax, List<BackupInfo> sets) {
    }

    /** Reads the whole stanza (no --set): for status reports and the WAL gap check. */
    public static RepoFacts repo(Reader output, String stanza) {
        Scanned found = scan(output, stanza, true);
        if (found.problem() != null) {
            return new RepoFacts(99, found.problem(), 99, null, null, null, List.of());
        }
        JsonNode repo = worstRepo(found.repo());
        // The last archive entry is the current database (after a stanza-upgrade there are two).
        JsonNode archives = found.archive();
        JsonNode current = archives.size() > 0 ? archives.get(archives.size() - 1) : null;
        return new RepoFacts(found.status().path("code").asInt(99), found.status().path("message").asText(""),
                repo == null ? 0 : repo.path("code").asInt(99), current == null ? null : text(current.path("id")),
                current == null ? null : text(current.path("min")), current == null ? null : text(current.path("max")),
                found.sets());
    }

    /** What info says of one stanza, or why it says nothing. */
    private record Scanned(String problem, JsonNode status, JsonNode repo, JsonNode archive, BackupInfo first,
            BackupInfo last, List<BackupInfo> sets) {

        static Scanned problem(String problem) {
            return new Scanned(problem, null, null, null, null, null, List.of());
        }
    }

    /**
     * Reads info's JSON as a stream: one backup set at a time is a tree (about a kilobyte), so a
     * stanza with hundreds of sets never becomes one document in memory. pgbackrest writes a
     * stanza's {@code name} after its {@code backup} list, so every stanza is read to its end.
     *
     * @param keepSets whether to keep every set, or only the first and the last
     */
    private static Scanned scan(Reader output, String stanza, boolean keepSets) {
        ObjectMapper mapper = EventCodec.mapper();
        try (JsonParser p = mapper.getFactory().createParser(output)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return Scanned.problem("pgbackrest info did not return a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                JsonNode status = MissingNode.getInstance();
                JsonNode repo = MissingNode.getInstance();
                JsonNode archive = MissingNode.getInstance();
                BackupInfo first = null;
                BackupInfo last = null;
                List<BackupInfo> sets = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "name" -> name = p.getValueAsString();
                        case "status" -> status = mapper.readTree(p);
                        case "repo" -> repo = mapper.readTree(p);
                        case "archive" -> archive = mapper.readTree(p);
                        case "backup" -> {
                            if (value != JsonToken.START_ARRAY) {
                                p.skipChildren();
                                break;
                            }
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                BackupInfo set = backup(mapper.readTree(p));
                                first = first == null ? set : first;
                                last = set;
                                if (keepSets) {
                                    sets.add(set);
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                if (stanza.equals(name)) {
                    return new Scanned(null, status, repo, archive, first, last, sets);
                }
            }
            return Scanned.problem("stanza not found in pgbackrest info");
        } catch (IOException e) {
            return Scanned.problem("pgbackrest info did not return JSON");
        }
    }

    /** The status of the first repository that is not ok, or null when all are. */
    private static JsonNode worstRepo(JsonNode repos) {
        for (JsonNode repo : repos) {
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
