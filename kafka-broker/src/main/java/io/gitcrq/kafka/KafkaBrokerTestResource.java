package io.gitcrq.kafka;

import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.files.AtomicFiles;
import io.gitcrq.testsupport.infra.TestContainers;
import io.gitcrq.testsupport.infra.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Starts one real broker per test JVM (SASL SCRAM and ACLs, as in production), shared by every
 * {@code @QuarkusTest} of a module, and points the application at it with its own principal's credentials: the
 * service is the init argument {@code service}, or else the {@code quarkus.application.name} of the module's
 * {@code application.properties}. Use with {@code @QuarkusTestResource(KafkaBrokerTestResource.class)}; tests send and
 * read as a chosen principal with {@link #probe}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    /**
     * The host exec-agent's tests run it as ({@code gitcrq.exec.host}): the test broker has its principal from the
     * start, {@code exec-agent-test-host}.
     */
    public static final String EXEC_HOST = "test-host";

    private static KafkaBroker broker;

    private String service;

    /*
     * One broker per JVM, not per class loader: a test class with a @TestProfile runs in a class loader of its own, where
     * this class's static field is fresh; a second KRaft broker in the same JVM then failed to start. The first one
     * leaves its port and credentials file in system properties for the others.
     */
    private static final String PORT_PROPERTY = "gitcrq.test.kafka.port";
    private static final String CREDENTIALS_PROPERTY = "gitcrq.test.kafka.credentials";

    public static KafkaBroker broker() {
        synchronized (System.class) {
            if (broker == null) {
                String port = System.getProperty(PORT_PROPERTY);
                broker = port != null
                        ? KafkaBroker.running(
                                Integer.parseInt(port),
                                BrokerCredentials.load(Path.of(System.getProperty(CREDENTIALS_PROPERTY))))
                        : startBroker();
            }
            return broker;
        }
    }

    /**
     * The in-process broker, or where {@link TestInfrastructure} says containers, a Kafka container given gitcrq's
     * topics and ACLs; either way with the same principals and fresh passwords.
     */
    private static KafkaBroker startBroker() {
        try {
            Path dir = Files.createTempDirectory("gitcrq-kafka-");
            BrokerCredentials generated = BrokerCredentials.generate(EXEC_HOST);
            KafkaBroker started;
            if (TestInfrastructure.kind() == TestInfrastructure.Kind.CONTAINERS) {
                started = KafkaBroker.provisioned(
                        TestContainers.kafka(generated.passwords()), generated, Topics.DEFAULT_EVENT_PARTITIONS);
            } else {
                started = new KafkaBroker(dir, 0, generated).start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-kafka-shutdown"));
                TestInfrastructure.announce("local: in-process Kafka broker at " + started.bootstrapServers());
            }
            Path credentials = dir.resolve("test-credentials.properties");
            AtomicFiles.createPrivate(credentials);
            Properties passwords = new Properties();
            passwords.putAll(started.credentials().passwords());
            try (OutputStream out = Files.newOutputStream(credentials)) {
                passwords.store(out, "the test broker's credentials, for test classes of other class loaders");
            }
            System.setProperty(CREDENTIALS_PROPERTY, credentials.toString());
            System.setProperty(PORT_PROPERTY, String.valueOf(started.port()));
            return started;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A probe that sends and reads as the principal (a service of {@link TopicAccess}, or the administrator). */
    public static TopicProbe probe(String principal) {
        return broker().probe(principal);
    }

    /** A probe that sends as the exec-agent of {@link #EXEC_HOST}. */
    public static TopicProbe execAgentProbe() {
        return probe(TopicAccess.execAgentPrincipal(EXEC_HOST));
    }

    /**
     * A probe that sends as the topic's owner, its one writer in {@link TopicAccess} (exec-agent's topics: the
     * exec-agent of {@link #EXEC_HOST}), or as the broker's administrator if no service writes it.
     */
    public static TopicProbe probeOwning(String topic) {
        return probe(principal(TopicAccess.grants().stream()
                .filter(g -> g.topic().equals(topic))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no gitcrq topic " + topic))
                .writers()
                .stream()
                .findFirst()
                .orElse(BrokerCredentials.ADMIN)));
    }

    /** The principal a service signs in as here: its name, or for exec-agent the principal of {@link #EXEC_HOST}. */
    private static String principal(String service) {
        return service.equals(TopicAccess.EXEC_AGENT) ? TopicAccess.execAgentPrincipal(EXEC_HOST) : service;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.get("service");
    }

    @Override
    public Map<String, String> start() {
        String app = service != null ? service : applicationName();
        String principal = principal(app);
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "kafka.bootstrap.servers", broker().bootstrapServers(),
                "gitcrq.kafka.user", principal,
                "gitcrq.kafka.password", broker().credentials().password(principal)));
        if (app.equals(TopicAccess.EXEC_AGENT)) {
            config.put("gitcrq.exec.host", EXEC_HOST);
        }
        return config;
    }

    /** The module's {@code quarkus.application.name}: from its application.properties, as a resource or a file. */
    private static String applicationName() {
        Properties p = new Properties();
        try {
            for (ClassLoader loader : new ClassLoader[] {
                Thread.currentThread().getContextClassLoader(), KafkaBrokerTestResource.class.getClassLoader()
            }) {
                if (loader != null && p.isEmpty()) {
                    try (InputStream in = loader.getResourceAsStream("application.properties")) {
                        if (in != null) {
                            p.load(in);
                        }
                    }
                }
            }
            Path file = Path.of("src", "main", "resources", "application.properties");
            if (p.getProperty("quarkus.application.name") == null && Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String name = p.getProperty("quarkus.application.name");
        if (name == null || !TopicAccess.SERVICES.contains(name)) {
            throw new IllegalStateException("KafkaBrokerTestResource cannot tell which service it serves (found " + name
                    + "): give it the init argument service");
        }
        return name;
    }

    @Override
    public void stop() {
        // The broker outlives one application: the next test class of this JVM reuses it.
    }
}
