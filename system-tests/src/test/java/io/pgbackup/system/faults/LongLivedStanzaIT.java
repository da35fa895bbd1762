package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.NamespaceHost;
import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/** Stanza h2 after months of archiving and dozens of sets, made in minutes beside the faults. */
@Tag("faults")
@Order(9)
class LongLivedStanzaIT {

    private static FaultSuite.LongLived grown;
    private static Instant finished;
    private final Stack stack = FaultSuite.stack();
    private final NamespaceHost host2 = FaultSuite.host2();

    @BeforeAll
    static void grow() throws Exception {
        grown = FaultSuite.longLived().get(30, TimeUnit.MINUTES);
        finished = Instant.now();
        Reliability.note("Long-lived stanza h2: " + segments() + " archived WAL segments and " + grown.sets()
                + " backup sets, made in " + grown.took().toSeconds() + " s beside the faults.");
    }

    /** Archived segments of h2 in the repository (every timeline of its archive id). */
    private static long segments() {
        NamespaceHost h2 = FaultSuite.host2();
        String archiveId = h2.info().path("archive").path(0).path("id").asText();
        Os.Result ls = h2.pgbackrest("repo-ls", "archive/h2/" + archiveId, "--recurse");
        return ls.output().lines().filter(l -> l.matches("[0-9A-F]{16}/[0-9A-F]{24}-.*")).count();
    }

    @Test
    void theRepositoryHoldsTheSegmentsAndSetsOfMonths() {
        long segments = segments();
        int sets = host2.backupLabels().size();
        assertTrue(segments >= FaultSuite.LONG_SEGMENTS, "archived segments: " + segments + ", expected at least "
                + FaultSuite.LONG_SEGMENTS);
        assertTrue(sets >= FaultSuite.LONG_SETS,
                "backup sets: " + sets + ", expected at least " + FaultSuite.LONG_SETS);
    }

    /** Waits for a report of the repository made after the last set. */
    private void awaitFreshRepositoryReport() {
        Awaitility.await("a repository report of h2 after the last set").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    String at = stack.health().stanza("h2").path("repository").path("checkedAt").asText("");
                    return !at.isEmpty() && Instant.parse(at).isAfter(finished);
                });
    }

    @Test
    void theLongLivedStanzaIsHealthyWithoutWalGapOrRepoError() {
        awaitFreshRepositoryReport();
        stack.health().awaitStatus("h2", "healthy", Duration.ofSeconds(60));
        List<String> codes = stack.health().codes("h2");
        assertFalse(codes.contains("WAL_GAP") || codes.contains("REPO_ERROR"), "h2's reasons: " + codes);
    }

    @Test
    void theRecoverabilityWindowSpansFromTheOldestBackupToNow() {
        awaitFreshRepositoryReport();
        String oldest = host2.backupLabels().get(0);
        Instant oldestAt = LocalDateTime.parse(oldest.substring(0, 15), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                .toInstant(ZoneOffset.UTC);
        JsonNode window = stack.health().stanza("h2").path("recoverabilityWindow");
        Instant from = Instant.parse(window.path("from").asText("1970-01-01T00:00:00Z"));
        Instant to = Instant.parse(window.path("to").asText("1970-01-01T00:00:00Z"));
        assertTrue(window.path("continuous").asBoolean(false), "a continuous window: " + window);
        assertTrue(!from.isBefore(oldestAt) && !from.isAfter(oldestAt.plusSeconds(600)),
                "the window's start " + from + " is the oldest set's (" + oldest + "): " + window);
        assertTrue(!to.isBefore(Instant.now().minusSeconds(300)), "the window reaches now: " + window);
    }

    @Test
    void testRestoresOfTheLatestAndTheOldestSetComplete() {
        String oldest = host2.backupLabels().get(0);
        String latest = stack.scheduler().drill("h2", null);
        String old = stack.scheduler().drill("h2", oldest);
        JsonNode a = stack.kafka().events().awaitAnswer(latest, Duration.ofMinutes(5));
        JsonNode b = stack.kafka().events().awaitAnswer(old, Duration.ofMinutes(5));
        assertEquals("RestoreCompleted", a.path("type").asText(), "the drill of latest: " + a);
        assertEquals("RestoreCompleted", b.path("type").asText(), "the drill of the oldest set " + oldest + ": " + b);
    }
}
