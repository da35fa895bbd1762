package io.pgbackup.health.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupType;
import io.pgbackup.events.EventCodec;
import io.pgbackup.events.Topics;
import io.pgbackup.testsupport.KafkaBroker;
import io.pgbackup.testsupport.KafkaTest;
import io.pgbackup.testsupport.StateDatabase;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard in a real headless Chromium (Debian packages chromium and chromium-driver): an
 * unhealthy stanza shows in red with its reason, its page shows the failure in the timeline, and a
 * screenshot of each page is kept in target/. In its own package so that, in surefire's
 * alphabetical order, it runs after HealthEndpointTest, which needs a fleet of only its own stanzas.
 */
@QuarkusTest
@WithTestResource(value = KafkaBroker.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = StateDatabase.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserTest extends KafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    @TestHTTPResource("/dashboard")
    String dashboard;

    private static void publish(BackupEvent event) {
        topics.companion().produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.BACKUP_EVENTS, event.stanza(), EventCodec.encode(event)))
                .awaitCompletion(WAIT);
    }

    private static WebDriver chromium() {
        File driver = new File(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
        File browser = new File(System.getProperty("chromium", "/usr/bin/chromium"));
        assertTrue(driver.canExecute() && browser.canExecute(), "this test needs the Debian packages chromium and"
                + " chromium-driver (" + browser + ", " + driver + "); scripts/test.sh installs them");
        ChromeOptions options = new ChromeOptions().setBinary(browser).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver).build(), options);
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        assertArrayEquals(PNG, Arrays.copyOf(png, 4), "a PNG screenshot");
        assertTrue(png.length > 10_000, "a real page, not a blank: " + png.length + " bytes");
        Files.write(Path.of("target", name), png);
    }

    @Test
    void anUnhealthyStanzaIsRedWithItsReasonAndItsTimelineShowsTheFailure() throws Exception {
        Instant now = Instant.now();
        publish(new BackupCompleted(1, UUID.randomUUID(), UUID.randomUUID(), "dash-ok", "exec-d", now, BackupType.FULL,
                BackupType.FULL,
                false, "20261125-000000F", null, now.minusSeconds(30), now, 30.0, 1L, 1L, 1L, null, null, null,
                null));
        UUID failed = UUID.randomUUID();
        publish(new BackupFailed(1, UUID.randomUUID(), failed, "dash-bad", "exec-d", now, "full", "DB_CONNECT",
                56, "pgbackrest could not connect to PostgreSQL: is it running?", true, null));
        Awaitility.await().atMost(WAIT).until(() -> io.restassured.RestAssured.get("/stanzas/dash-bad")
                .statusCode() == 200);

        WebDriver browser = chromium();
        try {
            browser.get(dashboard);
            WebElement bad = browser.findElement(By.id("stanza-dash-bad"));
            WebElement status = bad.findElement(By.cssSelector("td.status"));
            assertEquals("unhealthy", status.getText());
            assertEquals("rgba(198, 40, 40, 1)", status.getCssValue("background-color"), "red");
            assertTrue(bad.getText().contains("LAST_BACKUP_FAILED"), bad.getText());
            assertTrue(bad.getText().contains("could not connect to PostgreSQL"), bad.getText());
            WebElement ok = browser.findElement(By.id("stanza-dash-ok")).findElement(By.cssSelector("td.status"));
            assertEquals("rgba(46, 125, 50, 1)", ok.getCssValue("background-color"), "green");
            assertEquals("unhealthy", browser.findElement(By.id("fleet-status")).getText());
            screenshot(browser, "dashboard-fleet.png");

            bad.findElement(By.linkText("dash-bad")).click();
            Awaitility.await().atMost(WAIT).until(() -> browser.getTitle().startsWith("dash-bad"));
            WebElement failure = browser.findElement(By.cssSelector("ol.timeline li.event-failed"));
            assertTrue(failure.getText().contains("BackupFailed") && failure.getText().contains("DB_CONNECT"),
                    failure.getText());
            assertTrue(failure.getText().contains(failed.toString()), failure.getText());
            screenshot(browser, "dashboard-stanza.png");
        } finally {
            browser.quit();
        }
    }
}
