package io.contentmachine.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real single-node Apache Kafka broker in KRaft mode, from the jars deploy/local/runtime copies from Maven Central,
 * started once per test JVM on free ports with a fresh log directory.
 */
public final class KafkaBroker {

    private static KafkaBroker shared;

    private final String bootstrapServers;

    private KafkaBroker(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private static KafkaBroker start() {
        Path lib = RepositoryRoot.resolve("deploy/local/runtime/target/kafka/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build it with ./mvnw -pl deploy/local/runtime generate-resources");
        }
        try {
            Path dir = Files.createTempDirectory("cm-kafka-");
            int[] ports = ServerProcess.freePorts(2);
            int port = ports[0];
            int controllerPort = ports[1];
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=6",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    ""));
            String classpath = lib + "/*";
            Process format = new ProcessBuilder(ServerProcess.java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                    "-t", "cm-test-cluster-0000001", "-c", "server.properties", "--standalone")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
            }
            ServerProcess broker = ServerProcess.start("kafka", List.of(ServerProcess.java(), "-Xmx512m", "-cp", classpath,
                    "kafka.Kafka", "server.properties"), dir);
            String bootstrap = "127.0.0.1:" + port;
            broker.awaitReady(() -> ServerProcess.listening(port) && clusterAnswers(bootstrap), Duration.ofSeconds(90));
            return new KafkaBroker(bootstrap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean clusterAnswers(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
