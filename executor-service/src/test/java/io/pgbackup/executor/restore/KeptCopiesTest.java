package io.pgbackup.executor.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pgbackup.executor.ExecutorStack;
import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.PostgresFiles;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Kept test copies go after executor.restore.keep-for (7 days); recent ones stay. Real directories. */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExecutorStack.class, scope = TestResourceScope.GLOBAL)
class KeptCopiesTest {

    @Inject
    KeptCopies copies;

    @Inject
    PostgresFiles files;

    @Inject
    ExecutorConfig config;

    @Test
    void copiesKeptLongerThanKeepForAreRemovedAndRecentOnesStay() throws Exception {
        Path root = Path.of(config.restore().scratchRoot()).toAbsolutePath().normalize();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path old = root.resolve("kept-old-" + id);
        Path recent = root.resolve("kept-recent-" + id);
        // As a kept copy looks: made by the postgres user, with a data directory inside.
        files.mkdirs(old.resolve("data"), "700");
        files.mkdirs(recent.resolve("data"), "700");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(8))));

        List<Path> removed = copies.sweep();

        assertEquals(List.of(old), removed.stream().filter(p -> p.getFileName().toString().endsWith(id)).toList());
        assertFalse(Files.exists(old), "a copy kept 8 days is removed");
        assertTrue(Files.exists(recent.resolve("data")), "a copy made now stays");
        files.removeTree(recent);
    }
}
