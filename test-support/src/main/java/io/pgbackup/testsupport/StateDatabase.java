package io.pgbackup.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL for a service's own state (Flyway runs its migrations). One cluster per test
 * JVM; each service's tests get a fresh database in it.
 */
public class StateDatabase implements QuarkusTestResourceLifecycleManager {

    private static PostgresCluster cluster;
    private static int databases;

    public static synchronized PostgresCluster cluster() {
        if (cluster == null) {
            cluster = PostgresCluster.create("statedb", Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        }
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        String db;
        synchronized (StateDatabase.class) {
            db = "state_" + (++databases);
        }
        cluster().createDatabase(db);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", cluster().jdbcUrl(db));
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        // Every service under test has the operator's token, so its writes are authenticated.
        config.put("pgbackup.api.token-file", ApiToken.file().toString());
        return config;
    }

    @Override
    public void stop() {
        // The cluster is stopped by the JVM shutdown hook: other test classes may still use it.
    }
}
