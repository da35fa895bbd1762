package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;

/** Two database hosts: each stanza's request is run by its own host's executor only. */
@Tag("faults")
@Order(1)
class TwoHostsIT {

    private static String h1;
    private static String h2;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void oneRequestPerStanza() {
        Stack stack = FaultSuite.stack();
        h1 = stack.scheduler().backup("h1", "full");
        h2 = stack.scheduler().backup("h2", "full");
        row = Reliability.tally(1, "two hosts (namespaces), one request per stanza", "-", stack.kafka().events(),
                List.of(h1, h2));
    }

    @Test
    void eachStanzasBackupRanOnItsOwnHost() {
        JsonNode a = stack.kafka().events().awaitAnswer(h1, Duration.ofMinutes(3));
        JsonNode b = stack.kafka().events().awaitAnswer(h2, Duration.ofMinutes(3));
        assertEquals("BackupCompleted", a.path("type").asText(), "h1's answer: " + a);
        assertEquals("BackupCompleted", b.path("type").asText(), "h2's answer: " + b);
        assertEquals("host1", a.path("executorId").asText(), "who ran h1's backup: " + a);
        assertEquals("host2", b.path("executorId").asText(), "who ran h2's backup: " + b);
    }

    @Test
    void healthShowsBothHostsStanzasHealthy() {
        stack.health().awaitStatus("h1", "healthy", Duration.ofSeconds(60));
        stack.health().awaitStatus("h2", "healthy", Duration.ofSeconds(60));
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
