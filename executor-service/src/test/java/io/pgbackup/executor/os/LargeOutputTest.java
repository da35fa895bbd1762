package io.pgbackup.executor.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A program's output far beyond what an event keeps (a year of archive listing is megabytes):
 * the parser reads all of it, as a stream; only the kept copy is shortened.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
class LargeOutputTest {

    @Inject
    PostgresUser postgres;

    @Test
    void everyLineOfAMultiMegabyteOutputReachesTheReader() throws Exception {
        // 300,000 lines, 2 MB: about what repo-ls prints for 25,000 archived segments.
        PostgresUser.Read<long[]> read = postgres.run(List.of("seq", "1", "300000"), Duration.ofMinutes(1), out -> {
            long lines = 0;
            long last = 0;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines++;
                last = Long.parseLong(line);
            }
            return new long[]{lines, last};
        });
        assertTrue(read.run().ok(), read.run().stderr());
        assertEquals(300_000, read.value()[0], "the reader saw every line");
        assertEquals(300_000, read.value()[1], "in order, to the end");
        String kept = read.run().stdout();
        assertTrue(kept.length() <= 64 * 1024 + 5, "kept output is bounded: " + kept.length());
        assertTrue(kept.startsWith("1\n2\n") && kept.endsWith("299999\n300000\n") && kept.contains("\n...\n"),
                "the kept copy has the head and the tail");
    }

    @Test
    void aFailedRunIsNotParsed() throws Exception {
        PostgresUser.Read<String> read = postgres.run(List.of("sh", "-c", "seq 1 10; exit 3"), Duration.ofMinutes(1),
                out -> "parsed");
        assertEquals(3, read.run().exitCode());
        assertEquals(null, read.value());
    }
}
