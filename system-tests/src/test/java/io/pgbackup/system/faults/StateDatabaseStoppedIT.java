package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Faults;
import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;

/** The state database of the main stack (every service's state) stopped for 30 s. */
@Tag("faults")
@Order(7)
class StateDatabaseStoppedIT {

    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void stopTheStateDatabase() {
        Stack stack = FaultSuite.stack();
        FaultSuite.longLived();
        List<String> ids = new ArrayList<>();
        Instant back;
        stack.state().stop();
        try {
            // Straight to the topic: the scheduler's REST call needs its database.
            for (String stanza : List.of("main", "h1")) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                stack.kafka().publish("backup.requests", stanza, FaultSuite.request(id, stanza, "incr"));
            }
            Faults.last(Duration.ofSeconds(30));
        } finally {
            stack.state().start();
            back = Instant.now();
        }
        ids.forEach(id -> stack.kafka().events().awaitAnswer(id, Duration.ofMinutes(4)));
        stack.health().awaitStatus("main", "healthy", Duration.ofMinutes(2));
        row = Reliability.tally(7, "state database stopped 30 s", String.valueOf(Duration.between(back, Instant.now())
                .toSeconds()), stack.kafka().events(), ids);
    }

    @Test
    void afterTheStateDatabaseReturnedMainIsHealthy() {
        stack.health().awaitStatus("main", "healthy", Duration.ofMinutes(1));
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
