package io.pgbackup.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.pgbackup.platform.retention.HistoryPruner;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Bounded state: history older than the retention is pruned, newer history stays. */
@QuarkusTest
@WithTestResource(value = PlatformBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class HistoryPrunerTest {

    @Inject
    HistoryPruner pruner;

    @Inject
    EntityManager em;

    private void processed(String consumer, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO processed_event (consumer,"
                + " event_id, processed_at) VALUES (?1, ?2, ?3)").setParameter(1, consumer)
                .setParameter(2, UUID.randomUUID()).setParameter(3, at).executeUpdate());
    }

    private long count(String consumer) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM processed_event WHERE consumer = ?1").setParameter(1, consumer)
                .getSingleResult()).longValue());
    }

    @Test
    void rowsOlderThanTheHistoryArePrunedInBatchesAndNewerOnesStay() {
        String consumer = "pruner-" + UUID.randomUUID();
        Instant now = Instant.now();
        for (int i = 0; i < 12_000; i += 1000) {
            int from = i;
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO processed_event (consumer,"
                    + " event_id, processed_at) SELECT ?1, gen_random_uuid(), ?2 FROM generate_series(1, 1000)")
                    .setParameter(1, consumer).setParameter(2, now.minus(Duration.ofDays(91 + from / 1000)))
                    .executeUpdate());
        }
        processed(consumer, now.minus(Duration.ofDays(89)));
        processed(consumer, now);

        pruner.prune(now.minus(Duration.ofDays(90)));

        assertEquals(2, count(consumer), "the 12,000 rows older than 90 days went, in batches of 5,000");
    }
}
