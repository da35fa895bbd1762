package io.pgbackup.health.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.StanzaStatusReported;
import io.pgbackup.health.persistence.StanzaState;

/**
 * The time-driven rules with a chosen clock: schedule-aware staleness, drills, retention and the
 * heartbeat. (Pure logic; the rules fed by real events are in HealthStatusTest.)
 */
class HealthRulesTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    /** Weekly full on Sunday 02:00, diff Monday to Saturday 02:00, incr every 6 h, drill Sunday 04:00. */
    private static final Schedules DEFAULT = Schedules.of(UTC, "0 2 * * 0", "0 2 * * 1-6", "0 */6 * * *",
            "0 4 * * 0");
    private static final HealthRules.Policy POLICY = new HealthRules.Policy(Duration.ofDays(8), Duration.ofHours(3),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofDays(7), Instant.EPOCH);

    private static StanzaState stanza(Instant firstSeen) {
        StanzaState s = new StanzaState();
        s.stanza = "main";
        s.firstSeenAt = firstSeen;
        return s;
    }

    private static List<String> codes(HealthRules.StanzaHealth h) {
        return h.messages().stream().map(HealthRules.Message::code).toList();
    }

    @Test
    void aMissedDiffIsNamedWithItsScheduleOnceTheGraceHasPassed() {
        // Wednesday 2026-11-25: the diff of 02:00 is due; the newest backup is Tuesday's diff.
        StanzaState s = stanza(Instant.parse("2026-11-01T00:00:00Z"));
        s.lastSuccessAt = Instant.parse("2026-11-25T04:10:00Z");
        s.lastIncrAt = s.lastSuccessAt;
        s.lastDiffAt = Instant.parse("2026-11-24T02:20:00Z");
        s.lastFullAt = Instant.parse("2026-11-22T02:30:00Z");
        s.lastDrillAt = Instant.parse("2026-11-22T04:10:00Z");
        s.lastDrillOutcome = "RestoreCompleted";

        HealthRules.StanzaHealth withinGrace = HealthRules.evaluate(new HealthRules.Observed(s, null, DEFAULT),
                Instant.parse("2026-11-25T04:59:00Z"), POLICY);
        assertEquals(HealthStatus.HEALTHY, withinGrace.status(), withinGrace.messages().toString());

        HealthRules.StanzaHealth late = HealthRules.evaluate(new HealthRules.Observed(s, null, DEFAULT),
                Instant.parse("2026-11-25T05:01:00Z"), POLICY);
        assertEquals(HealthStatus.UNHEALTHY, late.status());
        assertEquals(List.of("BACKUP_MISSED"), codes(late));
        String message = late.messages().get(0).message();
        assertTrue(message.contains("diff backup") && message.contains("'0 2 * * 1-6'")
                && message.contains("2026-11-25T02:00:00Z"), message);

        // A full completed after the planned diff satisfies it.
        s.lastFullAt = Instant.parse("2026-11-25T03:00:00Z");
        assertEquals(HealthStatus.HEALTHY, HealthRules.evaluate(new HealthRules.Observed(s, null, DEFAULT),
                Instant.parse("2026-11-25T05:01:00Z"), POLICY).status());
    }

    @Test
    void aNewStanzaIsNotBlamedForScheduleFiresBeforeItExisted() {
        StanzaState s = stanza(Instant.parse("2026-11-25T03:00:00Z"));
        HealthRules.StanzaHealth h = HealthRules.evaluate(new HealthRules.Observed(s, null, DEFAULT),
                Instant.parse("2026-11-25T05:01:00Z"), POLICY);
        assertEquals(List.of("NO_BACKUP"), codes(h));
    }

    @Test
    void aDrillThatDidNotRunWhenPlannedDegradesTheStanza() {
        StanzaState s = stanza(Instant.parse("2026-11-01T00:00:00Z"));
        s.lastSuccessAt = Instant.parse("2026-11-22T08:10:00Z");
        s.lastFullAt = Instant.parse("2026-11-22T02:30:00Z");
        s.lastIncrAt = s.lastSuccessAt;
        s.lastDrillAt = Instant.parse("2026-11-15T04:10:00Z");
        HealthRules.StanzaHealth h = HealthRules.evaluate(new HealthRules.Observed(s, null, DEFAULT),
                Instant.parse("2026-11-22T08:30:00Z"), POLICY);
        assertEquals(HealthStatus.DEGRADED, h.status());
        assertEquals(List.of("DRILL_OVERDUE"), codes(h));
    }

    @Test
    void tooFewFullSetsCountOnlyOnceThePolicyHadTimeToFill() {
        Instant now = Instant.parse("2026-11-25T05:00:00Z");
        StanzaState s = stanza(now.minus(Duration.ofDays(10)));
        s.lastSuccessAt = now.minus(Duration.ofMinutes(30));
        s.lastFullAt = s.lastSuccessAt;
        s.lastDrillAt = now;
        Schedules fullOnly = Schedules.of(UTC, "0 2 * * 0", "none", "none", "none");
        // No minimum window here: this is the retention rule alone.
        HealthRules.Policy policy = new HealthRules.Policy(Duration.ofDays(8), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ZERO, Instant.EPOCH);
        StanzaStatusReported report = report(now, 60, null, List.of(
                new StanzaStatusReported.BackupSet("20261122-020000F", BackupType.FULL, now, now, 1L, 1L, null, null,
                        false)));
        // Policy 4 weekly fulls: 4 weeks to fill, the stanza is 10 days old.
        assertEquals(HealthStatus.HEALTHY, HealthRules.evaluate(new HealthRules.Observed(s, report, fullOnly), now,
                policy).status());
        s.firstSeenAt = now.minus(Duration.ofDays(40));
        HealthRules.StanzaHealth h = HealthRules.evaluate(new HealthRules.Observed(s, report, fullOnly), now, policy);
        assertEquals(List.of("RETENTION_SHORT"), codes(h));
        assertEquals(HealthStatus.DEGRADED, h.status());
    }

    @Test
    void aSilentExecutorIsAllowedThreeOfItsOwnIntervals() {
        Instant now = Instant.parse("2026-11-25T05:00:00Z");
        StanzaState s = stanza(now.minus(Duration.ofHours(1)));
        s.lastSuccessAt = now;
        Schedules none = Schedules.of(UTC, "none", "none", "none", "none");
        HealthRules.Policy policy = new HealthRules.Policy(Duration.ofDays(1), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofDays(7), Instant.EPOCH);
        assertEquals(List.of(), codes(HealthRules.evaluate(
                new HealthRules.Observed(s, report(now.minusSeconds(290), 60, null, List.of()), none), now, policy)));
        assertEquals(List.of("EXECUTOR_SILENT"), codes(HealthRules.evaluate(
                new HealthRules.Observed(s, report(now.minusSeconds(310), 60, null, List.of()), none), now, policy)));
        // An executor reporting every 10 minutes gets 30 minutes.
        assertEquals(List.of(), codes(HealthRules.evaluate(
                new HealthRules.Observed(s, report(now.minusSeconds(1700), 600, null, List.of()), none), now, policy)));
    }

    @Test
    void aRepositoryWithoutBackupsYetIsNoBackupNotARepositoryError() {
        Instant now = Instant.parse("2026-11-25T05:00:00Z");
        StanzaState s = stanza(now.minusSeconds(60));
        Schedules none = Schedules.of(UTC, "none", "none", "none", "none");
        HealthRules.Policy policy = new HealthRules.Policy(Duration.ofDays(1), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofDays(7), Instant.EPOCH);
        // What pgbackrest info says of a stanza created a moment ago: status 2 for it and its repo.
        StanzaStatusReported fresh = new StanzaStatusReported(1, UUID.randomUUID(), "main", "exec-1", now, 60, null,
                new StanzaStatusReported.Repo(now, 2, "no valid backups", 2, null, null, List.of(), 7, 4, null));
        assertEquals(List.of("NO_BACKUP"), codes(HealthRules.evaluate(new HealthRules.Observed(s, fresh, none), now,
                policy)));
        StanzaStatusReported broken = new StanzaStatusReported(1, UUID.randomUUID(), "main", "exec-1", now, 60, null,
                new StanzaStatusReported.Repo(now, 99, "other", 99, null, null, List.of(), 7, 4, null));
        assertEquals(List.of("NO_BACKUP", "REPO_ERROR"), codes(HealthRules.evaluate(new HealthRules.Observed(s,
                broken, none), now, policy)));
    }

    @Test
    void aRecoverabilityWindowShorterThanTheMinimumIsFlaggedOnceTheStanzaIsOlderThanIt() {
        Instant now = Instant.parse("2026-11-25T05:00:00Z");
        StanzaState s = stanza(now.minus(Duration.ofDays(30)));
        s.lastSuccessAt = now.minus(Duration.ofHours(1));
        Schedules none = Schedules.of(UTC, "none", "none", "none", "none");
        HealthRules.Policy policy = new HealthRules.Policy(Duration.ofDays(1), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofDays(7), Instant.EPOCH);
        StanzaStatusReported.Archiver archived = new StanzaStatusReported.Archiver(10L, "000000010000000000000010",
                now.minusSeconds(60), 0L, null, null, 0, "000000010000000000000011", null);
        StanzaStatusReported threeDays = new StanzaStatusReported(1, UUID.randomUUID(), "main", "exec-1", now, 60,
                archived, new StanzaStatusReported.Repo(now, 0, "ok", 0, null, null, List.of(
                        set("20261122-050000F", BackupType.FULL, now.minus(Duration.ofDays(3))),
                        set("20261122-050000F_20261125-040000I", BackupType.INCR, now.minus(Duration.ofHours(1)))),
                        4, 2, null));
        HealthRules.Window w = HealthRules.window(threeDays).orElseThrow();
        assertEquals(now.minus(Duration.ofDays(3)), w.from());
        assertEquals(now.minusSeconds(60), w.to(), "the newest archived WAL, later than the newest set");
        assertEquals(Duration.ofDays(3).minusSeconds(60).toSeconds(), w.seconds());
        assertEquals(true, w.continuous());
        HealthRules.StanzaHealth h = HealthRules.evaluate(new HealthRules.Observed(s, threeDays, none), now, policy);
        assertEquals(List.of("WINDOW_SHORT"), codes(h));
        assertEquals(HealthStatus.DEGRADED, h.status());
        // A stanza younger than the minimum cannot have more.
        s.firstSeenAt = now.minus(Duration.ofDays(5));
        assertEquals(List.of(), codes(HealthRules.evaluate(new HealthRules.Observed(s, threeDays, none), now, policy)));
    }

    private static StanzaStatusReported.BackupSet set(String label, BackupType type, Instant stop) {
        return new StanzaStatusReported.BackupSet(label, type, stop.minusSeconds(30), stop, 1L, 1L, null, null, false);
    }

    @Test
    void silenceFromBeforeThisServiceStartedDoesNotCount() {
        Instant now = Instant.parse("2026-11-25T05:00:00Z");
        StanzaState s = stanza(now.minus(Duration.ofDays(1)));
        s.lastSuccessAt = now.minus(Duration.ofHours(1));
        Schedules none = Schedules.of(UTC, "none", "none", "none", "none");
        StanzaStatusReported lastNight = report(now.minus(Duration.ofHours(10)), 60, null, List.of());
        HealthRules.Policy justStarted = new HealthRules.Policy(Duration.ofDays(1), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ZERO, now.minusSeconds(30));
        assertEquals(List.of(), codes(HealthRules.evaluate(new HealthRules.Observed(s, lastNight, none), now,
                justStarted)));
        HealthRules.Policy upForAWhile = new HealthRules.Policy(Duration.ofDays(1), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ZERO, now.minus(Duration.ofMinutes(6)));
        assertEquals(List.of("EXECUTOR_SILENT"), codes(HealthRules.evaluate(new HealthRules.Observed(s, lastNight,
                none), now, upForAWhile)));
    }

    @Test
    void anOffsiteRepositoryWithoutARecentFullOrUnreadableDegradesTheStanza() {
        Instant now = Instant.parse("2026-11-25T05:00:00Z");
        StanzaState s = stanza(now.minus(Duration.ofDays(30)));
        s.lastSuccessAt = now.minus(Duration.ofHours(1));
        s.lastFullAt = now.minus(Duration.ofDays(2));
        s.lastDrillAt = now;
        Schedules none = Schedules.of(UTC, "none", "none", "none", "none");
        StanzaStatusReported.Repo primary = new StanzaStatusReported.Repo(now, 0, "ok", 0, null, null,
                List.of(set("20261123-050000F", BackupType.FULL, s.lastFullAt)), 7, 4, null);
        // No minimum window here: the primary's two days of history are not what this test is about.
        HealthRules.Policy policy = new HealthRules.Policy(Duration.ofDays(8), Duration.ofHours(3),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ZERO, Instant.EPOCH);
        java.util.function.Function<StanzaStatusReported.Repo, List<String>> offsite = repo -> codes(HealthRules
                .evaluate(new HealthRules.Observed(s, new StanzaStatusReported(1, UUID.randomUUID(), "main", "exec-1",
                        now, 60, null, primary, 2, repo), none), now, policy));

        StanzaStatusReported.Repo copied = new StanzaStatusReported.Repo(now, 0, "ok", 0, null, null,
                List.of(set("20261123-050500F", BackupType.FULL, s.lastFullAt.plusSeconds(300))), null, null, null);
        assertEquals(List.of(), offsite.apply(copied));
        StanzaStatusReported.Repo nineDaysOld = new StanzaStatusReported.Repo(now, 0, "ok", 0, null, null,
                List.of(set("20261116-050000F", BackupType.FULL, now.minus(Duration.ofDays(9)))), null, null, null);
        assertEquals(List.of("OFFSITE_STALE"), offsite.apply(nineDaysOld));
        StanzaStatusReported.Repo empty = new StanzaStatusReported.Repo(now, 0, "ok", 0, null, null, List.of(), null,
                null, null);
        assertEquals(List.of("OFFSITE_STALE"), offsite.apply(empty), "the full of two days ago was never copied");
        // A copy not made yet reads "no valid backups" (2): judged by the age of the full it should copy.
        StanzaStatusReported.Repo notYet = new StanzaStatusReported.Repo(now, 2, "no valid backups", 0, null, null,
                List.of(), null, null, null);
        assertEquals(List.of("OFFSITE_STALE"), offsite.apply(notYet));
        s.lastFullAt = now.minus(Duration.ofMinutes(5));
        assertEquals(List.of(), offsite.apply(notYet), "the first full is minutes old: its copy may still come");
        s.lastFullAt = now.minus(Duration.ofDays(2));
        StanzaStatusReported.Repo unreachable = new StanzaStatusReported.Repo(now, 99, "other", 99, null, null,
                List.of(), null, null, null);
        assertEquals(List.of("OFFSITE_STALE"), offsite.apply(unreachable));
        assertEquals(HealthStatus.DEGRADED, HealthRules.evaluate(new HealthRules.Observed(s, new StanzaStatusReported(
                1, UUID.randomUUID(), "main", "exec-1", now, 60, null, primary, 2, unreachable), none), now, policy)
                .status());
        // Without an offsite repository nothing is expected of one.
        assertEquals(List.of(), codes(HealthRules.evaluate(new HealthRules.Observed(s, new StanzaStatusReported(1,
                UUID.randomUUID(), "main", "exec-1", now, 60, null, primary), none), now, policy)));
    }

    private static StanzaStatusReported report(Instant at, long interval, StanzaStatusReported.Archiver archiver,
            List<StanzaStatusReported.BackupSet> sets) {
        return new StanzaStatusReported(1, UUID.randomUUID(), "main", "exec-1", at, interval, archiver,
                new StanzaStatusReported.Repo(at, 0, "ok", 0, null, null, sets, 4, 2, null));
    }
}
