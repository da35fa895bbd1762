package io.pgbackup.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that publish to and watch the test broker's topics: {@link #topics} is
 * open for the class's tests and closed after them. A base class, not an extension: Quarkus runs
 * a test class in its own class loader, and a static field of the class is what its tests see.
 * The class still names its test resources ({@link KafkaBroker} among them) itself.
 */
public abstract class KafkaTest {

    protected static KafkaTopics topics;

    @BeforeAll
    protected static void openTopics() {
        topics = new KafkaTopics(KafkaBroker.bootstrapServers());
    }

    @AfterAll
    protected static void closeTopics() {
        topics.close();
    }
}
