package io.pgbackup.executor.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The free-space rule of a test restore (pure arithmetic; the drill path reads the real file store). */
class DrillSpaceTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aCopyFitsWithATenthForWalAndTheSpare() {
        assertEquals(Optional.empty(), Drill.spaceProblem(1000 * MIB, 1356 * MIB, 256 * MIB, Path.of("/r")));
    }

    @Test
    void aCopyThatWouldLeaveLessIsRefusedSayingHowMuchIsNeededAndFree() {
        String why = Drill.spaceProblem(1000 * MIB, 1300 * MIB, 256 * MIB, Path.of("/r")).orElseThrow();
        assertTrue(why.contains("needs about 1356 MiB"), why);
        assertTrue(why.contains("/r has 1300 MiB free"), why);
    }
}
