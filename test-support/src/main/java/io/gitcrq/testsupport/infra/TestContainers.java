package io.gitcrq.testsupport.infra;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.gitcrq.testsupport.infra.TestInfrastructure.TestPostgres;
import io.gitcrq.testsupport.net.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Kafka and PostgreSQL containers of {@link TestInfrastructure.Kind#CONTAINERS}, one of each per test JVM, set up
 * as docker-compose.yml sets them up: the same images ({@code GITCRQ_KAFKA_IMAGE}, default {@value #KAFKA_IMAGE};
 * {@code GITCRQ_POSTGRES_IMAGE}, default {@value #POSTGRES_IMAGE}), Kafka started by compose's own
 * {@code deploy/compose/kafka/start.sh} (KRaft, SASL SCRAM on every client listener, the StandardAuthorizer), PostgreSQL
 * with {@code wal_level=logical} and a random superuser password. The containers carry the label {@value #LABEL} and
 * are removed when the JVM ends (Testcontainers' reaper container is not used: no registry may serve its image).
 */
public final class TestContainers {

    static final String KAFKA_IMAGE = "apache/kafka:4.2.1";
    static final String POSTGRES_IMAGE = "postgres:17";
    static final String LABEL = "io.gitcrq.test";
    private static final Duration STARTUP = Duration.ofMinutes(3);

    /*
     * Quarkus runs test classes with a @TestProfile in class loaders of their own, where static fields start fresh:
     * what a container is reached at lives in system properties, which every class loader of the JVM sees.
     */
    private static final String POSTGRES_PORT = "gitcrq.test.containers.postgres.port";
    private static final String POSTGRES_HOST = "gitcrq.test.containers.postgres.host";
    private static final String POSTGRES_PASSWORD = "gitcrq.test.containers.postgres.password";
    private static final String KAFKA_PORT = "gitcrq.test.containers.kafka.port";

    private TestContainers() {}

    static boolean engineAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void requireEngine() {
        if (!engineAvailable()) {
            throw new IllegalStateException(TestInfrastructure.ENV + " asks for containers, but Testcontainers finds no"
                    + " container engine: start one (podman: podman system service --time=0 unix:///run/…/podman.sock"
                    + " and DOCKER_HOST=unix:///run/…/podman.sock) or run with " + TestInfrastructure.ENV + "=local");
        }
    }

    /** This JVM's PostgreSQL container, started on first use. */
    static TestPostgres postgres() {
        synchronized (System.class) {
            if (System.getProperty(POSTGRES_PORT) == null) {
                startPostgres();
            }
            return new TestPostgres(
                    System.getProperty(POSTGRES_HOST),
                    Integer.parseInt(System.getProperty(POSTGRES_PORT)),
                    "postgres",
                    System.getProperty(POSTGRES_PASSWORD));
        }
    }

    private static void startPostgres() {
        requireEngine();
        String image = System.getenv().getOrDefault("GITCRQ_POSTGRES_IMAGE", POSTGRES_IMAGE);
        String password = HexFormat.of().formatHex(random(24));
        GenericContainer<?> postgres = new GenericContainer<>(DockerImageName.parse(image))
                .withEnv("POSTGRES_PASSWORD", password)
                // What the outbox relay needs (logical decoding), and room for many test databases' slots at once.
                .withCommand(
                        "postgres",
                        "-c",
                        "wal_level=logical",
                        "-c",
                        "max_replication_slots=64",
                        "-c",
                        "max_wal_senders=64",
                        "-c",
                        "max_connections=300")
                .withExposedPorts(5432)
                .withLabel(LABEL, "postgres")
                .withStartupTimeout(STARTUP)
                .waitingFor(Wait.forListeningPort());
        postgres.start();
        stopAtExit(postgres, "postgres");
        TestPostgres server = new TestPostgres(postgres.getHost(), postgres.getMappedPort(5432), "postgres", password);
        awaitDatabase(server);
        System.setProperty(POSTGRES_HOST, server.host());
        System.setProperty(POSTGRES_PORT, String.valueOf(server.port()));
        System.setProperty(POSTGRES_PASSWORD, password);
        TestInfrastructure.announce("containers: PostgreSQL " + image + " at " + server.address() + " (container "
                + postgres.getContainerId().substring(0, 12) + ")");
    }

    /** Waits until the server takes a login: the port opens before the image's first-start scripts are done. */
    private static void awaitDatabase(TestPostgres server) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Connection c =
                    DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password())) {
                c.createStatement().execute("SELECT 1");
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the PostgreSQL container took no login within " + STARTUP, notYet);
                }
                sleep(500);
            }
        }
    }

    /**
     * This JVM's Kafka container, started on first use with SCRAM credentials for exactly these principals
     * (principal → password; {@code kafka-admin} among them, the super user); returns the port its clients reach it
     * at on this host's loopback. Topics and ACLs are the caller's (kafka-broker's), as kafka-init's are in compose.
     */
    public static int kafka(Map<String, String> passwords) {
        synchronized (System.class) {
            if (System.getProperty(KAFKA_PORT) == null) {
                System.setProperty(KAFKA_PORT, String.valueOf(startKafka(passwords)));
            }
            return Integer.parseInt(System.getProperty(KAFKA_PORT));
        }
    }

    private static int startKafka(Map<String, String> passwords) {
        requireEngine();
        String image = System.getenv().getOrDefault("GITCRQ_KAFKA_IMAGE", KAFKA_IMAGE);
        // The broker advertises the address its clients reach it at, so the host port is chosen before it starts.
        int port = FreePorts.loopback();
        Map<String, String> env = new TreeMap<>();
        env.put("GITCRQ_KAFKA_PRINCIPALS", String.join(" ", new TreeMap<>(passwords).keySet()));
        passwords.forEach((principal, password) -> env.put(
                "GITCRQ_KAFKA_PASSWORD_" + principal.toUpperCase(Locale.ROOT).replace('-', '_'), password));
        env.put(
                "GITCRQ_KAFKA_CLUSTER_ID",
                Base64.getUrlEncoder().withoutPadding().encodeToString(random(16)));
        env.put("GITCRQ_KAFKA_EXTERNAL_ADVERTISED", "127.0.0.1:" + port);
        env.put("KAFKA_HEAP_OPTS", "-Xmx384M -Xms64M");
        GenericContainer<?> kafka = new GenericContainer<>(DockerImageName.parse(image))
                .withCopyFileToContainer(
                        MountableFile.forHostPath(composeFile("kafka/start.sh")), "/opt/gitcrq/start.sh")
                .withEnv(env)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/bash", "/opt/gitcrq/start.sh")
                        .withExposedPorts(ExposedPort.tcp(9094))
                        .getHostConfig()
                        .withPortBindings(
                                new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(9094))))
                .withLabel(LABEL, "kafka")
                .withStartupTimeout(STARTUP)
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1));
        kafka.start();
        stopAtExit(kafka, "kafka");
        TestInfrastructure.announce("containers: Kafka " + image + " at 127.0.0.1:" + port + " (container "
                + kafka.getContainerId().substring(0, 12) + ")");
        return port;
    }

    /** A file of deploy/compose, found from the module directory a test runs in (or any directory below the root). */
    private static Path composeFile(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("deploy").resolve("compose").resolve(name);
            if (Files.isRegularFile(file) && Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return file;
            }
        }
        throw new IllegalStateException(
                "deploy/compose/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private static void stopAtExit(GenericContainer<?> container, String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-" + name + "-container-stop"));
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
