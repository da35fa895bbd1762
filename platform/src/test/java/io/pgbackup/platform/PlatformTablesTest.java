package io.pgbackup.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pgbackup.testsupport.PostgresCluster;
import io.pgbackup.testsupport.StateDatabase;

/**
 * Every service's database ends with the platform's tables in the one shape db/platform defines:
 * a new database, and one a service's old migrations made before db/platform existed (as users'
 * state databases are). Runs each service's own migrations, read from its module.
 */
class PlatformTablesTest {

    private static final String PLATFORM = "classpath:db/platform";

    private static PostgresCluster cluster;
    private static List<String> reference;

    @BeforeAll
    static void platformOnly() {
        cluster = StateDatabase.cluster();
        cluster.createDatabase("platform_only");
        migrate("platform_only", PLATFORM);
        reference = shape("platform_only");
    }

    private static void migrate(String database, String... locations) {
        Flyway.configure().dataSource(cluster.jdbcUrl(database), "postgres", "").locations(locations)
                .failOnMissingLocations(true).load().migrate();
    }

    /** Columns, constraints and indexes of the platform's tables, as PostgreSQL describes them. */
    private static List<String> shape(String database) {
        List<String> shape = new ArrayList<>();
        shape.addAll(cluster.queryColumn(database, "SELECT table_name || '.' || column_name || ' ' || data_type"
                + " || ' ' || is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name IN ('outbox', 'processed_event')"
                + " ORDER BY table_name, ordinal_position"));
        shape.addAll(cluster.queryColumn(database, "SELECT conrelid::regclass || ' ' || conname || ' '"
                + " || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid IN ('outbox'::regclass, 'processed_event'::regclass) ORDER BY 1"));
        shape.addAll(cluster.queryColumn(database, "SELECT indexdef FROM pg_indexes WHERE schemaname ="
                + " current_schema() AND tablename IN ('outbox', 'processed_event') ORDER BY indexname"));
        return shape;
    }

    private static boolean platformMigrationApplied(String database) {
        // A repeatable migration is known by its description (Quarkus records the script with its folder).
        return cluster.queryColumn(database, "SELECT description FROM flyway_schema_history WHERE success"
                + " AND version IS NULL").contains("platform");
    }

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("platform")) ? here : here.getParent();
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    /** The modules beside this one that have Flyway migrations of their own. */
    private static List<Path> services() throws IOException {
        Path root = root();
        try (Stream<Path> modules = Files.list(root)) {
            List<Path> services = modules.filter(m -> Files.isDirectory(m.resolve("src/main/resources/db/migration")))
                    .sorted().toList();
            assertTrue(services.size() >= 4, "services found under " + root + ": " + services);
            return services;
        }
    }

    private static String migrations(Path service) {
        return "filesystem:" + service.resolve("src/main/resources/db/migration");
    }

    private static String database(Path service, String state) {
        return service.getFileName().toString().replace('-', '_') + "_" + state;
    }

    @Test
    void theDefinitionMakesBothTables() {
        assertTrue(reference.stream().anyMatch(c -> c.startsWith("outbox.claimed_by ")), reference.toString());
        assertTrue(reference.stream().anyMatch(c -> c.startsWith("processed_event.event_id uuid NO")),
                reference.toString());
        assertTrue(platformMigrationApplied("platform_only"));
    }

    @Test
    void aNewServiceDatabaseEndsWithTheOneShape() throws IOException {
        for (Path service : services()) {
            String db = database(service, "new");
            cluster.createDatabase(db);
            migrate(db, migrations(service), PLATFORM);
            assertEquals(reference, shape(db), service.toString());
            assertTrue(platformMigrationApplied(db), service.toString());
        }
    }

    @Test
    void aDatabaseTheOldMigrationsMadeEndsWithTheOneShape() throws IOException {
        for (Path service : services()) {
            String db = database(service, "old");
            cluster.createDatabase(db);
            migrate(db, migrations(service));
            migrate(db, migrations(service), PLATFORM);
            assertEquals(reference, shape(db), service.toString());
            assertTrue(platformMigrationApplied(db), service.toString());
        }
    }

    /** Flyway runs the definition again whenever it changes, on whatever the database then holds. */
    @Test
    void theDefinitionCanRunAgainOnItsOwnResult() throws IOException {
        String definition = Files.readString(root().resolve("platform/src/main/resources/db/platform/R__platform.sql"));
        cluster.execute("platform_only", definition);
        assertEquals(reference, shape("platform_only"));
    }

    /**
     * The services get db/platform from the platform's default locations; a service that sets its
     * own would lose it unless it names it too.
     */
    @Test
    void noServiceDropsThePlatformLocation() throws IOException {
        Properties defaults = properties(
                root().resolve("platform/src/main/resources/META-INF/microprofile-config.properties"));
        assertEquals("db/migration,db/platform", defaults.getProperty("quarkus.flyway.locations"));
        for (Path service : services()) {
            Path file = service.resolve("src/main/resources/application.properties");
            Properties properties = properties(file);
            properties.stringPropertyNames().stream().filter(k -> k.endsWith("quarkus.flyway.locations"))
                    .forEach(k -> assertTrue(properties.getProperty(k).contains("db/platform"), file + ": " + k));
        }
    }
}
