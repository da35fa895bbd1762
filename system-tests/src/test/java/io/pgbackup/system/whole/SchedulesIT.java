package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.ChildService;
import io.pgbackup.system.harness.Http;
import io.pgbackup.system.harness.Kafka;
import io.pgbackup.system.harness.Stack;

/** Schedules as the scheduler publishes them, and their fires across replicas and a crash. */
@Tag("whole")
@Order(9)
class SchedulesIT {

    private final Stack stack = WholeSystem.stack();

    @Test
    void aFullScheduleChangedOnTheSchedulerAloneIsWhatHealthExpects() {
        stack.stop("scheduler");
        stack.upAgain(Map.of("BACKUP_SCHEDULE_FULL", "17 3 * * 2"));
        Awaitility.await("health showing the new full schedule").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    JsonNode schedules = stack.health().stanza("main").path("schedule").path("schedules");
                    boolean shown = false;
                    for (JsonNode s : schedules) {
                        shown |= "full".equals(s.path("kind").asText()) && "17 3 * * 2".equals(s.path("cron").asText());
                    }
                    assertTrue(shown, "expected a full schedule '17 3 * * 2' in health's plan, got " + schedules);
                });
    }

    /** The planned minute of each ghost request on backup.requests, with how often it was requested. */
    private Map<Instant, Integer> ghostMinutes() {
        Map<Instant, Integer> minutes = new TreeMap<>();
        for (Kafka.Message m : stack.kafka().readAll("backup.requests")) {
            try {
                JsonNode r = Http.JSON.readTree(m.value());
                if (WholeSystem.GHOST.equals(r.path("stanza").asText())) {
                    minutes.merge(Instant.parse(r.path("plannedAt").asText()), 1, Integer::sum);
                }
            } catch (Exception e) {
                // not a request (the poison checks publish such records)
            }
        }
        return minutes;
    }

    @Test
    void twoMoreSchedulersOnOneDatabaseOneKilledAndRestartedRequestEachPlannedMinuteExactlyOnce() {
        Instant restarted = WholeSystem.replicaRestarted();
        Awaitility.await("two planned minutes of the ghost schedule after the restart").atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(5))
                .until(() -> ghostMinutes().keySet().stream().filter(m -> m.isAfter(restarted)).count() >= 2);
        List<ChildService> replicas = WholeSystem.schedulerReplicas();
        replicas.forEach(ChildService::stop);
        Map<Instant, Integer> minutes = ghostMinutes();
        Map<Instant, Integer> twice = new TreeMap<>(minutes);
        twice.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), twice, "planned minutes requested more than once (all: " + minutes + ")");
    }
}
