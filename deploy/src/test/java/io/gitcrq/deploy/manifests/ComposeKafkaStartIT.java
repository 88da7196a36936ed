package io.gitcrq.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.BrokerTls;
import io.gitcrq.testsupport.net.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docker-compose's Kafka start ({@code deploy/compose/kafka/start.sh}) run for real, outside a container, with Kafka's
 * own broker and storage tool: with a keystore given, its EXTERNAL listener (the one exec-agents on other hosts reach)
 * takes SASL over TLS only, from clients that trust the broker's certificate; without, SASL over plain TCP as before.
 * A keystore that is not there, or a weak password, stops it before anything listens.
 */
class ComposeKafkaStartIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String ADMIN_PASSWORD = "admin-password-0123456789abcdef";
    private static final String CRQ_SERVICE_PASSWORD = "crq-service-password-0123456789";

    private Process broker;
    private Path output;

    @AfterEach
    void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(60, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void withAKeystoreExternalTakesSaslOverTlsOnlyFromClientsTrustingTheBroker() throws Exception {
        Path work = Files.createTempDirectory("gitcrq-compose-kafka-tls-");
        BrokerTls tls = BrokerTls.loadOrCreate(work.resolve("tls"));
        String keystorePassword = Files.readString(tls.files().get(2)).strip();
        int external = FreePorts.loopback();
        Map<String, String> env = brokerEnv(work, external);
        env.put(
                "GITCRQ_KAFKA_TLS_KEYSTORE",
                tls.directory().resolve(BrokerTls.KEYSTORE).toString());
        env.put("GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD", keystorePassword);
        broker = start(env);

        Map<String, Object> trusting = new HashMap<>(tls.clientConfig());
        assertThat(describe(external, "kafka-admin", ADMIN_PASSWORD, trusting, 180))
                .as("the administrator over SASL_SSL; start.sh said: %s", output())
                .isNull();
        assertThat(describe(external, "crq-service", CRQ_SERVICE_PASSWORD, trusting, 60))
                .isNull();
        assertThat(output())
                .contains("EXTERNAL takes SASL over TLS only")
                .doesNotContain(keystorePassword)
                .doesNotContain(ADMIN_PASSWORD);

        // Plain SASL to a TLS listener gets nowhere; TLS trusting another certificate is refused in the handshake.
        assertThat(describe(external, "kafka-admin", ADMIN_PASSWORD, Map.of("security.protocol", "SASL_PLAINTEXT"), 15))
                .isNotNull();
        BrokerTls other = BrokerTls.loadOrCreate(work.resolve("other-tls"));
        assertThat(describe(external, "kafka-admin", ADMIN_PASSWORD, new HashMap<>(other.clientConfig()), 15))
                .isInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class);
    }

    @Test
    void withoutAKeystoreExternalTakesSaslOverPlainTcp() throws Exception {
        Path work = Files.createTempDirectory("gitcrq-compose-kafka-plain-");
        int external = FreePorts.loopback();
        broker = start(brokerEnv(work, external));
        assertThat(describe(
                        external, "kafka-admin", ADMIN_PASSWORD, Map.of("security.protocol", "SASL_PLAINTEXT"), 180))
                .as("start.sh said: %s", output())
                .isNull();
        assertThat(output()).doesNotContain("TLS");
    }

    @Test
    void aMissingKeystoreOrAWeakKeystorePasswordStopsItBeforeAnythingListens() throws Exception {
        Path work = Files.createTempDirectory("gitcrq-compose-kafka-bad-tls-");
        BrokerTls tls = BrokerTls.loadOrCreate(work.resolve("tls"));

        Map<String, String> missing = brokerEnv(work, FreePorts.loopback());
        missing.put("GITCRQ_KAFKA_TLS_KEYSTORE", work.resolve("nowhere.p12").toString());
        missing.put("GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD", "keystore-password-0123456789");
        assertThat(exitCode(start(missing))).isNotZero();
        assertThat(output()).contains("GITCRQ_KAFKA_TLS_KEYSTORE: no readable file at");

        Map<String, String> weak = brokerEnv(work, FreePorts.loopback());
        weak.put(
                "GITCRQ_KAFKA_TLS_KEYSTORE",
                tls.directory().resolve(BrokerTls.KEYSTORE).toString());
        weak.put("GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD", "short\nlistener.name.x=1");
        assertThat(exitCode(start(weak))).isNotZero();
        assertThat(output())
                .contains("GITCRQ_KAFKA_TLS_KEYSTORE_PASSWORD is missing or not")
                .doesNotContain("short");
        assertThat(work.resolve("data").resolve("meta.properties")).doesNotExist();
    }

    /** What start.sh takes from compose, with ports and directories of this test's own. */
    private static Map<String, String> brokerEnv(Path work, int external) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put(
                "KAFKA_HOME",
                KafkaToolsHome.create(Map.of(
                                "kafka-storage.sh", "kafka.tools.StorageTool",
                                "kafka-server-start.sh", "kafka.Kafka"))
                        .toString());
        env.put("GITCRQ_KAFKA_DATA_DIR", work.resolve("data").toString());
        env.put("GITCRQ_KAFKA_CONF_DIR", work.resolve("conf").toString());
        env.put("GITCRQ_KAFKA_PRINCIPALS", "kafka-admin crq-service");
        env.put("GITCRQ_KAFKA_PASSWORD_KAFKA_ADMIN", ADMIN_PASSWORD);
        env.put("GITCRQ_KAFKA_PASSWORD_CRQ_SERVICE", CRQ_SERVICE_PASSWORD);
        env.put(
                "GITCRQ_KAFKA_CLUSTER_ID",
                org.apache.kafka.common.Uuid.randomUuid().toString());
        env.put("GITCRQ_KAFKA_EXTERNAL_ADVERTISED", "127.0.0.1:" + external);
        env.put("GITCRQ_KAFKA_EXTERNAL_PORT", String.valueOf(external));
        env.put("GITCRQ_KAFKA_CLIENT_PORT", String.valueOf(FreePorts.loopback()));
        env.put("GITCRQ_KAFKA_INTERNAL_PORT", String.valueOf(FreePorts.loopback()));
        env.put("GITCRQ_KAFKA_CONTROLLER_PORT", String.valueOf(FreePorts.loopback()));
        return env;
    }

    private Process start(Map<String, String> env) throws IOException {
        output = Files.createTempFile("gitcrq-kafka-start", ".out");
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", ROOT.resolve("deploy/compose/kafka/start.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.startsWith("GITCRQ_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int exitCode(Process p) throws InterruptedException {
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("start.sh refused and ended")
                .isTrue();
        return p.exitValue();
    }

    private String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /**
     * What describing the cluster as the principal says, within {@code seconds} (retried while the broker starts):
     * null once it answers, else the last failure.
     */
    private static Throwable describe(
            int port, String principal, String password, Map<String, Object> security, int seconds) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                        + "\" password=\"" + password + "\";");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Throwable last;
        do {
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(10_000))
                        .clusterId()
                        .get(20, TimeUnit.SECONDS);
                return null;
            } catch (java.util.concurrent.ExecutionException e) {
                last = e.getCause();
                if (last instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
                    return last;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            }
        } while (System.nanoTime() < deadline);
        return last;
    }
}
