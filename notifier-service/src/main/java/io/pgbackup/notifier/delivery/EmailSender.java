package io.pgbackup.notifier.delivery;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.pgbackup.notifier.config.NotifierConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/** Email through the Quarkus mailer (QUARKUS_MAILER_HOST, _PORT, _USERNAME, _PASSWORD, ...). */
@ApplicationScoped
public class EmailSender {

    private final Mailer mailer;
    private final NotifierConfig config;

    public EmailSender(Mailer mailer, NotifierConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    public SendResult send(String recipients, String subject, String text, String html) {
        List<String> to = Arrays.stream(recipients.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        try {
            mailer.send(new Mail().setTo(to)
                    .setFrom(config.email().from().filter(f -> !f.isBlank()).orElse("pg-backup@localhost"))
                    .setSubject(subject).setText(text)
                    .setHtml(html));
            return SendResult.sent();
        } catch (RuntimeException e) {
            // Mailer errors can quote the server's answer; keep the type only (no credentials echoed).
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return SendResult.retry(root.getClass().getSimpleName(), Optional.empty());
        }
    }
}
