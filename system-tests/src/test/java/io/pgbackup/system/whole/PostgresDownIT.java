package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Stack;

/** The stanza's PostgreSQL down when a backup is asked for, then back. */
@Tag("whole")
@Order(6)
class PostgresDownIT {

    private final Stack stack = WholeSystem.stack();

    /** Stops the primary and asks for a full; the caller starts the primary again. */
    private JsonNode backupWhilePostgresIsDown() {
        stack.demo().stop();
        String id = WholeSystem.newId();
        stack.kafka().publish("backup.requests", "main", WholeSystem.request(id, "main", "full"));
        return stack.kafka().events().awaitAnswer(id, WholeSystem.BACKUP);
    }

    @Test
    void aBackupWhilePostgresIsDownFailsWithPgbackrestsCode56AndHealthNamesTheStanza() {
        try {
            JsonNode answer = backupWhilePostgresIsDown();
            assertEquals("BackupFailed", answer.path("type").asText(), "the answer: " + answer);
            assertEquals("56", answer.path("errorCode").asText(), "pgBackRest's code in " + answer);
            stack.health().awaitStatus("main", "unhealthy", Duration.ofSeconds(30));
            JsonNode fleet = stack.health().fleet();
            boolean named = false;
            for (JsonNode m : fleet.path("messages")) {
                named |= "LAST_BACKUP_FAILED".equals(m.path("code").asText())
                        && "main".equals(m.path("stanza").asText());
            }
            assertTrue(named, "expected GET / to name stanza main with LAST_BACKUP_FAILED, got " + fleet);
        } finally {
            stack.demo().start();
        }
    }

    @Test
    void afterPostgresComesBackADiffCompletesAndTheStanzaIsHealthyAgain() {
        try {
            backupWhilePostgresIsDown();
        } finally {
            stack.demo().start();
        }
        String id = WholeSystem.newId();
        stack.kafka().publish("backup.requests", "main", WholeSystem.request(id, "main", "diff"));
        JsonNode answer = stack.kafka().events().awaitAnswer(id, WholeSystem.BACKUP);
        assertEquals("BackupCompleted", answer.path("type").asText(), "the diff after PostgreSQL returned: " + answer);
        stack.health().awaitStatus("main", "healthy", Duration.ofSeconds(30));
    }
}
