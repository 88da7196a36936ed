package io.gitcrq.deploy;

import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.audit.HostKeyRegistration;
import io.gitcrq.model.api.audit.HostPublicKey;
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
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the gitcrq platform as real processes: the Kafka broker (KRaft, from Kafka's own
 * classes) and the five services from their runnable jars. One implementation for {@code ./gitcrq up} and
 * for the end-to-end test.
 */
public final class Platform implements AutoCloseable {

    /** Small heaps and C1 only: five JVMs and a broker share two cores on our machines. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final int LOG_TAIL_LINES = 40;

    /** The broker's name for {@link #stop}, {@link #logOf} and {@link #pids}. */
    public static final String BROKER = "kafka";
    /** What the broker process writes into its data directory once it is ready (KafkaBrokerMain.READY_FILE). */
    private static final String BROKER_READY_FILE = "ready";
    /** crq-service makes this key pair on its first start and signs exec grants with it (gitcrq.exec.grant.*). */
    private static final String EXEC_GRANT_KEY = "exec-grant/crq-service.key";
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

    public Platform(PlatformSettings settings) {
        this.settings = settings;
    }

    public PlatformSettings settings() {
        return settings;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + settings.kafkaPort();
    }

    /** The local Kafka principals' passwords, generated into the run directory on first use (mode 0600). */
    public KafkaCredentials kafkaCredentials() {
        return KafkaCredentials.ofRunDir(settings.runDir());
    }

    /** What a Kafka client needs to connect to this platform's broker as the principal (address and SASL). */
    public Map<String, Object> kafkaClientConfig(String principal) {
        Map<String, Object> config = new LinkedHashMap<>(kafkaCredentials().clientConfig(principal));
        config.put("bootstrap.servers", kafkaBootstrap());
        return config;
    }

    public String url(String service) {
        return "http://127.0.0.1:" + port(ServiceSpec.named(service));
    }

    public String database(ServiceSpec spec) {
        return settings.databasePrefix() + spec.database();
    }

    /** Starts the broker and every service, and returns once all of them are ready. */
    public void startAll(Duration timeout) {
        startBroker(timeout);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            start(spec.name());
        }
        for (ServiceSpec spec : ServiceSpec.ALL) {
            awaitReady(spec.name(), timeout);
        }
        registerAuditHostKey();
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

    public void startBroker(Duration timeout) {
        Path module = settings.repoRoot().resolve("kafka-broker");
        Path classpathFile = module.resolve("target/broker.classpath");
        Path jar = module.resolve("target/kafka-broker-0.1.0-SNAPSHOT.jar");
        requireBuilt(classpathFile);
        requireBuilt(jar);
        List<String> command = new ArrayList<>(javaCommand());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + read(classpathFile));
        command.add("io.gitcrq.kafka.KafkaBrokerMain");
        Path dataDir = settings.runDir().resolve("kafka");
        command.add(dataDir.toString());
        command.add(String.valueOf(settings.kafkaPort()));
        command.add(kafkaCredentials().file().toString()); // the file's name, never a password
        Path ready = dataDir.resolve(BROKER_READY_FILE);
        try {
            Files.deleteIfExists(ready);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        launch(BROKER, command, Map.of());
        awaitPort(settings.kafkaPort(), BROKER, timeout);
        // The port opens before the broker has its credentials, topics and ACLs: wait until it says it has them.
        awaitFile(ready, BROKER, timeout);
    }

    /** Starts one service from its runnable jar (idempotent while it runs). */
    public void start(String service) {
        ServiceSpec spec = ServiceSpec.named(service);
        Process running = processes.get(service);
        if (running != null && running.isAlive()) {
            return;
        }
        Path jar = settings.repoRoot().resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
        requireBuilt(jar);
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(JVM_OPTIONS);
        Map<String, String> props = new LinkedHashMap<>();
        // The local profile: development users and nothing a deployment would want (see service-kit's defaults).
        props.put("quarkus.profile", LOCAL_PROFILE);
        props.put("quarkus.http.port", String.valueOf(port(spec)));
        props.put("gitcrq.db.name", database(spec));
        props.put("kafka.bootstrap.servers", kafkaBootstrap());
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
        props.put(
                "gitcrq.merge-bot.mirror-dir",
                settings.runDir().resolve("merge-bot-mirrors").toString());
        props.put(
                "gitcrq.git-watcher.mirror-dir",
                settings.runDir().resolve("mirrors").toString());
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
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        // Its Kafka principal's password, and only its own, in its environment: never on a command line.
        launch(
                service,
                command,
                Map.of("GITCRQ_KAFKA_PASSWORD", kafkaCredentials().password(service)));
    }

    /** The private key crq-service signs exec grants with (made by crq-service, mode 0600). */
    public Path execGrantKey() {
        return settings.runDir().resolve(EXEC_GRANT_KEY);
    }

    /** Its public half, which exec-agent trusts (written beside it, as SigningKeyFile does). */
    public Path execGrantPublicKey() {
        return execGrantKey().resolveSibling(execGrantKey().getFileName() + ".pub");
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
                PrivateFiles.write(key, Base64.getEncoder().encodeToString(bytes) + "\n");
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
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        // Services first, the broker last, also once the broker was restarted (and so started after them):
        // a service stopping without its broker waits on Kafka while it closes its clients.
        names.sort(java.util.Comparator.comparing(BROKER::equals));
        for (String name : names) {
            stop(name, false);
        }
    }

    private void launch(String name, List<String> command, Map<String, String> environment) {
        try {
            Files.createDirectories(settings.logDir());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(settings.repoRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(name).toFile()));
            builder.environment().remove("GITCRQ_KAFKA_PASSWORD");
            builder.environment().putAll(environment);
            processes.put(name, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    private int port(ServiceSpec spec) {
        return settings.firstServicePort() + spec.portOffset();
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
}
