package io.pgbackup.health;

import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.ScheduleKind;
import io.pgbackup.events.SchedulePlan;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What health expects of a stanza follows the scheduler's plan on backup.schedules: a new plan
 * replaces the old, a tombstone removes it.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class SchedulePlanTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static void plan(String stanza, Instant at, String fullCron) {
        topics.publish(Topics.BACKUP_SCHEDULES, stanza, EventCodec.encode(new SchedulePlan(1, UUID.randomUUID(), stanza,
                at, "Europe/Zurich", List.of(new SchedulePlan.Planned(ScheduleKind.FULL, fullCron, null, null),
                        new SchedulePlan.Planned(ScheduleKind.DRILL, "0 4 * * 0", null, null)),
                3)));
    }

    @Test
    void aChangedPlanChangesWhatIsExpectedAndATombstoneRemovesIt() {
        String stanza = "planned-" + UUID.randomUUID().toString().substring(0, 8);
        Instant first = Instant.now();
        plan(stanza, first, "0 2 * * 0");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> get("/stanzas/" + stanza).then().statusCode(200)
                .body("schedule.timeZone", equalTo("Europe/Zurich")).body("schedule.drillAfterBackups", equalTo(3))
                .body("schedule.schedules.kind", equalTo(List.of("full", "drill")))
                .body("schedule.schedules[0].cron", equalTo("0 2 * * 0")));

        plan(stanza, first.plusSeconds(60), "30 1 * * 6");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> get("/stanzas/" + stanza).then()
                .body("schedule.schedules[0].cron", equalTo("30 1 * * 6")));
        topics.publish(Topics.BACKUP_SCHEDULES, stanza, null);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> get("/stanzas/" + stanza).then()
                .body("schedule", nullValue()));
    }
}
