package io.pgbackup.system.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Faults;
import io.pgbackup.system.harness.Reliability;
import io.pgbackup.system.harness.Stack;

/** The Kafka broker stopped for 30 s while requests, events and status reports flow. */
@Tag("faults")
@Order(6)
class BrokerStoppedIT {

    private static Instant back;
    private static Reliability.Row row;
    private final Stack stack = FaultSuite.stack();

    @BeforeAll
    static void stopTheBroker() {
        Stack stack = FaultSuite.stack();
        FaultSuite.longLived();
        String before = stack.scheduler().backup("main", "incr");
        stack.stop("kafka");
        List<String> ids;
        try {
            // The scheduler takes requests while the broker is away: they wait in its outbox.
            ids = List.of(before, stack.scheduler().backup("main", "incr"), stack.scheduler().backup("h1", "incr"),
                    stack.scheduler().drill("h2", null));
            Faults.last(Duration.ofSeconds(30));
        } finally {
            stack.upAgain();
            back = Instant.now();
        }
        ids.forEach(id -> stack.kafka().events().awaitAnswer(id, Duration.ofMinutes(4)));
        stack.health().awaitStatus("main", "healthy", Duration.ofMinutes(2));
        stack.health().awaitStatus("h1", "healthy", Duration.ofMinutes(1));
        row = Reliability.tally(6, "Kafka broker stopped 30 s", String.valueOf(Duration.between(back, Instant.now())
                .toSeconds()), stack.kafka().events(), ids);
    }

    @Test
    void afterTheBrokerReturnedEveryStanzaIsHealthyAgain() {
        for (String stanza : List.of("main", "h1", "h2")) {
            stack.health().awaitStatus(stanza, "healthy", Duration.ofMinutes(1));
        }
    }

    @Test
    void nothingWasLostOrAnsweredTwice() {
        assertTrue(row.clean(), "expected every request answered once: " + row);
    }
}
