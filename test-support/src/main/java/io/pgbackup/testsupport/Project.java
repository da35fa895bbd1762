package io.pgbackup.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout the tests run from: its scripts under {@code scripts/env} are the one definition of
 * the environment (pgbackrest.conf, the roles, a PostgreSQL cluster) that make up, the images and
 * the tests share.
 */
public final class Project {

    private static final Path ROOT = find();

    private Project() {
    }

    public static Path root() {
        return ROOT;
    }

    /** A file of the checkout, e.g. {@code scripts/env/pgbackrest-conf.sh}. */
    public static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    private static Path find() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/env/pgbackrest-conf.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("no checkout of this project above " + dir + " (scripts/env missing)");
    }
}
