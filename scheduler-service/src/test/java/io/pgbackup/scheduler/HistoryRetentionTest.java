package io.pgbackup.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.pgbackup.platform.retention.HistoryPruner;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The scheduler's state stays bounded: finished history older than the retention is pruned. */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class HistoryRetentionTest {

    @Inject
    HistoryPruner pruner;

    @Inject
    EntityManager em;

    private void sql(String statement, Object... parameters) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = em.createNativeQuery(statement);
            for (int i = 0; i < parameters.length; i++) {
                q.setParameter(i + 1, parameters[i]);
            }
            q.executeUpdate();
        });
    }

    @SuppressWarnings("unchecked")
    private List<Object> column(String query, Object parameter) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(query).setParameter(1, parameter)
                .getResultList());
    }

    @Test
    void finishedRequestsAndOldFiresGoButRunningRequestsAndEachStanzasLatestFireStay() {
        Instant old = Instant.now().minus(Duration.ofDays(120)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        UUID finished = UUID.randomUUID();
        UUID answered = UUID.randomUUID();
        UUID pending = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        String insert = "INSERT INTO tracked_request (request_id, stanza, state, updated_at, finished)"
                + " VALUES (?1, 'ret', ?2, ?3, ?4)";
        sql(insert, finished, "CLAIMED", old, true);
        sql(insert, answered, "ANSWERED", old, false);
        sql(insert, pending, "CLAIMED", old, false);
        sql(insert, recent, "CLAIMED", Instant.now(), true);
        String stanza = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        String fire = "INSERT INTO schedule_fire (stanza, planned_at, backup_type, request_id, catch_up, fired_at)"
                + " VALUES (?1, ?2, 'incr', ?3, false, ?2)";
        sql(fire, stanza, old, UUID.randomUUID());
        sql(fire, stanza, old.plusSeconds(3600), UUID.randomUUID());

        pruner.prune(Instant.now().minus(Duration.ofDays(90)));

        assertEquals(List.of(pending, recent).stream().sorted().toList(), column("SELECT request_id FROM"
                + " tracked_request WHERE stanza = ?1 ORDER BY request_id", "ret").stream().map(UUID.class::cast)
                .sorted().toList(), "a request still running is kept however old");
        assertEquals(List.of(old.plusSeconds(3600)), column("SELECT planned_at FROM schedule_fire WHERE stanza = ?1",
                stanza).stream().map(Instant.class::cast).toList(),
                "the newest fire stays: catch-up after downtime starts from it");
    }
}
