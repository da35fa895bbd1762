package io.pgbackup.system.whole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.system.harness.Kafka;
import io.pgbackup.system.harness.Stack;
import io.pgbackup.testsupport.Os;

/**
 * The broker takes SASL_SSL logins only, and each principal writes only what it publishes:
 * anonymous and wrong-password clients are refused, health may not write backup.requests, executors
 * may not write restore.requests, the operator's login may.
 */
@Tag("whole")
@Order(3)
class KafkaSecurityIT {

    private final Stack stack = WholeSystem.stack();

    @Test
    void anonymousAndWrongPasswordClientsAreRefused() {
        // kcat as a user would try: plaintext, no login.
        Os.Result anonymous = Os.run(List.of("kcat", "-b", "127.0.0.1:" + stack.ports().kafka(), "-L", "-m", "5"),
                java.util.Map.of(), Duration.ofSeconds(30), null);
        assertTrue(anonymous.exitCode() != 0 && !anonymous.output().contains("backup.requests"),
                "an anonymous kcat must not list the topics; it printed (" + anonymous.exitCode() + "): "
                        + Os.tail(anonymous.output(), 3));
        Properties wrong = stack.kafkaClient("operator");
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"operator\" password=\"wrong\";");
        wrong.put("request.timeout.ms", "20000");
        wrong.put("default.api.timeout.ms", "20000");
        try (Admin admin = Admin.create(wrong)) {
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(30, TimeUnit.SECONDS),
                    "a wrong password must not list the topics");
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause(),
                    "the refusal of a wrong password: " + refused.getCause());
        }
    }

    private static Throwable sendAs(Properties client, String topic, String value) {
        try (KafkaProducer<String, String> producer = Kafka.producer(client)) {
            producer.send(new ProducerRecord<>(topic, "main", value)).get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void healthCannotWriteBackupRequestsNorExecutorsRestoreRequests() {
        Throwable asHealth = sendAs(stack.kafkaClient("health"), "backup.requests",
                WholeSystem.request(WholeSystem.newId(), "main", "full"));
        Throwable asExecutor = sendAs(stack.kafkaClient("executor"), "restore.requests",
                "{\"type\":\"RestoreRequested\"}");
        assertInstanceOf(TopicAuthorizationException.class, asHealth, "health writing backup.requests: " + asHealth);
        assertInstanceOf(TopicAuthorizationException.class, asExecutor,
                "an executor writing restore.requests: " + asExecutor);
    }

    @Test
    void theOperatorsScramLoginWritesARequestThatGetsAnswered() {
        String probe = WholeSystem.newId();
        Throwable asOperator = sendAs(stack.kafkaClient("operator"), "backup.requests",
                WholeSystem.request(probe, "bad stanza!", "full"));
        assertEquals(null, asOperator, "the operator's publish");
        JsonNode answer = stack.kafka().events().awaitAnswer(probe, Duration.ofSeconds(60));
        assertEquals("BackupFailed", answer.path("type").asText(), "the answer to an invalid request: " + answer);
    }
}
