import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.pgbackup.events.Topics;

/**
 * The secured broker's contents, in one JVM, on a fresh data directory and an existing one alike:
 * java -cp KAFKA_CP:SHARED_EVENTS_JAR SecureBootstrap.java BROKER_LISTENER TLS_DIR SECRETS_DIR.
 * It connects to the inter-broker listener with the broker's own certificate (a super user), so it
 * needs no password of its own; each principal's SCRAM-SHA-512 password is read from
 * SECRETS_DIR/kafka-NAME-password (never an argument). Topics as shared-events lays them out; ACLs
 * so that each principal writes only what it publishes and reads only what it consumes.
 * {@code SecureBootstrap --topics-only BOOTSTRAP}: only the topics, over plaintext (the compose
 * stack's broker, compiled into its image by make images).
 */
public class SecureBootstrap {

    static final List<String> PRINCIPALS = List.of("scheduler", "executor", "health", "notifier", "operator");

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--topics-only")) {
            // The compose stack's broker (plaintext on its own network and on the host's loopback):
            // its topics, as make up lays them out, and nothing else.
            try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", args[1]))) {
                createTopics(admin);
            }
            return;
        }
        Path tls = Path.of(args[1]);
        Path secrets = Path.of(args[2]);
        Map<String, Object> config = Map.of("bootstrap.servers", args[0], "security.protocol", "SSL",
                "ssl.keystore.type", "PEM", "ssl.keystore.location", tls.resolve("kafka-broker.pem").toString(),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", tls.resolve("ca.pem").toString());
        try (AdminClient admin = AdminClient.create(config)) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (String name : PRINCIPALS) {
                String password = Files.readString(secrets.resolve("kafka-" + name + "-password")).trim();
                users.add(new UserScramCredentialUpsertion(name,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
            }
            admin.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            System.out.println("SCRAM-SHA-512 credentials set for " + PRINCIPALS);

            createTopics(admin);

            List<AclBinding> acls = new ArrayList<>();
            // Who writes what: requests by the scheduler and operators; answers and reports by executors
            // (the coordinator answers requests nobody claims); health's transitions by health; each
            // dead-letter queue by the service that consumes its topic for the contract.
            write(acls, "scheduler", Topics.BACKUP_REQUESTS, Topics.RESTORE_REQUESTS, Topics.BACKUP_EVENTS,
                    Topics.BACKUP_SCHEDULES, Topics.BACKUP_REQUESTS_DLQ, Topics.RESTORE_REQUESTS_DLQ);
            write(acls, "executor", Topics.BACKUP_EVENTS, Topics.BACKUP_STATUS);
            write(acls, "health", Topics.BACKUP_HEALTH, Topics.deadLetters(Topics.BACKUP_EVENTS),
                    Topics.deadLetters(Topics.BACKUP_STATUS), Topics.deadLetters(Topics.BACKUP_SCHEDULES));
            write(acls, "notifier", Topics.deadLetters(Topics.BACKUP_HEALTH));
            write(acls, "operator", Topics.BACKUP_REQUESTS, Topics.RESTORE_REQUESTS);
            read(acls, "scheduler", Topics.BACKUP_REQUESTS, Topics.BACKUP_EVENTS, Topics.RESTORE_REQUESTS);
            read(acls, "executor", Topics.BACKUP_REQUESTS, Topics.RESTORE_REQUESTS, Topics.BACKUP_STATUS);
            read(acls, "health", Topics.BACKUP_EVENTS, Topics.BACKUP_STATUS, Topics.BACKUP_SCHEDULES,
                    Topics.BACKUP_REQUESTS, Topics.RESTORE_REQUESTS);
            read(acls, "notifier", Topics.BACKUP_EVENTS, Topics.BACKUP_HEALTH);
            // Operators read everything (follow requests, audit the dead-letter queues).
            read(acls, "operator", Topics.LAYOUT.stream().map(Topics.Layout::name).toArray(String[]::new));
            group(acls, "scheduler", "backup-coordinator", PatternType.LITERAL);
            group(acls, "executor", "executor-", PatternType.PREFIXED);
            group(acls, "health", "health-service", PatternType.LITERAL);
            group(acls, "notifier", "notifier-service", PatternType.LITERAL);
            group(acls, "operator", "operator-", PatternType.PREFIXED);
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            System.out.println(acls.size() + " ACLs in place");
        }
    }

    static void write(List<AclBinding> acls, String user, String... topics) {
        for (String topic : topics) {
            allow(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
            allow(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE);
        }
    }

    static void read(List<AclBinding> acls, String user, String... topics) {
        for (String topic : topics) {
            allow(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ);
            allow(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE);
        }
    }

    static void group(List<AclBinding> acls, String user, String group, PatternType pattern) {
        allow(acls, user, ResourceType.GROUP, group, pattern, AclOperation.READ);
        allow(acls, user, ResourceType.GROUP, group, pattern, AclOperation.DESCRIBE);
    }

    static void allow(List<AclBinding> acls, String user, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }

    /** The contract's topics, as shared-events lays them out; existing ones are left as they are. */
    static void createTopics(AdminClient admin) throws Exception {
        List<NewTopic> topics = Topics.LAYOUT.stream().map(t -> {
            NewTopic topic = new NewTopic(t.name(), t.partitions(), (short) 1);
            return t.compacted() ? topic.configs(Map.of("cleanup.policy", "compact")) : topic;
        }).toList();
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
