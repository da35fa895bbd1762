package io.pgbackup.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;

import io.pgbackup.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A real single-node KRaft Kafka broker in the test JVM (no Docker). Shared by every test class of
 * the JVM: declare it with {@code @WithTestResource(value = KafkaBroker.class, scope = GLOBAL)}.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;
    private static String bootstrapServers;

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = new EmbeddedKafkaBroker()
                    .withKafkaHost("127.0.0.1")
                    .withKafkaPort(FreePorts.next())
                    .withControllerPort(FreePorts.next())
                    .withDeleteLogDirsOnClose(true)
                    .withAdditionalProperties(p -> {
                        p.put("group.initial.rebalance.delay.ms", "0");
                        // Restart tests let a killed consumer's session end in seconds, not 45.
                        p.put("group.min.session.timeout.ms", "2000");
                        p.put("num.partitions", "3");
                    })
                    .start();
            String listeners = broker.getAdvertisedListeners();
            bootstrapServers = listeners.substring(listeners.indexOf("//") + 2);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            createTopics(bootstrapServers);
        }
        return bootstrapServers;
    }

    /** The topics of the contract and their dead-letter topics, laid out as `make up` makes them. */
    public static void createTopics(String bootstrapServers) {
        List<NewTopic> topics = Topics.LAYOUT.stream().map(KafkaBroker::newTopic).toList();
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    static NewTopic newTopic(Topics.Layout layout) {
        NewTopic topic = new NewTopic(layout.name(), layout.partitions(), (short) 1);
        return layout.compacted() ? topic.configs(Map.of("cleanup.policy", "compact")) : topic;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // Closed by the JVM shutdown hook: other test classes of this JVM still use it.
    }
}
