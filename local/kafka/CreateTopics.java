import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.pgbackup.events.Topics;

/**
 * Creates the contract's topics as shared-events lays them out (Topics.LAYOUT), in one JVM:
 * java -cp KAFKA_CP:SHARED_EVENTS_JAR CreateTopics.java BOOTSTRAP. Topics that exist already are
 * left as they are.
 */
public class CreateTopics {

    public static void main(String[] args) throws Exception {
        List<NewTopic> topics = Topics.LAYOUT.stream().map(t -> {
            NewTopic topic = new NewTopic(t.name(), t.partitions(), (short) 1);
            return t.compacted() ? topic.configs(Map.of("cleanup.policy", "compact")) : topic;
        }).toList();
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", args[0]))) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                    System.out.println("created " + entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    System.out.println("exists " + entry.getKey());
                }
            }
        }
    }
}
