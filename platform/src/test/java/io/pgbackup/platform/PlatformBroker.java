package io.pgbackup.platform;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;

import io.pgbackup.testsupport.KafkaProcess;
import io.pgbackup.testsupport.Os;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A broker of its own for the platform's tests, so one of them can stop and start it. */
public class PlatformBroker implements QuarkusTestResourceLifecycleManager {

    public static final String TEST_TOPIC = "platform.test";
    public static final String OUTBOX_TOPIC = "pgbackup.outbox";
    /** For the ordering case of OutboxTest, so the bulk case can count OUTBOX_TOPIC exactly. */
    public static final String ORDER_TOPIC = "pgbackup.outbox.order";
    private static KafkaProcess kafka;

    public static synchronized KafkaProcess kafka() {
        if (kafka == null) {
            kafka = KafkaProcess.start(Os.postgresOwnedDir("platform-kafka-"));
            try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TEST_TOPIC, 1, (short) 1),
                        new NewTopic(TEST_TOPIC + ".dlq", 1, (short) 1), new NewTopic(OUTBOX_TOPIC, 3, (short) 1),
                        new NewTopic(ORDER_TOPIC, 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // Closed when the JVM exits: every test class of the module uses it.
    }
}
