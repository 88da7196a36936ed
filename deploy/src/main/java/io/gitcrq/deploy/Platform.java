package io.gitcrq.deploy;

import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.audit.HostKeyRegistration;
import io.gitcrq.model.api.audit.HostPublicKey;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.BrokerTls;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.files.AtomicFiles;
import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the gitcrq platform as real processes: the Kafka broker (KRaft, from Kafka's own
 * classes) and the services from their runnable jars. One implementation for {@code ./gitcrq up} and
 * for the end-to-end test.
 */
public final class Platform implements AutoCloseable {

    /** Small heaps and the serial collector: six JVMs and a broker share two cores on our machines. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");

    /**
     * C1 only, for the services whose start matters more than their speed afterwards. Those that carry the audit trail
     * ({@link ServiceSpec#carriesTheAuditTrail}) keep C2: they hash every event, and under C1 alone SHA-256 runs at a
     * tenth of its speed (C2 uses the CPU's SHA instructions); P1 in docs/benchmarks.md.
     */
    private static final List<String> QUICK_START_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    private static final int LOG_TAIL_LINES = 40;

    /** The broker's name for {@link #stop}, {@link #logOf} and {@link #pids}. */
    public static final String BROKER = "kafka";
    /** The embedded PostgreSQL's name, where the platform runs one ({@link DatabaseServer#embedded}). */
    public static final String DATABASE = "postgres";
    /** What the broker process writes into its data directory once it is ready (KafkaBrokerMain.READY_FILE). */
    private static final String BROKER_READY_FILE = "ready";
    /** crq-service makes this key pair on its first start and signs exec grants with it (gitcrq.exec.grant.*). */
    private static final String EXEC_GRANT_KEY = "exec-grant/crq-service.key";

    private static final String KAFKA_CREDENTIALS = "kafka-credentials.properties";
    /** The broker's TLS material, where the platform runs it with TLS ({@link PlatformSettings#kafkaTls}). */
    private static final String KAFKA_TLS = "kafka-tls";
    /** How long exec-agent's start waits for crq-service to have made the key it trusts. */
    private static final Duration EXEC_GRANT_KEY_WAIT = Duration.ofMinutes(4);
    /**
     * Of the gitcrq.exec.* keys, crq-service reads only these (its mapping refuses the others): the rest are
     * exec-agent's.
     */
    private static final List<String> CRQ_SERVICE_EXEC_KEYS =
            List.of("gitcrq.exec.allowed-roles", "gitcrq.exec.grant.signing-key-file", "gitcrq.exec.grant.ttl");

    /** The configuration profile of a platform on one machine, as ./gitcrq up and the e2e tests start it. */
    public static final String LOCAL_PROFILE = "local";

    private final PlatformSettings settings;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Where each service started without a current class-data archive records one at its exit. */
    private final Map<String, ClassDataArchive.Recording> archiveRecordings = new LinkedHashMap<>();
    /** Read (or made) once, on first use: the file does not change while the platform runs. */
    private BrokerCredentials kafkaCredentials;
    /** {@link #execHost()}, looked up once. */
    private String execHost;
    /** Services whose databases live on a server other than the platform's ({@link #placeDatabase}). */
    private final Map<String, DatabaseServer> placedDatabases = new LinkedHashMap<>();

    public Platform(PlatformSettings settings) {
        this.settings = settings;
    }

    public PlatformSettings settings() {
        return settings;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + settings.kafkaPort();
    }

    /** Where the local Kafka principals' passwords are kept (mode 0600). */
    public Path kafkaCredentialsFile() {
        return settings.runDir().resolve(KAFKA_CREDENTIALS);
    }

    /**
     * The local Kafka principals' passwords (the central services' and this machine's exec-agent's), generated into
     * the run directory on first use.
     */
    public synchronized BrokerCredentials kafkaCredentials() {
        if (kafkaCredentials == null) {
            kafkaCredentials = BrokerCredentials.loadOrCreate(kafkaCredentialsFile(), execHost());
        }
        return kafkaCredentials;
    }

    /**
     * The host name this platform's exec-agent runs as, which names its Kafka principal and groups: the settings'
     * {@code gitcrq.exec.host} ({@code GITCRQ_EXEC_HOST} for {@code ./gitcrq up}), else this machine's name
     * (exec-agent's own default). Refused, naming the variable, if it cannot name a principal.
     */
    public synchronized String execHost() {
        if (execHost == null) {
            String configured = settings.extraProperties().get("gitcrq.exec.host");
            execHost = TopicAccess.requireExecHost(
                    configured == null || configured.isBlank() ? localHostName() : configured.strip());
        }
        return execHost;
    }

