package io.gitcrq.kafka;

import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.BrokerTls;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.files.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run from Kafka's own
 * classes: in the test JVM for integration tests, in a process of its own for {@code ./gitcrq up}.
 * <p>
 * Nothing listens without authentication: clients connect with SASL SCRAM-SHA-512 on the client listener, the
 * controller listener (loopback only) takes SASL PLAIN from the broker's administrator alone. The KRaft
 * {@code StandardAuthorizer} denies whatever no ACL allows; the ACLs are {@link TopicAccess}'s table for the central
 * services and each exec-agent host the credentials name, applied (and anything else removed) at every start; a host
 * can be registered and removed while the broker runs. The administrator ({@link BrokerCredentials#ADMIN}) is the super user.
 * SCRAM credentials are written at storage format; a data directory formatted earlier gets them (again) through
 * the controller at start, so a changed password takes effect. With {@link BrokerTls} the client listener takes
 * SASL over TLS only ({@code SASL_SSL}).
 */
public final class KafkaBroker implements AutoCloseable {

    /** Environment variable that sets the partitions of event topics (default {@link Topics#DEFAULT_EVENT_PARTITIONS}). */
    public static final String PARTITIONS_ENV = "GITCRQ_KAFKA_PARTITIONS";

    public static final String SCRAM = BrokerCredentials.SCRAM;
    static final String CLIENT_LISTENER = "CLIENT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String INTERNAL_LISTENER = "INTERNAL";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int internalPort;
    /** Replaced as exec-agent hosts are registered and removed; every other principal stays as started. */
    private volatile BrokerCredentials credentials;
    /** Partitions of each event topic; dead-letter topics have {@link Topics#DEAD_LETTER_PARTITIONS}. */
    private final int eventPartitions;
    /** A broker started elsewhere in this JVM (by another class loader): this instance only connects to it. */
    private final boolean attached;
    /** TLS on the client listener, or null for SASL over plain TCP (loopback by default). */
    private final BrokerTls tls;

    private KafkaRaftServer server;

    /** @param port the client port; 0 picks a free one. */
    public KafkaBroker(Path dataDir, int port, BrokerCredentials credentials) {
        this(dataDir, port, credentials, Topics.DEFAULT_EVENT_PARTITIONS);
    }

    /**
     * @param port the client port; 0 picks a free one.
     * @param eventPartitions partitions of each event topic: the most instances of a consumer group that share work
     */
    public KafkaBroker(Path dataDir, int port, BrokerCredentials credentials, int eventPartitions) {
        this(dataDir, port, credentials, eventPartitions, null);
    }

    /**
     * @param port the client port; 0 picks a free one.
     * @param eventPartitions partitions of each event topic: the most instances of a consumer group that share work
     * @param tls the client listener's TLS material, or null for none
     */
    public KafkaBroker(Path dataDir, int port, BrokerCredentials credentials, int eventPartitions, BrokerTls tls) {
        if (eventPartitions < 1 || eventPartitions > 999) {
            throw new IllegalArgumentException("event topic partitions must be 1..999, not " + eventPartitions);
        }
        this.eventPartitions = eventPartitions;
        this.dataDir = dataDir;
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = freePort();
        this.internalPort = freePort();
        this.credentials = credentials;
        this.attached = false;
        this.tls = tls;
    }

    private KafkaBroker(int port, BrokerCredentials credentials, int eventPartitions) {
        this.dataDir = null;
        this.port = port;
        this.controllerPort = 0;
        this.internalPort = 0;
        this.credentials = credentials;
        this.eventPartitions = eventPartitions;
        this.attached = true;
        this.tls = null;
    }

    /** The broker already running on {@code port} with these credentials: start and close do nothing. */
    public static KafkaBroker running(int port, BrokerCredentials credentials) {
        return new KafkaBroker(port, credentials, 0);
    }

    /**
     * A broker started elsewhere (a container) whose every principal of {@code credentials} already has its SCRAM
     * credentials: gets gitcrq's topics, with {@code eventPartitions} each, and exactly the ACLs of {@link #acls},
     * set by the administrator over SCRAM as kafka-init sets them in compose. Waits for the broker to take the
     * administrator's login first (up to two minutes). Start and close do nothing.
     */
    public static KafkaBroker provisioned(int port, BrokerCredentials credentials, int eventPartitions) {
        KafkaBroker broker = new KafkaBroker(port, credentials, eventPartitions);
        broker.awaitScramLogin(BrokerCredentials.ADMIN);
        try (Admin admin = Admin.create(broker.clientConfig(BrokerCredentials.ADMIN))) {
            broker.createTopics(admin);
            broker.applyAcls(admin);
        }
        return broker;
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public BrokerCredentials credentials() {
        return credentials;
    }

    /** Everything a Kafka client needs to connect as the principal: address, SASL and (if on) TLS settings. */
    public Map<String, Object> clientConfig(String principal) {
        Map<String, Object> config = new HashMap<>(credentials.clientConfig(principal));
        if (tls != null) {
            config.putAll(tls.clientConfig());
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** A probe that sends and reads as the principal. */
    public TopicProbe probe(String principal) {
        return new TopicProbe(clientConfig(principal), principal);
    }

    /**
     * Formats the storage on first use (keeping what an earlier run stored), starts the broker, makes sure every
     * principal's credentials are there, and creates gitcrq's topics and ACLs.
     */
    public synchronized KafkaBroker start() {
        if (server != null || attached) {
            return this;
        }
        boolean formatted;
        Properties props = serverProperties();
        try {
            Files.createDirectories(dataDir);
            Path configFile = dataDir.resolve("server.properties");
            Files.deleteIfExists(configFile);
            AtomicFiles.createPrivate(configFile);
            Properties withoutSecrets = new Properties();
            props.stringPropertyNames().stream()
                    .filter(k -> !k.endsWith("sasl.jaas.config") && !k.endsWith("password"))
                    .forEach(k -> withoutSecrets.put(k, props.getProperty(k)));
            try (OutputStream out = Files.newOutputStream(configFile)) {
                withoutSecrets.store(out, "written by gitcrq's KafkaBroker (without its passwords)");
            }
            formatted = format(configFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka storage in " + dataDir, e);
        }
        try {
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            try (Admin admin = Admin.create(internalAdminConfig())) {
                if (!formatted) {
                    upsertCredentials(admin);
                }
                createTopics(admin);
                applyAcls(admin);
            }
            if (!formatted) {
                awaitScramLogin(BrokerCredentials.ADMIN);
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                CLIENT_LISTENER + "://127.0.0.1:" + port + "," + INTERNAL_LISTENER + "://127.0.0.1:" + internalPort
                        + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put(
                "advertised.listeners",
                CLIENT_LISTENER + "://127.0.0.1:" + port + "," + INTERNAL_LISTENER + "://127.0.0.1:" + internalPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", INTERNAL_LISTENER);
        p.put(
                "listener.security.protocol.map",
                CLIENT_LISTENER + (tls != null ? ":SASL_SSL," : ":SASL_PLAINTEXT,") + INTERNAL_LISTENER
                        + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        if (tls != null) {
            p.putAll(tls.listenerConfig(CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT)));
        }
        // Clients: SCRAM, whose credentials live in the cluster metadata. The internal (broker) and controller
        // listeners, loopback only: PLAIN with the administrator as their only user, so the broker and its own
        // administration (credentials, topics, ACLs) never depend on what the metadata holds.
        p.put("sasl.enabled.mechanisms", SCRAM);
        p.put("listener.name.client.sasl.enabled.mechanisms", SCRAM);
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config", SCRAM_LOGIN + " required;");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.internal.plain.sasl.jaas.config", adminPlainJaas());
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", adminPlainJaas());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BrokerCredentials.ADMIN);
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", String.valueOf(eventPartitions));
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

    /** Formats a new data directory with every principal's SCRAM credentials; false if it was formatted before. */
    private boolean format(Path configFile) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return false;
        }
        List<String> args = new ArrayList<>(List.of(
                "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString(), "--ignore-formatted"));
        credentials.passwords().forEach((name, password) -> {
            args.add("--add-scram");
            args.add(SCRAM + "=[name=" + name + ",password=" + password + "]");
        });
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc =
                StorageTool.execute(args.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            // The tool's output names no password; the arguments do, so they are not repeated here.
            throw new IllegalStateException(
                    "formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
        return true;
    }

    private String adminPlainJaas() {
        String password = credentials.password(BrokerCredentials.ADMIN);
        return PLAIN_LOGIN + " required username=\"" + BrokerCredentials.ADMIN + "\" password=\"" + password
                + "\" user_" + BrokerCredentials.ADMIN + "=\"" + password + "\";";
    }

    /** The administrator's client on the internal listener (SASL PLAIN). */
    private Map<String, Object> internalAdminConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort);
        config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", credentials.jaas(PLAIN_LOGIN, BrokerCredentials.ADMIN));
        return config;
    }

    /**
     * Writes every principal's SCRAM credentials into a data directory formatted earlier (perhaps without them, or
     * with other passwords), and deletes those of principals the credentials no longer name (a host taken out).
     */
    private void upsertCredentials(Admin admin) {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        credentials.passwords().forEach((name, password) -> alterations.add(scramUpsertion(name, password)));
        try {
            admin.describeUserScramCredentials().users().get(60, TimeUnit.SECONDS).stream()
                    .filter(user -> !credentials.passwords().containsKey(user))
                    .forEach(user ->
                            alterations.add(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512)));
            admin.alterUserScramCredentials(alterations).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the Kafka SCRAM credentials", e);
        }
    }

    /** The principal's SCRAM-SHA-512 credentials, as every listener of the broker checks them. */
    private static UserScramCredentialUpsertion scramUpsertion(String principal, String password) {
        return new UserScramCredentialUpsertion(
                principal, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password);
    }

    /** Waits until the client listener takes the principal's credentials just written (a moment later). */
    private void awaitScramLogin(String principal) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try (Admin admin = Admin.create(clientConfig(principal))) {
                admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the broker does not take the SCRAM credentials of " + principal, e);
                }
                sleep(200);
            }
        }
    }

    /**
     * Lets the exec-agent of {@code host} in, on this running broker: a password of its own (kept if it has one), its
     * SCRAM credentials and its ACLs ({@link #acls}). Returns once it can sign in. An operator's registration of a new
     * host, as a test makes it; {@code ./gitcrq up} names its host before the broker starts.
     */
    public synchronized String registerExecAgentHost(String host) {
        String principal = TopicAccess.execAgentPrincipal(host);
        credentials = credentials.withExecAgentHost(host);
        try (Admin admin = Admin.create(clientConfig(BrokerCredentials.ADMIN))) {
            admin.alterUserScramCredentials(List.of(scramUpsertion(principal, credentials.password(principal))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            Set<AclBinding> acls = hostAcls(host);
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            awaitAcls(admin, present -> present.containsAll(acls));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering exec-agent host " + host, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot register exec-agent host " + host, e);
        }
        awaitScramLogin(principal);
        return principal;
    }

    /**
     * Takes the exec-agent of {@code host} out, on this running broker: its SCRAM credentials and every ACL of its
     * principal go, so it can neither sign in again nor (on a connection still open) read or write anything.
     */
    public synchronized void removeExecAgentHost(String host) {
        String principal = TopicAccess.execAgentPrincipal(host);
        try (Admin admin = Admin.create(clientConfig(BrokerCredentials.ADMIN))) {
            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialDeletion(principal, ScramMechanism.SCRAM_SHA_512)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            AclBindingFilter ofPrincipal = new AclBindingFilter(
                    ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:" + principal, null, AclOperation.ANY, AclPermissionType.ANY));
            admin.deleteAcls(List.of(ofPrincipal)).all().get(60, TimeUnit.SECONDS);
            awaitAcls(
                    admin,
                    present -> present.stream()
                            .noneMatch(acl -> acl.entry().principal().equals("User:" + principal)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while removing exec-agent host " + host, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot remove exec-agent host " + host, e);
        }
        credentials = credentials.withoutExecAgentHost(host);
    }

    /** The partitions of each event topic this broker creates. */
    public int eventPartitions() {
        return eventPartitions;
    }

    private void createTopics(Admin admin) {
        List<NewTopic> topics = new ArrayList<>();
        // Dead-letter topics too: no service may create topics.
        Stream.concat(Topics.ALL.stream(), TopicAccess.deadLetterTopics().stream())
                .forEach(t -> topics.add(new NewTopic(t, Topics.partitions(t, eventPartitions), (short) 1)));
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot create topic " + name, e);
            }
        });
        growPartitions(admin, topics);
    }

    /**
     * A topic made earlier with fewer partitions (a data directory of an older run, or a smaller setting) gets the
     * missing ones; Kafka cannot take partitions away, so a larger count stays. Records already stored keep their
     * partition; new records of a key may land in another one, which the consumers' inbox absorbs.
     */
    private void growPartitions(Admin admin, List<NewTopic> wanted) {
        try {
            Map<String, Integer> existing = new HashMap<>();
            admin.describeTopics(wanted.stream().map(NewTopic::name).toList())
                    .allTopicNames()
                    .get(60, TimeUnit.SECONDS)
                    .forEach((name, d) -> existing.put(name, d.partitions().size()));
            Map<String, NewPartitions> grow = new HashMap<>();
            for (NewTopic t : wanted) {
                if (existing.getOrDefault(t.name(), t.numPartitions()) < t.numPartitions()) {
                    grow.put(t.name(), NewPartitions.increaseTo(t.numPartitions()));
                }
            }
            if (!grow.isEmpty()) {
                admin.createPartitions(grow).all().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot give gitcrq's topics their partitions", e);
        }
    }

    /**
     * The ACLs of {@link TopicAccess}'s table for the central services and the exec-agent of each of
     * {@code execAgentHosts}, and no other. Public for deploy's DeploymentManifestsTest: the ACLs of docker-compose.yml
     * and k8s/ must equal these.
     */
    public static Set<AclBinding> acls(Collection<String> execAgentHosts) {
        Set<AclBinding> acls = new HashSet<>();
        for (String service : TopicAccess.SERVICES) {
            if (service.equals(TopicAccess.EXEC_AGENT)) {
                continue;
            }
            String principal = "User:" + service;
            acls.addAll(topicAcls(service, principal));
            acls.add(allow(
                    ResourceType.GROUP,
                    TopicAccess.consumerGroupPrefix(service),
                    PatternType.PREFIXED,
                    principal,
                    AclOperation.READ));
        }
        execAgentHosts.forEach(host -> acls.addAll(hostAcls(host)));
        return acls;
    }

    /** exec-agent's topics, and its host's own consumer groups (literal names: no host may use another's). */
    private static Set<AclBinding> hostAcls(String host) {
        String principal = "User:" + TopicAccess.execAgentPrincipal(host);
        Set<AclBinding> acls = new HashSet<>(topicAcls(TopicAccess.EXEC_AGENT, principal));
        for (String group : TopicAccess.execAgentGroups(host)) {
            acls.add(allow(ResourceType.GROUP, group, PatternType.LITERAL, principal, AclOperation.READ));
        }
        return acls;
    }

    private static Set<AclBinding> topicAcls(String service, String principal) {
        Set<AclBinding> acls = new HashSet<>();
        for (String topic : TopicAccess.writes(service)) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.WRITE));
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.DESCRIBE));
        }
        for (String topic : TopicAccess.reads(service)) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.READ));
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.DESCRIBE));
        }
        return acls;
    }

    private static AclBinding allow(
            ResourceType type, String name, PatternType pattern, String principal, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private void applyAcls(Admin admin) {
        Set<AclBinding> wanted = acls(credentials.execAgentHosts());
        try {
            List<AclBindingFilter> stale =
                    admin.describeAcls(AclBindingFilter.ANY).values().get(60, TimeUnit.SECONDS).stream()
                            .filter(acl -> !wanted.contains(acl))
                            .map(AclBinding::toFilter)
                            .toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get(60, TimeUnit.SECONDS);
            }
            admin.createAcls(wanted).all().get(60, TimeUnit.SECONDS);
            awaitAcls(admin, wanted::equals);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the Kafka ACLs", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot apply the Kafka ACLs", e);
        }
    }

    /** The broker applies ACLs once its metadata has caught up: waits until what it describes is as wanted. */
    private static void awaitAcls(Admin admin, Predicate<Set<AclBinding>> done)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.test(
                Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(60, TimeUnit.SECONDS)))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply its ACLs within 2 minutes");
            }
            sleep(100);
        }
    }

    /** Sleeps; an interrupt ends the wait with an exception (the interrupt status kept). */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
