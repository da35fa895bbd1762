package io.pgbackup.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Records about stanzas nobody configured cannot grow the fleet past its limit (here 3). */
@QuarkusTest
@TestProfile(StanzaLimitTest.Limit3.class)
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class StanzaLimitTest extends KafkaTest {

    public static class Limit3 implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("health.max-unconfigured-stanzas", "3");
        }
    }

    @Test
    void strayStanzasPastTheLimitAreLeftOutAndGetSaysSo() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 1; i <= 5; i++) {
            String stanza = "stray-" + run + "-" + i;
            StanzaStatusReported r = new StanzaStatusReported(1, UUID.randomUUID(), stanza, "rogue", Instant.now(), 60,
                    null, null);
            topics.companion().produceStrings()
                    .fromRecords(new ProducerRecord<>(Topics.BACKUP_STATUS, stanza, EventCodec.encode(r)))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/").then()
                .body("messages.code", hasItem("FLEET_LIMIT")));
        List<String> fleet = given().get("/stanzas").then().extract().jsonPath().getList("stanza");
        long joined = fleet.stream().filter(s -> s.startsWith("stray-" + run)).count();
        assertTrue(joined <= 3, "at most the limit joined: " + fleet);
        assertTrue(fleet.contains("main"), "a configured stanza is always in the fleet: " + fleet);
    }
}
