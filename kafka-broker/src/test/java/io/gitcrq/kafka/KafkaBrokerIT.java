package io.gitcrq.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.BrokerTls;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    private static final Duration WAIT = Duration.ofMinutes(2);

    private static final String HOST_A = "host-a";
    private static final String HOST_B = "host-b";

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker(
                        Files.createTempDirectory("gitcrq-kafka-it-"), 0, BrokerCredentials.generate(HOST_A, HOST_B))
                .start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void startsCreatesGitcrqTopicsAndKeepsRecordsAndCredentialsAcrossARestart() throws Exception {
        BrokerCredentials first = BrokerCredentials.generate("retired-host");
        int port;
        try (KafkaBroker b = new KafkaBroker(dir, 0, first).start()) {
            port = Integer.parseInt(b.bootstrapServers().split(":")[1]);
            try (Admin admin = Admin.create(b.clientConfig(BrokerCredentials.ADMIN))) {
                assertThat(admin.listTopics().names().get())
                        .containsAll(Topics.ALL)
                        .containsAll(TopicAccess.deadLetterTopics());
                assertThat(admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                                .values()
                                .get())
                        .containsExactlyInAnyOrderElementsOf(KafkaBroker.acls(List.of("retired-host")));
            }
            b.credentials(); // the same object the broker was formatted with
            new TopicProbe(b.clientConfig(TopicAccess.GIT_WATCHER), TopicAccess.GIT_WATCHER)
                    .send(Topics.GIT_EVENTS, "demo", "hello");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.properties"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("server.properties")))
                .doesNotContain(first.password(BrokerCredentials.ADMIN));

        // Same directory and port, new passwords (an already formatted directory): the broker writes them at start,
        // the old ones stop working, a host no longer named is gone, and the record is still there.
        BrokerCredentials second = BrokerCredentials.generate();
        try (KafkaBroker b = new KafkaBroker(dir, port, second).start()) {
            ConsumerRecord<String, String> record = new TopicProbe(
                            b.clientConfig(TopicAccess.CRQ_SERVICE), TopicAccess.CRQ_SERVICE)
                    .await(Topics.GIT_EVENTS, "hello"::equals, WAIT);
            assertThat(record.key()).isEqualTo("demo");
            Map<String, Object> old = new HashMap<>(first.clientConfig(TopicAccess.GIT_WATCHER));
            old.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
            assertThat(sendFailure(old, Topics.GIT_EVENTS)).isInstanceOf(SaslAuthenticationException.class);
            Map<String, Object> retired =
                    new HashMap<>(first.clientConfig(TopicAccess.execAgentPrincipal("retired-host")));
            retired.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
            assertThat(sendFailure(retired, Topics.AUDIT_EVENTS)).isInstanceOf(SaslAuthenticationException.class);
            try (Admin admin = Admin.create(b.clientConfig(BrokerCredentials.ADMIN))) {
                assertThat(admin.describeUserScramCredentials().users().get())
                        .containsExactlyInAnyOrderElementsOf(BrokerCredentials.principals());
                assertThat(admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                                .values()
                                .get())
                        .containsExactlyInAnyOrderElementsOf(KafkaBroker.acls(List.of()));
            }
        }
    }

    @Test
    void eventTopicsGetTheConfiguredPartitionsAndAnEarlierSmallerCountGrows() throws Exception {
        Path data = Files.createTempDirectory("gitcrq-kafka-partitions-");
        BrokerCredentials credentials = BrokerCredentials.generate();
        try (KafkaBroker b = new KafkaBroker(data, 0, credentials, 2).start()) {
            assertThat(partitions(b)).containsEntry(Topics.CRQ_EVENTS, 2);
        }
        try (KafkaBroker b = new KafkaBroker(data, 0, credentials).start()) {
            Map<String, Integer> partitions = partitions(b);
            Topics.ALL.forEach(t -> assertThat(partitions).as(t).containsEntry(t, Topics.DEFAULT_EVENT_PARTITIONS));
            TopicAccess.deadLetterTopics()
                    .forEach(t -> assertThat(partitions).as(t).containsEntry(t, Topics.DEAD_LETTER_PARTITIONS));
        }
    }

    private static Map<String, Integer> partitions(KafkaBroker b) throws Exception {
        try (Admin admin = Admin.create(b.clientConfig(BrokerCredentials.ADMIN))) {
            Map<String, Integer> partitions = new HashMap<>();
            admin.describeTopics(admin.listTopics().names().get())
                    .allTopicNames()
                    .get()
                    .forEach((name, d) -> partitions.put(name, d.partitions().size()));
            return partitions;
        }
    }

    @Test
    void aClientWithoutCredentialsOrWithAWrongPasswordCanNeitherProduceNorConsume() {
        Map<String, Object> anonymous = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        assertThat(sendFailure(anonymous, Topics.CRQ_EVENTS)).isNotNull();
        assertThat(pollFailure(anonymous, Topics.CRQ_EVENTS, "anonymous-" + UUID.randomUUID()))
                .isNotNull();

        Map<String, Object> wrong = new HashMap<>(
                BrokerCredentials.generate().clientConfig(TopicAccess.CRQ_SERVICE)); // same name, another password
        wrong.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        assertThat(sendFailure(wrong, Topics.CRQ_EVENTS)).isInstanceOf(SaslAuthenticationException.class);
        assertThat(pollFailure(wrong, Topics.CRQ_EVENTS, TopicAccess.CRQ_SERVICE + "-" + UUID.randomUUID()))
                .isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void onlyCrqServiceWritesCrqEventsSoAForgedApprovalNeverReachesMergeBot() {
        assertThat(sendFailure(broker.clientConfig(TopicAccess.execAgentPrincipal(HOST_A)), Topics.CRQ_EVENTS))
                .isInstanceOf(TopicAuthorizationException.class);

        String marker = "CRQ-" + (1000 + new java.util.Random().nextInt(1_000_000));
        List<String> forgers = new ArrayList<>(BrokerCredentials.principals());
        forgers.remove(BrokerCredentials.ADMIN);
        forgers.remove(TopicAccess.CRQ_SERVICE);
        forgers.add(TopicAccess.execAgentPrincipal(HOST_A));
        for (String forger : forgers) {
            String forged = approval(marker, forger);
            assertThatThrownBy(() -> broker.probe(forger).send(Topics.CRQ_EVENTS, marker, forged))
                    .as("%s writes a CrqApproved", forger)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        String genuine = approval(marker, TopicAccess.CRQ_SERVICE);
        broker.probe(TopicAccess.CRQ_SERVICE).send(Topics.CRQ_EVENTS, marker, genuine);

        // What merge-bot reads of this CRQ: the genuine approval only.
        List<ConsumerRecord<String, String>> seen =
                broker.probe(TopicAccess.MERGE_BOT).awaitAll(Topics.CRQ_EVENTS, v -> v.contains(marker), 1, WAIT);
        assertThat(seen).extracting(ConsumerRecord::value).containsExactly(genuine);
    }

    @Test
    void aServiceReadsOnlyTheTopicsItConsumesInItsOwnConsumerGroups() {
        assertThat(pollFailure(
                        broker.clientConfig(TopicAccess.GIT_WATCHER),
                        Topics.CRQ_EVENTS,
                        TopicAccess.GIT_WATCHER + "-" + UUID.randomUUID()))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(pollFailure(broker.clientConfig(TopicAccess.MERGE_BOT), Topics.CRQ_EVENTS, TopicAccess.CRQ_SERVICE))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(pollFailure(
                        broker.clientConfig(TopicAccess.execAgentPrincipal(HOST_A)),
                        Topics.EXEC_REQUESTS,
                        "exec-agent-host-a"))
                .as("exec-agent's per-host group")
                .isNull();
        assertThat(sendFailure(broker.clientConfig(TopicAccess.MERGE_BOT), Topics.deadLetter(TopicAccess.CRQ_SERVICE)))
                .as("another service's dead-letter topic")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(broker.clientConfig(TopicAccess.MERGE_BOT), Topics.deadLetter(TopicAccess.MERGE_BOT)))
                .as("its own dead-letter topic")
                .isNull();
    }

    @Test
    void eachExecAgentHostSignsInAsItselfAndUsesOnlyItsOwnConsumerGroups() {
        Map<String, Object> hostA = broker.clientConfig(TopicAccess.execAgentPrincipal(HOST_A));
        List<String> topicsOfGroups = List.of(Topics.EXEC_REQUESTS, Topics.CRQ_EVENTS, Topics.GIT_EVENTS);
        for (int i = 0; i < 3; i++) {
            String topic = topicsOfGroups.get(i);
            assertThat(pollFailure(
                            hostA, topic, TopicAccess.execAgentGroups(HOST_A).get(i)))
                    .as("host-a in its own group on " + topic)
                    .isNull();
            // Host b's group: host a could take b's exec requests or move b's offsets past records b never saw.
            assertThat(pollFailure(
                            hostA, topic, TopicAccess.execAgentGroups(HOST_B).get(i)))
                    .as("host-a in host-b's group on " + topic)
                    .isInstanceOf(GroupAuthorizationException.class);
        }
        assertThat(pollFailure(hostA, Topics.EXEC_REQUESTS, "exec-agent-anything"))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(sendFailure(hostA, Topics.AUDIT_EVENTS)).isNull();
        assertThat(sendFailure(hostA, Topics.MERGE_EVENTS)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aHostRegisteredWhileTheBrokerRunsGetsInAndARemovedHostIsLockedOut() throws Exception {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        String principal = broker.registerExecAgentHost(host);
        Map<String, Object> config = broker.clientConfig(principal);
        assertThat(sendFailure(config, Topics.EXEC_EVENTS)).isNull();
        assertThat(pollFailure(
                        config,
                        Topics.EXEC_REQUESTS,
                        TopicAccess.execAgentGroups(host).get(0)))
                .isNull();

        Map<String, Object> producerConfig = new HashMap<>(config);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        try (KafkaProducer<String, String> connected = new KafkaProducer<>(producerConfig)) {
            connected
                    .send(new ProducerRecord<>(Topics.EXEC_EVENTS, "k", "before"))
                    .get();

            broker.removeExecAgentHost(host);

            // Signed in before: its connection stays, but nothing it asks is allowed any more.
            assertThatThrownBy(() -> connected
                            .send(new ProducerRecord<>(Topics.EXEC_EVENTS, "k", "after"))
                            .get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // A new connection is refused at sign-in, with the password it had.
        Map<String, Object> again = new HashMap<>(config);
        assertThat(sendFailure(again, Topics.EXEC_EVENTS)).isInstanceOf(SaslAuthenticationException.class);
        assertThat(broker.credentials().execAgentHosts()).doesNotContain(host).contains(HOST_A, HOST_B);
        assertThat(sendFailure(broker.clientConfig(TopicAccess.execAgentPrincipal(HOST_B)), Topics.EXEC_EVENTS))
                .as("the other hosts keep their access")
                .isNull();
    }

    @Test
    void withTlsTheClientListenerTakesSaslOverTlsOnlyFromClientsTrustingTheBrokersCertificate() throws Exception {
        Path tlsDir = dir.resolve("kafka-tls");
        BrokerTls tls = BrokerTls.loadOrCreate(tlsDir);
        Path data = dir.resolve("kafka");
        try (KafkaBroker b = new KafkaBroker(data, 0, BrokerCredentials.generate(), 1, tls).start()) {
            String marker = "over-tls-" + UUID.randomUUID();
            b.probe(TopicAccess.GIT_WATCHER).send(Topics.GIT_EVENTS, "demo", marker);
            assertThat(b.probe(TopicAccess.CRQ_SERVICE)
                            .await(Topics.GIT_EVENTS, marker::equals, WAIT)
                            .value())
                    .isEqualTo(marker);

            Map<String, Object> plain = new HashMap<>(b.credentials().clientConfig(TopicAccess.GIT_WATCHER));
            plain.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
            assertThat(sendFailure(plain, Topics.GIT_EVENTS))
                    .as("SASL without TLS")
                    .isNotNull();

            Map<String, Object> untrusting = new HashMap<>(b.clientConfig(TopicAccess.GIT_WATCHER));
            untrusting.remove("ssl.truststore.type");
            untrusting.remove("ssl.truststore.location"); // the JVM's public CAs, which never signed this broker
            assertThat(sendFailure(untrusting, Topics.GIT_EVENTS))
                    .as("a client that does not trust the broker's certificate")
                    .isInstanceOf(SslAuthenticationException.class);
        }
        String password =
                Files.readString(tlsDir.resolve("broker-keystore.password")).strip();
        assertThat(Files.readString(data.resolve("server.properties"))).doesNotContain(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tlsDir.resolve(BrokerTls.KEYSTORE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(tlsDir.resolve("broker-keystore.password"))))
                .isEqualTo("rw-------");
        String certificate = Files.readString(tls.certificate());
        assertThat(certificate).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
        assertThat(Files.readString(BrokerTls.loadOrCreate(tlsDir).certificate()))
                .as("made once, then kept")
                .isEqualTo(certificate);
    }

    private static String approval(String crq, String by) {
        return EventCodec.toJson(EventCodec.envelope(
                "gitcrq/" + by, new CrqApproved(crq, "bob", "alice", "demo", "main", Instant.now())));
    }

    /** What the broker says to one record sent with this configuration; null once it has the record. */
    private static Throwable sendFailure(Map<String, Object> clientConfig, String topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "probe", "probe")).get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the broker says to a consumer of the topic in the group: null once it has its partitions, what poll threw,
     * or an AssertionError if it never got them (an unauthenticated client is only ever disconnected).
     */
    private static Throwable pollFailure(Map<String, Object> clientConfig, String topic, String group) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> values = new ArrayList<>();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            if (consumer.assignment().isEmpty()) {
                assertThat(values).as("records read without partitions").isEmpty();
                return new AssertionError("no partitions assigned within 30 s");
            }
            return null;
        } catch (KafkaException e) {
            return e;
        }
    }
}
