package io.pgbackup.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupType;

/** The seed's schedules as pure logic; 2026-11-29 is a Sunday. */
class StanzaScheduleTest {

    private static final Map<BackupType, String> SEED = Map.of(BackupType.FULL, "0 2 * * 0", BackupType.DIFF,
            "0 2 * * 1-6", BackupType.INCR, "0 */6 * * *");

    private final StanzaSchedule seed = new StanzaSchedule("main", ZoneOffset.UTC, SEED);

    private Optional<BackupType> at(String instant) {
        return seed.dueAt(Instant.parse(instant));
    }

    @Test
    void sundayTwoAmIsAFullAndNoDiff() {
        assertEquals(Optional.of(BackupType.FULL), at("2026-11-29T02:00:00Z"));
        assertEquals(Optional.of(BackupType.FULL), at("2026-11-29T02:00:59Z"));
        assertEquals(Optional.empty(), at("2026-11-29T02:01:00Z"));
    }

    @Test
    void mondayToSaturdayTwoAmIsADiff() {
        for (int day = 30; day <= 30 + 5; day++) {
            String date = day == 30 ? "2026-11-30" : String.format("2026-12-%02d", day - 30);
            assertEquals(Optional.of(BackupType.DIFF), at(date + "T02:00:00Z"), date);
        }
    }

    @Test
    void incrEverySixHoursAndNothingBetween() {
        for (String hour : new String[]{"00", "06", "12", "18"}) {
            assertEquals(Optional.of(BackupType.INCR), at("2026-12-01T" + hour + ":00:00Z"), hour);
        }
        assertEquals(Optional.empty(), at("2026-12-01T03:00:00Z"));
        assertEquals(Optional.empty(), at("2026-12-01T06:01:00Z"));
    }

    @Test
    void whenSeveralFireInOneMinuteOnlyTheStrongestIsDue() {
        var everything = new StanzaSchedule("x", ZoneOffset.UTC,
                Map.of(BackupType.FULL, "0 2 * * 0", BackupType.DIFF, "0 2 * * *", BackupType.INCR, "0 * * * *"));
        assertEquals(Optional.of(BackupType.FULL), everything.dueAt(Instant.parse("2026-11-29T02:00:00Z")));
        assertEquals(Optional.of(BackupType.DIFF), everything.dueAt(Instant.parse("2026-11-30T02:00:00Z")));
        assertEquals(Optional.of(BackupType.INCR), everything.dueAt(Instant.parse("2026-11-30T03:00:00Z")));
    }

    @Test
    void theTimeZoneDecidesWhatTwoAmIs() {
        var berlin = new StanzaSchedule("main", ZoneId.of("Europe/Berlin"), SEED);
        assertEquals(Optional.of(BackupType.FULL), berlin.dueAt(Instant.parse("2026-11-29T01:00:00Z")));
        assertEquals(Optional.empty(), berlin.dueAt(Instant.parse("2026-11-29T02:00:00Z")));
    }

    @Test
    void theLatestPlannedFireIsTheStrongestOfThatMinute() {
        var fire = seed.latestAtOrBefore(Instant.parse("2026-11-29T05:59:00Z")).orElseThrow();
        assertEquals(Instant.parse("2026-11-29T02:00:00Z"), fire.plannedAt());
        assertEquals(BackupType.FULL, fire.type());
        var incr = seed.latestAtOrBefore(Instant.parse("2026-11-29T06:00:30Z")).orElseThrow();
        assertEquals(BackupType.INCR, incr.type());
    }

    @Test
    void noneSwitchesATypeOffAndNonsenseIsRefusedWithTheStanza() {
        var noIncr = new StanzaSchedule("quiet", ZoneOffset.UTC,
                Map.of(BackupType.FULL, "0 2 * * 0", BackupType.DIFF, "none", BackupType.INCR, "none"));
        assertEquals(Optional.empty(), noIncr.dueAt(Instant.parse("2026-12-01T06:00:00Z")));
        var e = assertThrows(IllegalArgumentException.class, () -> new StanzaSchedule("main", ZoneOffset.UTC,
                Map.of(BackupType.FULL, "every sunday")));
        assertTrue(e.getMessage().contains("schedule full of stanza main"), e.getMessage());
    }
}
