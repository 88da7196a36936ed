package io.gitcrq.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.kafka.KafkaBroker;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose's kafka-init ({@code deploy/compose/kafka/init.sh}) run for real, as compose runs it at every
 * {@code up}, against a real broker set up as compose's is (SCRAM, the StandardAuthorizer, the administrator the only
 * super user), with Kafka's own command-line tools (the image's {@code bin/kafka-*.sh}, here the same classes run from
 * this test's classpath). What it must leave: exactly the ACLs the code's broker makes for the hosts listed, each
 * host signing in with its own password, and a host taken off the list locked out.
 */
class ComposeKafkaInitIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static KafkaBroker broker;
    private static Path kafkaHome;

    @BeforeAll
    static void startBrokerAndKafkaTools() throws IOException {
        // The central services' principals are compose's start.sh's (formatted into the storage); no host has one yet.
        broker = new KafkaBroker(Files.createTempDirectory("gitcrq-compose-kafka-"), 0, BrokerCredentials.generate())
                .start();
        kafkaHome = KafkaToolsHome.createForCommands(Map.of(
                "kafka-topics.sh", "org.apache.kafka.tools.TopicCommand",
                "kafka-acls.sh", "org.apache.kafka.tools.AclCommand",
                "kafka-configs.sh", "kafka.admin.ConfigCommand"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void letsInTheListedHostsWithExactlyTheBrokersAclsAndLocksOutAHostTakenOffTheList() throws Exception {
        String passwordA = "host-a-password-" + "0123456789abcdef";
        String passwordB = "host-b-password-" + "fedcba9876543210";

        Result first = init("devbox-1:" + passwordA + " build-7.example.com:" + passwordB);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).doesNotContain(passwordA).doesNotContain(passwordB);
        assertThat(acls()).isEqualTo(KafkaBroker.acls(List.of("devbox-1", "build-7.example.com")));
        assertThat(send("exec-agent-devbox-1", passwordA, Topics.AUDIT_EVENTS)).isNull();
        assertThat(send("exec-agent-build-7.example.com", passwordB, Topics.EXEC_EVENTS))
                .isNull();

        // Run again (every `docker-compose up`) with devbox-1 taken off the list.
        Result second = init("build-7.example.com:" + passwordB);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("exec-agent host devbox-1 is locked out");
        assertThat(acls()).isEqualTo(KafkaBroker.acls(List.of("build-7.example.com")));
        assertThat(send("exec-agent-devbox-1", passwordA, Topics.AUDIT_EVENTS))
                .isInstanceOf(SaslAuthenticationException.class);
        assertThat(send("exec-agent-build-7.example.com", passwordB, Topics.AUDIT_EVENTS))
                .isNull();
    }

    @Test
    void refusesAHostNameThatWouldBeAnotherHostsGroupsAndAPlaceholderPassword() throws Exception {
        Result crqs = init("crqs-devbox:" + "0123456789abcdef0123");
        assertThat(crqs.exitCode()).isNotZero();
        assertThat(crqs.output()).contains("not a host name: crqs-devbox");

        Result placeholder = init("devbox-9:replace-with-a-password");
        assertThat(placeholder.exitCode()).isNotZero();
        assertThat(placeholder.output()).contains("devbox-9: password is not").doesNotContain("replace-with");
        assertThat(acls()).noneMatch(acl -> acl.entry().principal().contains("devbox-9"));
    }

    private record Result(int exitCode, String output) {}

    private static Result init(String execHosts) throws IOException, InterruptedException {
        Path output = Files.createTempFile("gitcrq-kafka-init", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            "bash", ROOT.resolve("deploy/compose/kafka/init.sh").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("GITCRQ_"));
            env.put("KAFKA_HOME", kafkaHome.toString());
            env.put(
                    "GITCRQ_KAFKA_INIT_DIR",
                    ROOT.resolve("deploy/compose/kafka").toString());
            env.put("GITCRQ_KAFKA_BOOTSTRAP", broker.bootstrapServers());
            env.put("GITCRQ_KAFKA_PASSWORD_KAFKA_ADMIN", broker.credentials().password(BrokerCredentials.ADMIN));
            env.put("GITCRQ_KAFKA_EXEC_HOSTS", execHosts);
            Process p = builder.start();
            // Each Kafka tool is a JVM of its own: a few dozen of them, slow on a loaded machine.
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("kafka-init did not end within 15 minutes");
            }
            return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static java.util.Set<org.apache.kafka.common.acl.AclBinding> acls() throws Exception {
        try (Admin admin = Admin.create(broker.clientConfig(BrokerCredentials.ADMIN))) {
            return java.util.Set.copyOf(
                    admin.describeAcls(AclBindingFilter.ANY).values().get(60, TimeUnit.SECONDS));
        }
    }

    /** What the broker says to a record sent as the principal with the password: null once it has it. */
    private static Throwable send(String principal, String password, String topic) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig(BrokerCredentials.ADMIN));
        config.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                        + "\" password=\"" + password + "\";");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (org.apache.kafka.common.KafkaException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
