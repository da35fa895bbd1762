package io.pgbackup.testsupport;

import java.util.Map;

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
                        p.put("num.partitions", "3");
                    })
                    .start();
            String listeners = broker.getAdvertisedListeners();
            bootstrapServers = listeners.substring(listeners.indexOf("//") + 2);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return bootstrapServers;
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
