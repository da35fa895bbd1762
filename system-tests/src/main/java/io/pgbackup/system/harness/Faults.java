package io.pgbackup.system.harness;

import java.time.Duration;
import java.time.Instant;

import org.awaitility.Awaitility;

/** What the fault operations share. */
public final class Faults {

    private Faults() {
    }

    /**
     * Lets a fault last as long as it should (a broker or a database away for 30 s, a host cut off
     * for two minutes): this waits for time itself, not for a state of the system.
     */
    public static void last(Duration duration) {
        until(Instant.now().plus(duration));
    }

    /** Lets a fault go on until {@code end} (nothing when that is past). */
    public static void until(Instant end) {
        Duration left = Duration.between(Instant.now(), end);
        if (left.isNegative()) {
            return;
        }
        Awaitility.await("the fault to last until " + end).atMost(left.plusSeconds(10))
                .pollInterval(Duration.ofMillis(500)).until(() -> !Instant.now().isBefore(end));
    }
}
