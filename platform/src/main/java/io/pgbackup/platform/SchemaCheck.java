package io.pgbackup.platform;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a service whose database lacks the platform's tables in their one shape
 * (io/pgbackup/platform/schema.sql): each service creates them in its own Flyway migration, and a
 * drifted copy would otherwise fail only when the first record is published.
 */
@ApplicationScoped
public class SchemaCheck {

    static final Map<String, List<String>> EXPECTED = Map.of(
            "outbox", List.of("claimed_by", "claimed_until", "created_at", "id", "payload", "record_key", "topic"),
            "processed_event", List.of("consumer", "event_id", "processed_at"));

    private final EntityManager em;

    public SchemaCheck(EntityManager em) {
        this.em = em;
    }

    @Transactional
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        for (Map.Entry<String, List<String>> table : EXPECTED.entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> columns = em.createNativeQuery("SELECT column_name::text FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY column_name")
                    .setParameter(1, table.getKey()).getResultList();
            if (!columns.equals(table.getValue())) {
                throw new IllegalStateException("table " + table.getKey() + " has columns " + columns + ", expected "
                        + table.getValue() + ": the service's Flyway migrations must create the platform tables"
                        + " exactly as io/pgbackup/platform/schema.sql does");
            }
        }
    }

    /** For tests and tools: the expected shape, table by table. */
    public static String describe() {
        return EXPECTED.entrySet().stream().map(e -> e.getKey() + e.getValue()).collect(Collectors.joining(", "));
    }
}
