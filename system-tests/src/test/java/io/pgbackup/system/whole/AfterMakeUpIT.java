package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pgbackup.system.harness.Http;
import io.pgbackup.system.harness.Scripts;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/** What a user finds right after make up: a healthy stanza, writes closed to strangers, the check OK. */
@Tag("whole")
@Order(1)
class AfterMakeUpIT {

    private final Stack stack = WholeSystem.stack();

    @Test
    void theHealthJsonSaysHealthyAfterMakeUpsFirstBackup() {
        assertEquals("healthy", stack.health().status(WholeSystem.STANZA),
                "after make up, GET /stanzas/main: " + stack.health().stanza(WholeSystem.STANZA));
    }

    @Test
    void restWritesNeedTheOperatorsTokenWhichOnlyItsOwnerCanRead() throws Exception {
        String body = "{\"stanza\":\"main\",\"backupType\":\"full\"}";
        Http.Response anonymous = stack.scheduler().post("/backups", body, null);
        Http.Response wrong = stack.scheduler().post("/backups", body, "not-" + WholeSystem.newId());
        assertEquals(401, anonymous.status(), "an anonymous POST /backups: " + anonymous.body());
        assertEquals(401, wrong.status(), "a POST /backups with a wrong token: " + wrong.body());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                stack.scheduler().tokenFile())), "mode of " + stack.scheduler().tokenFile());
    }

    @Test
    void healthShowsTheExecutorsArchivingReportAndTheNagiosCheckSaysOk() {
        Awaitility.await("the executor's archiving report (walReady 0)").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> stack.health().stanza(WholeSystem.STANZA).path("archiving").path("walReady")
                        .asInt(-1) == 0);
        assertEquals(WholeSystem.EXECUTOR_ID,
                stack.health().stanza(WholeSystem.STANZA).path("executor").path("id").asText(),
                "the executor named in GET /stanzas/main: " + stack.health().stanza(WholeSystem.STANZA));
        Os.Result check = Scripts.of(stack).run("check-backup-health.sh");
        assertEquals(0, check.exitCode(), "check-backup-health.sh: " + check.output());
        assertEquals("BACKUP OK - all stanzas healthy", check.output().trim().split("\\|")[0],
                "check-backup-health.sh's line");
    }
}
