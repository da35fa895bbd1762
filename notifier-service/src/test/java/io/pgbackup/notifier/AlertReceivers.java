package io.pgbackup.notifier;

import java.util.HashMap;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.pgbackup.testsupport.FreePorts;
import io.pgbackup.testsupport.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server (GreenMail) and a real HTTP server standing in for Slack, both on
 * 127.0.0.1, with planted secrets that must never show up in logs, topics or HTTP bodies.
 */
public class AlertReceivers implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET = "planted-webhook-secret-3f9a1c";
    public static final String SMTP_PASSWORD = "planted-smtp-password-77c1e2";
    public static final String ONCALL = "oncall@example.org";
    public static final String DBA = "dba@example.org";

    static WebhookReceiver slack;
    static GreenMail smtp;

    @Override
    public Map<String, String> start() {
        slack = new WebhookReceiver();
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.setUser("alerts@example.org", "alerts", SMTP_PASSWORD);
        Map<String, String> config = new HashMap<>();
        config.put("notifier.slack.webhook-url", slack.url("/services/T0PLANTED/B0PLANTED/" + WEBHOOK_SECRET));
        config.put("notifier.email.to", ONCALL);
        config.put("notifier.email.from", "pg-backup@example.org");
        config.put("quarkus.mailer.from", "pg-backup@example.org");
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", String.valueOf(smtp.getSmtp().getPort()));
        config.put("quarkus.mailer.username", "alerts");
        config.put("quarkus.mailer.password", SMTP_PASSWORD);
        config.put("quarkus.mailer.login", "REQUIRED");
        config.put("quarkus.mailer.start-tls", "DISABLED");
        return config;
    }

    @Override
    public void stop() {
        if (slack != null) {
            slack.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }
}