    /** The principal a service signs in to Kafka as: its name; exec-agent's, that of {@link #execHost}. */
    public String kafkaPrincipal(String service) {
        return service.equals(TopicAccess.EXEC_AGENT) ? TopicAccess.execAgentPrincipal(execHost()) : service;
    }

    /** The broker's TLS material (made on first use), or empty where the platform runs its broker without TLS. */
    public synchronized Optional<BrokerTls> kafkaTls() {
        return settings.kafkaTls()
                ? Optional.of(BrokerTls.loadOrCreate(settings.runDir().resolve(KAFKA_TLS)))
                : Optional.empty();
    }

    /** What a Kafka client needs to connect to this platform's broker as the principal (address, SASL, TLS). */
    public Map<String, Object> kafkaClientConfig(String principal) {
        Map<String, Object> config = new LinkedHashMap<>(kafkaCredentials().clientConfig(principal));
        kafkaTls().ifPresent(tls -> config.putAll(tls.clientConfig()));
        config.put("bootstrap.servers", kafkaBootstrap());
        return config;
    }

    /** The base URL of a service's instance: its name ("crq-service", the first) or "crq-service-2", … */
    public String url(String instance) {
        return "http://127.0.0.1:" + port(instance);
    }

    /**
     * Every service instance the platform runs, first instances first (in {@link ServiceSpec#ALL}'s order), then
     * the second ones of the services that scale, and so on: "crq-service", …, "exec-agent", "crq-service-2", …
     */
    public List<String> instances() {
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= settings.instances(); k++) {
            for (ServiceSpec spec : ServiceSpec.ALL) {
                if (k == 1 || spec.scales()) {
                    names.add(instanceName(spec, k));
                }
            }
        }
        return names;
    }

    /** The instances of one service, the first one first. */
    public List<String> instancesOf(String service) {
        return instances().stream()
                .filter(n -> serviceOf(n).name().equals(service))
                .toList();
    }

    /** Instance k of a service: its own name for the first, "-k" after it for the others. */
    public static String instanceName(ServiceSpec spec, int k) {
        return k == 1 ? spec.name() : spec.name() + "-" + k;
    }

    /** The service of an instance name ("merge-bot-2" is merge-bot's). */
    public static ServiceSpec serviceOf(String instance) {
        return ServiceSpec.named(instance.replaceFirst("-[0-9]+$", ""));
    }

    /** The number of an instance (1 for a service's own name). */
    public static int instanceNumber(String instance) {
        ServiceSpec spec = serviceOf(instance);
        return instance.equals(spec.name())
                ? 1
                : Integer.parseInt(instance.substring(spec.name().length() + 1));
    }

    /** Whether the name is one of a service's instances (not the broker or the database). */
    public static boolean isServiceInstance(String name) {
        try {
            serviceOf(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String database(ServiceSpec spec) {
        return settings.databasePrefix() + spec.database();
    }

    /**
     * Keeps a service's database on another server than the platform's, as a dev host keeps exec-agent's on its own
     * PostgreSQL; before the service starts. The caller owns that server: {@link #dropDatabases} leaves it alone.
     */
    public synchronized void placeDatabase(String service, DatabaseServer server) {
        placedDatabases.put(ServiceSpec.named(service).name(), server);
    }

    /** The server that keeps the service's database: the platform's, unless {@link #placeDatabase placed} elsewhere. */
    public synchronized DatabaseServer databaseServer(ServiceSpec spec) {
        return placedDatabases.getOrDefault(spec.name(), settings.database());
    }

    /**
     * Drops the platform's databases and their replication slots (a slot nobody reads holds PostgreSQL's WAL without
     * limit) once its services have stopped, as {@code ./gitcrq down --purge} does; says what it removed. Nothing on
     * an embedded server: its data lives under the run directory.
     */
    public List<String> dropDatabases() {
        return new PlatformPurge(settings, DatabaseServer.user()).dropDatabases();
    }

    /** Stops the tmux server of the platform's panes, as {@code ./gitcrq down} does; nothing when none runs. */
    public void stopTmuxServer() {
        PlatformPurge.stopTmuxServer(settings);
    }

    /** Starts the database server (if embedded), the broker and every service; returns once all are ready. */
    public void startAll(Duration timeout) {
        startDatabase(timeout);
        startBroker(timeout);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            start(spec.name());
        }
        for (ServiceSpec spec : ServiceSpec.ALL) {
            awaitReady(spec.name(), timeout);
        }
        startMoreInstances(timeout);
        registerAuditHostKey();
    }

    /**
     * Starts the second and further instances, once the first ones are ready: they share the keys the first ones
     * made (exec grants, audit checkpoints) and find their databases migrated.
     */
    public void startMoreInstances(Duration timeout) {
        List<String> more =
                instances().stream().filter(n -> instanceNumber(n) > 1).toList();
        more.forEach(this::start);
        more.forEach(n -> awaitReady(n, timeout));
    }

    /**
     * Registers the local exec-agent's audit key with audit-collector, as an admin would ({@code gitcrq audit hosts
     * register}): the key the agent shows on {@code GET /host-key} for its host. Once per platform (a key registered
     * already is fine); a local platform's quickstart then finds its audit events chained without a manual step.
     * Events the agent signed before are held by audit-collector and chained now.
     */
    public void registerAuditHostKey() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> key = http.send(
                    HttpRequest.newBuilder(URI.create(url("exec-agent") + "/host-key"))
                            .header("Authorization", auth)
                            .header("Accept", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (key.statusCode() != 200) {
                throw new IllegalStateException(
                        "exec-agent's GET /host-key answered " + key.statusCode() + ": " + key.body());
            }
            HostPublicKey shown = ApiJson.mapper().readValue(key.body(), HostPublicKey.class);
            String body = ApiJson.mapper().writeValueAsString(new HostKeyRegistration(shown.host(), shown.publicKey()));
            HttpResponse<String> registered = http.send(
                    HttpRequest.newBuilder(URI.create(url("audit-collector") + "/audit/hosts"))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (registered.statusCode() != 201 && registered.statusCode() != 409) {
                throw new IllegalStateException("audit-collector's POST /audit/hosts answered "
                        + registered.statusCode() + ": " + registered.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot register exec-agent's audit key with audit-collector", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering exec-agent's audit key", e);
        }
    }

    /**
     * Starts the platform's own PostgreSQL when its settings name an embedded one (its data under the run directory,
     * kept across restarts); nothing when the databases live on another server.
     */
    public void startDatabase(Duration timeout) {
        DatabaseServer server = settings.database();
        if (!server.embedded()) {
            return;
        }
        Path module = settings.repoRoot().resolve("deploy");
        Path classpathFile = module.resolve("target/launcher.classpath");
        Path jar = module.resolve("target/deploy-0.1.0-SNAPSHOT.jar");
        requireBuilt(classpathFile);
        requireBuilt(jar);
        Path dir = settings.runDir().resolve("postgres");
        Path ready = dir.resolve(EmbeddedPostgresMain.READY_FILE);
        try {
            Files.deleteIfExists(ready);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(javaCommand());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + read(classpathFile));
        command.add(EmbeddedPostgresMain.class.getName());
        command.add(dir.toString());
        command.add(String.valueOf(server.port()));
        launch(DATABASE, command, Map.of());
        awaitFile(ready, DATABASE, timeout);
    }

    public void startBroker(Duration timeout) {
        Path module = settings.repoRoot().resolve("kafka-broker");
        Path classpathFile = module.resolve("target/broker.classpath");
        Path jar = module.resolve("target/kafka-broker-0.1.0-SNAPSHOT.jar");
        requireBuilt(classpathFile);
        requireBuilt(jar);
        List<String> command = new ArrayList<>(javaCommand());
        command.add("-Xmx512m");
        String classPath = jar + java.io.File.pathSeparator + read(classpathFile);
        ClassDataArchive.Use archive = ClassDataArchive.beside(jar, classPath).use();
        command.addAll(archive.jvmOptions());
        command.add("-cp");
        command.add(classPath);
        command.add("io.gitcrq.kafka.KafkaBrokerMain");
        Path dataDir = settings.runDir().resolve("kafka");
        command.add(dataDir.toString());
        command.add(String.valueOf(settings.kafkaPort()));
        kafkaCredentials(); // made before the broker reads them
        command.add(kafkaCredentialsFile().toString()); // the file's name, never a password
        kafkaTls().ifPresent(tls -> command.add(tls.directory().toString()));
        Path ready = dataDir.resolve(BROKER_READY_FILE);
        try {
            Files.deleteIfExists(ready);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        launch(BROKER, command, Map.of(), archive);
        awaitPort(settings.kafkaPort(), BROKER, timeout);
        // The port opens before the broker has its credentials, topics and ACLs: wait until it says it has them.
        awaitFile(ready, BROKER, timeout);
    }

    /** The JVM options a service runs with (beside its class-data archive's). */
    static List<String> jvmOptions(ServiceSpec spec) {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        if (!spec.carriesTheAuditTrail()) {
            options.addAll(QUICK_START_OPTIONS);
        }
        return options;
    }

    /** Starts one service instance from its runnable jar (idempotent while it runs). */
    public void start(String service) {
        ServiceSpec spec = serviceOf(service);
        int instance = instanceNumber(service);
        if (instance > settings.instances() || (instance > 1 && !spec.scales())) {
            throw new IllegalArgumentException("no instance " + service + " on this platform: " + instances());
        }
        Process running = processes.get(service);
        if (running != null && running.isAlive()) {
            return;
        }
        Path jar = settings.repoRoot().resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
        requireBuilt(jar);
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(jvmOptions(spec));
        ClassDataArchive.Use archive =
                ClassDataArchive.beside(jar, jar.toString()).use();
        command.addAll(archive.jvmOptions());
        Map<String, String> props = properties(service);
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        // Its Kafka principal's password, and only its own, in its environment: never on a command line. A service
        // that used no Kafka would have no principal.
        Map<String, String> environment = new LinkedHashMap<>();
        if (TopicAccess.SERVICES.contains(spec.name())) {
            environment.put("GITCRQ_KAFKA_PASSWORD", kafkaCredentials().password(kafkaPrincipal(spec.name())));
        }
        environment.putAll(kafkaTlsEnvironment());
        launch(service, command, environment, archive);
    }

    /**
     * The system properties a service instance starts with: its ports, its database and the server that keeps it, the
     * broker, the run directory's places, the platform's extra properties; only keys the service reads.
     */
    Map<String, String> properties(String service) {
        ServiceSpec spec = serviceOf(service);
        int instance = instanceNumber(service);
        Map<String, String> props = new LinkedHashMap<>();
        // The local profile: development users and nothing a deployment would want (see service-kit's defaults).
        props.put("quarkus.profile", LOCAL_PROFILE);
        props.put("quarkus.http.port", String.valueOf(port(service)));
        if (spec.hasDatabase()) {
            props.put("gitcrq.db.name", database(spec));
            DatabaseServer server = databaseServer(spec);
            props.put("gitcrq.db.host", server.host());
            props.put("gitcrq.db.port", String.valueOf(server.port()));
        }
        if (spec.name().equals("mcp-server")) {
            // The services its tools call, on this platform's ports (their first instances).
            for (ServiceSpec owning : ServiceSpec.ALL) {
                if (!owning.equals(spec)) {
                    props.put("gitcrq.mcp.services.\"" + owning.name() + "\".url", url(owning.name()));
                }
            }
        }
        if (spec.name().equals("exec-agent")) {
            // The MCP server a launched tool (the Gemini CLI) is given, with a token for its CRQ alone.
            props.put("gitcrq.exec.mcp-url", url("mcp-server") + "/mcp");
        }
        if (spec.name().equals("console")) {
            // Where this machine's exec-agent is: the exec page plays recordings read from it.
            props.put("gitcrq.console.exec-agents.\"" + execHost() + "\".url", url("exec-agent"));
        }
        props.put("kafka.bootstrap.servers", kafkaBootstrap());
        props.put("gitcrq.exec.host", execHost());
        props.put("gitcrq.exec.tmux-socket", settings.tmuxSocket());
        props.put("gitcrq.exec.log-dir", settings.runDir().resolve("exec-logs").toString());
        props.put(
                "gitcrq.exec.recordings-dir",
                settings.runDir().resolve("exec-recordings").toString());
        props.put(
                "gitcrq.exec.workflow-dir",
                settings.runDir().resolve("workflows").toString());
        props.put(
                "gitcrq.exec.worktrees-dir",
                settings.runDir().resolve("worktrees").toString());
        // Working clones are an instance's own: two processes never work in one clone.
        String own = instance == 1 ? "" : "-" + instance;
        props.put(
                "gitcrq.merge-bot.mirror-dir",
                settings.runDir().resolve("merge-bot-mirrors" + own).toString());
        props.put(
                "gitcrq.git-watcher.mirror-dir",
                settings.runDir().resolve("mirrors" + own).toString());
        // audit-collector's key for retention checkpoints: this platform's own (exec-agent's host key is under the
        // exec log directory, gitcrq.audit.host-key-file's default).
        props.put(
                "gitcrq.audit.signing-key-file",
                settings.runDir().resolve("audit-collector-signing.key").toString());
        // Secrets services keep at rest (webhook secrets) are sealed with a key of this platform's own.
        props.put("gitcrq.secrets.key-file", secretsKey().toString());
        props.putAll(settings.extraProperties());
        // Exec grants: crq-service signs them with a key it makes on first start; exec-agent trusts its public half.
        props.put("gitcrq.exec.grant.signing-key-file", execGrantKey().toString());
        if (spec.name().equals("exec-agent")) {
            awaitExecGrantKey();
            props.put("gitcrq.exec.grant.trusted-keys", execGrantPublicKey().toString());
        }
        props.keySet().removeIf(key -> !readsKey(spec, key));
        return props;
    }

    /**
     * TLS for a service's Kafka clients in the environment, as a deployment sets it (k8s/overlays/prod): the security
     * protocol, and the broker's certificate as what they trust (Quarkus reads {@code KAFKA_*} as {@code kafka.*}).
     */
    private Map<String, String> kafkaTlsEnvironment() {
        return kafkaTls()
                .map(tls -> Map.of(
                        "GITCRQ_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                        "KAFKA_SSL_TRUSTSTORE_LOCATION", tls.certificate().toString()))
                .orElse(Map.of());
    }

    /** The private key crq-service signs exec grants with (made by crq-service, mode 0600). */
    public Path execGrantKey() {
        return settings.runDir().resolve(EXEC_GRANT_KEY);
    }

    /** Its public half, which exec-agent trusts. */
    public Path execGrantPublicKey() {
        return Ed25519.publicKeyFile(execGrantKey());
    }

    /** exec-agent is started once crq-service has made its key pair, so that the agent trusts it from the start. */
    private void awaitExecGrantKey() {
        if (Files.exists(execGrantPublicKey())) {
            return;
        }
        Process crqService = processes.get("crq-service");
        if (crqService == null || !crqService.isAlive()) {
            throw new IllegalStateException("start crq-service before exec-agent: it makes the exec grant key "
                    + execGrantPublicKey() + " exec-agent trusts");
        }
        awaitFile(execGrantPublicKey(), "crq-service", EXEC_GRANT_KEY_WAIT);
    }

    /**
     * Whether {@code service} is given the property: a service that maps {@code gitcrq.exec.*} refuses keys there it
     * does not know, so crq-service gets only its own of them and exec-agent none of crq-service's.
     */
    static boolean readsKey(ServiceSpec service, String key) {
        if (!key.startsWith("gitcrq.exec.")) {
            return true;
        }
        return switch (service.name()) {
            case "crq-service" -> CRQ_SERVICE_EXEC_KEYS.contains(key);
            case "exec-agent" -> !CRQ_SERVICE_EXEC_KEYS.contains(key) || key.equals("gitcrq.exec.allowed-roles");
            default -> true;
        };
    }

    /** The platform's key for secrets at rest: 32 random bytes, made on first use, readable by its owner alone. */
    private Path secretsKey() {
        Path key = settings.runDir().resolve("secrets.key");
        try {
            if (!Files.exists(key)) {
                Files.createDirectories(settings.runDir());
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                AtomicFiles.replacePrivate(key, Base64.getEncoder().encodeToString(bytes) + "\n");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the secrets key " + key, e);
        }
    }

    /** Stops a service: SIGTERM for a clean stop, SIGKILL to test what a crash loses. */
    public void stop(String name, boolean kill) {
        Process p = processes.remove(name);
        if (p == null) {
            return;
        }
        if (kill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        awaitStopped(name, p, kill);
    }

    /** Waits for a process sent SIGTERM (SIGKILL after 30 s) or SIGKILL; keeps or drops its archive's recording. */
    private void awaitStopped(String name, Process p, boolean killed) {
        boolean exited = false;
        try {
            exited = p.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean clean = exited && !killed;
        ClassDataArchive.Recording recording = archiveRecordings.remove(name);
        if (recording != null) {
            recording.ended(clean);
        }
    }

    /**
     * The class-data archives the running services record at their exit ({@link ClassDataArchive}), by instance: for
     * a later {@code ./gitcrq down} from another JVM to keep those of the services it stopped cleanly.
     */
    public Map<String, ClassDataArchive.Recording> archiveRecordings() {
        return Map.copyOf(archiveRecordings);
    }

    public void awaitReady(String service, Duration timeout) {
        String health = url(service) + "/q/health/ready";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = processes.get(service);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(exited(service, p));
            }
            if (httpStatus(health) == 200) {
                return;
            }
            sleep(500);
        }
        throw new IllegalStateException(service + " not ready within " + timeout + " at " + health + "; see "
                + logOf(service) + ", which ends:\n" + logTail(service));
    }

    private String exited(String name, Process p) {
        return name + " exited with " + p.exitValue() + "; see " + logOf(name) + ", which ends:\n" + logTail(name);
    }

    /** The last lines of a process's log, so that a failure in CI says why without the file at hand. */
    private String logTail(String name) {
        try (java.util.stream.Stream<String> lines = Files.lines(logOf(name))) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    public Path logOf(String name) {
        return settings.logDir().resolve(name + ".log");
    }

    /** Process ids of what this platform started, for a later {@code ./gitcrq down} from another JVM. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((name, p) -> pids.put(name, p.pid()));
        return pids;
    }

    @Override
    public void close() {
        // The services first, all at once: each takes seconds to leave its consumer groups (up to 18 here; one after
        // another the platform took over a minute to stop), and none needs another to stop. Then the broker, the
        // database last, also once the broker was restarted (and so started after them): a service stopping without
        // its broker or database waits on them while it closes.
        Map<String, Process> services = new LinkedHashMap<>(processes);
        services.keySet().removeIf(name -> name.equals(BROKER) || name.equals(DATABASE));
        services.forEach((name, p) -> {
            processes.remove(name);
            p.destroy();
        });
        services.forEach((name, p) -> awaitStopped(name, p, false));
        stop(BROKER, false);
        stop(DATABASE, false);
    }

    private void launch(String name, List<String> command, Map<String, String> environment) {
        launch(name, command, environment, null);
    }

    /** Launches a program whose JVM options include {@code archive}'s; a recording it makes is kept at its stop. */
    private void launch(
            String name, List<String> command, Map<String, String> environment, ClassDataArchive.Use archive) {
        try {
            Files.createDirectories(settings.logDir());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(settings.repoRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(name).toFile()));
            // Kafka client settings are the platform's own, never the calling shell's.
            builder.environment().remove("GITCRQ_KAFKA_PASSWORD");
            builder.environment().remove("GITCRQ_KAFKA_SECURITY_PROTOCOL");
            builder.environment().keySet().removeIf(variable -> variable.startsWith("KAFKA_"));
            builder.environment().putAll(environment);
            processes.put(name, builder.start());
            ClassDataArchive.Recording stale = archiveRecordings.remove(name); // of a run ended without stop()
            if (stale != null) {
                stale.discard();
            }
            if (archive != null && archive.recording() != null) {
                archiveRecordings.put(name, archive.recording());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    /** Instance 1 on firstServicePort + offset (as with one instance), instance k a whole range further per step. */
    public int port(String instance) {
        return settings.firstServicePort()
                + ServiceSpec.portsPerInstance() * (instanceNumber(instance) - 1)
                + serviceOf(instance).portOffset();
    }

    private static List<String> javaCommand() {
        // setsid: processes started by ./gitcrq up outlive the terminal that started them.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Files.isExecutable(Path.of("/usr/bin/setsid")) ? List.of("/usr/bin/setsid", java) : List.of(java);
    }

    private void requireBuilt(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build first (mvn -B -DskipTests install)");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitPort(int port, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = processes.get(name);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(exited(name, p));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(300);
            }
        }
        throw new IllegalStateException(name + " did not open port " + port + " within " + timeout + "; see "
                + logOf(name) + ", which ends:\n" + logTail(name));
    }

    private void awaitFile(Path file, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            Process p = processes.get(name);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + logOf(name));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logOf(name));
            }
            sleep(200);
        }
    }

    static int httpStatus(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            int status = c.getResponseCode();
            c.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** This machine's name, as exec-agent names its host by default (its LocalHostConfigSource). */
    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
