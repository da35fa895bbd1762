package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Stack;

/** repo1 lost entirely: a test restore from the offsite repository alone has the marker row. */
@Tag("whole")
@Order(11)
class OffsiteRestoreIT {

    private final Stack stack = WholeSystem.stack();

    @Test
    void withRepo1GoneATestRestoreFromRepo2AloneCompletesWithTheMarkerRow() throws Exception {
        stack.kafka().events().awaitMatching("the offsite copy of a full",
                e -> "MaintenanceCompleted".equals(e.path("type").asText())
                        && "offsite".equals(e.path("task").asText()),
                Duration.ofMinutes(4));
        // The marker's WAL, archived to both repositories.
        String segment = stack.demo().sql("postgres", "SELECT pg_walfile_name(pg_switch_wal())");
        Awaitility.await("WAL segment " + segment + " archived").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> stack.demo()
                        .sql("postgres",
                                "SELECT coalesce(last_archived_wal, '') >= '" + segment + "' FROM pg_stat_archiver")
                        .equals("t"));
        Path repo = stack.dir().resolve("pgbackrest/repo");
        Path lost = stack.dir().resolve("pgbackrest/repo.lost");
        Files.move(repo, lost);
        try {
            String id = WholeSystem.newId();
            stack.kafka().publish("restore.requests", "main", "{\"type\":\"RestoreRequested\",\"requestId\":\"" + id
                    + "\",\"stanza\":\"main\",\"mode\":\"test\",\"target\":{\"kind\":\"latest\"},\"repo\":2,"
                    + "\"requestedBy\":\"system-tests\"}");
            JsonNode answer = stack.kafka().events().awaitAnswer(id, Duration.ofMinutes(4));
            assertEquals("RestoreCompleted", answer.path("type").asText(), "the restore from repo2: " + answer);
            assertEquals(1, answer.path("rowCounts").path("public.e2e_marker").asInt(-1),
                    "rows of public.e2e_marker in the copy: " + answer.path("rowCounts"));
        } finally {
            Files.move(lost, repo);
        }
    }
}
