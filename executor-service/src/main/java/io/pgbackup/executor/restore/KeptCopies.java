package io.pgbackup.executor.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pgbackup.executor.config.ExecutorConfig;
import io.pgbackup.executor.os.PostgresFiles;
import io.pgbackup.executor.os.PostgresUser;
import io.quarkus.scheduler.Scheduled;

/**
 * Test copies kept for inspection ({@code keep}) are removed once they are older than
 * {@code executor.restore.keep-for}: a habit of keeping copies must not fill the scratch root and
 * leave the next drill without space.
 */
@ApplicationScoped
public class KeptCopies {

    private static final Logger LOG = Logger.getLogger(KeptCopies.class);

    private final ExecutorConfig config;
    private final PostgresUser postgres;
    private final PostgresFiles files;

    public KeptCopies(ExecutorConfig config, PostgresUser postgres, PostgresFiles files) {
        this.config = config;
        this.postgres = postgres;
        this.files = files;
    }

    @Scheduled(every = "${executor.restore.sweep-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            sweep();
        } catch (IOException e) {
            LOG.warnf("kept test copies not swept: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Removes the scratch root's directories last changed longer than {@code keep-for} ago (a copy
     * being restored was created minutes ago). Listed by {@code find} as the postgres user, who
     * owns them.
     *
     * @return the directories removed
     */
    public List<Path> sweep() throws IOException, InterruptedException {
        Path root = Path.of(config.restore().scratchRoot()).toAbsolutePath().normalize();
        Duration keepFor = config.restore().keepFor();
        long minutes = Math.max(1, keepFor.toMinutes());
        PostgresUser.Read<List<Path>> old = postgres.run(List.of("find", root.toString(), "-mindepth", "1",
                "-maxdepth", "1", "-type", "d", "-mmin", "+" + minutes), Duration.ofMinutes(2),
                out -> out.lines().map(Path::of).toList());
        if (!old.run().ok()) {
            return List.of(); // no scratch root yet: nothing was ever kept
        }
        for (Path dir : old.value()) {
            LOG.infof("removing test copy %s: kept longer than executor.restore.keep-for (%s)", dir, keepFor);
            files.removeTree(dir);
        }
        return old.value();
    }
}
