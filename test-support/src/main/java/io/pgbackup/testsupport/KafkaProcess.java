package io.pgbackup.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * A real single-node KRaft broker as its own process (the same kafka_2.13 jars as the test JVM),
 * so a test can stop it, kill it and start it again on the same port and log directory: a broker
 * outage, as when the host of the broker restarts.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private ChildProcess process;
    private int starts;

    private KafkaProcess(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a new log directory and starts the broker; topics of the contract are created. */
    public static KafkaProcess start(Path dir) {
        KafkaProcess kafka = new KafkaProcess(dir, FreePorts.next(), FreePorts.next());
        kafka.format();
        kafka.startAgain();
        KafkaBroker.createTopics(kafka.bootstrapServers());
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private void format() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller", "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"), "num.partitions=3", "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", "group.min.session.timeout.ms=2000", ""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Os.check(Os.run(List.of(java(), "-cp", classpath(), "kafka.tools.StorageTool", "format", "-t",
                "4L6g3nShT-eMCtK--X86sw", "-c", dir.resolve("server.properties").toString()), Duration.ofMinutes(1)),
                "kafka storage format");
    }

    /** Starts the broker (again) on the same port and data, and waits until it accepts connections. */
    public void startAgain() {
        starts++;
        process = ChildProcess.start("kafka", List.of(java(), "-Xmx512m", "-cp", classpath(), "kafka.Kafka",
                dir.resolve("server.properties").toString()), Map.of(), dir.resolve("kafka-" + starts + ".log"),
                Duration.ofMinutes(15));
        Awaitility.await("kafka on " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::accepting);
    }

    /** A clean shutdown (SIGTERM), as an operator stopping the broker. */
    public void stop() {
        process.stop();
    }

    /** SIGKILL, as a crash. */
    public void kill() {
        process.kill();
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test JVM's own classpath: it holds kafka_2.13 and its dependencies. */
    private static String classpath() {
        return System.getProperty("java.class.path");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.kill();
        }
        Os.run(List.of("rm", "-rf", dir.toString()));
    }
}
