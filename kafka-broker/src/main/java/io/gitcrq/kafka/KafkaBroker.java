package io.gitcrq.kafka;

import io.gitcrq.model.event.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run from Kafka's own
 * classes: in the test JVM for integration tests, in a process of its own for {@code ./gitcrq up}.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final int PARTITIONS = 3;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    /** @param port the client port; 0 picks a free one. */
    public KafkaBroker(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = freePort();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage on first use (keeping what an earlier run stored), starts the broker and creates gitcrq's topics. */
    public synchronized KafkaBroker start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            Properties props = serverProperties();
            Path configFile = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "written by gitcrq's KafkaBroker");
            }
            format(configFile);
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            createTopics();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka storage in " + dataDir, e);
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", String.valueOf(PARTITIONS));
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MiB dedupe buffer makes the broker need ~160 MB of heap: too much in a test JVM.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        return p;
    }

    private void format(Path configFile) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString(), "--ignore-formatted"
        };
        int rc = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException(
                    "formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> topics = Topics.ALL.stream()
                    .map(t -> new NewTopic(t, PARTITIONS, (short) 1))
                    .toList();
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create topic " + name, e);
                }
            });
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
