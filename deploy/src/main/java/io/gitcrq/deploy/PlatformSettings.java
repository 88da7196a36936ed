package io.gitcrq.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where one running platform lives: the repository it runs from, its run directory (logs, Kafka data, exec
 * logs, pid file), its ports, the prefix of its databases, the PostgreSQL server that keeps them and how many
 * instances of each consumer-group service it runs ({@link ServiceSpec#scales}; instance 1 on the ports
 * {@code firstServicePort + offset} as always, instance k on {@code firstServicePort + 5 * (k - 1) + offset}).
 * {@code ./gitcrq up} uses {@link #local}; the end-to-end test uses its own ports and databases so it never touches
 * a developer's platform. With {@code kafkaTls} the broker's client listener takes SASL over TLS only, with a
 * certificate of the platform's own ({@code GITCRQ_KAFKA_TLS=1 ./gitcrq up}).
 */
public record PlatformSettings(
        Path repoRoot,
        Path runDir,
        int kafkaPort,
        int firstServicePort,
        String databasePrefix,
        String tmuxSocket,
        Map<String, String> extraProperties,
        DatabaseServer database,
        int instances,
        boolean kafkaTls) {

    /** The environment variable that turns TLS on for {@code ./gitcrq up}'s broker ({@code 1} or {@code true}). */
    public static final String KAFKA_TLS_ENV = "GITCRQ_KAFKA_TLS";

    /** The environment variable that names the host exec-agent runs as (default: the machine's name). */
    public static final String EXEC_HOST_ENV = "GITCRQ_EXEC_HOST";

    public PlatformSettings {
        if (instances < 1 || instances > 9) {
            throw new IllegalArgumentException("instances must be 1..9, not " + instances);
        }
    }

    /** Without TLS on the broker's client listener. */
    public PlatformSettings(
            Path repoRoot,
            Path runDir,
            int kafkaPort,
            int firstServicePort,
            String databasePrefix,
            String tmuxSocket,
            Map<String, String> extraProperties,
            DatabaseServer database,
            int instances) {
        this(
                repoRoot,
                runDir,
                kafkaPort,
                firstServicePort,
                databasePrefix,
                tmuxSocket,
                extraProperties,
                database,
                instances,
                false);
    }

    /** One instance of each service. */
    public PlatformSettings(
            Path repoRoot,
            Path runDir,
            int kafkaPort,
            int firstServicePort,
            String databasePrefix,
            String tmuxSocket,
            Map<String, String> extraProperties,
            DatabaseServer database) {
        this(repoRoot, runDir, kafkaPort, firstServicePort, databasePrefix, tmuxSocket, extraProperties, database, 1);
    }

    /** A platform on the machine's PostgreSQL ({@code GITCRQ_DB_HOST}, {@code GITCRQ_DB_PORT}), as the tests run it. */
    public PlatformSettings(
            Path repoRoot,
            Path runDir,
            int kafkaPort,
            int firstServicePort,
            String databasePrefix,
            String tmuxSocket,
            Map<String, String> extraProperties) {
        this(
                repoRoot,
                runDir,
                kafkaPort,
                firstServicePort,
                databasePrefix,
                tmuxSocket,
                extraProperties,
                DatabaseServer.choose(withMode(System.getenv(), "external")));
    }

    /**
     * {@code ./gitcrq up}'s platform: the database server the environment chooses ({@link DatabaseServer#choose}),
     * TLS on the broker if {@link #KAFKA_TLS_ENV} says so.
     */
    public static PlatformSettings local(Path repoRoot) {
        return local(repoRoot, System.getenv());
    }

    static PlatformSettings local(Path repoRoot, Map<String, String> env) {
        String tls = env.getOrDefault(KAFKA_TLS_ENV, "").strip().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("", "0", "false", "1", "true").contains(tls)) {
            throw new IllegalArgumentException(KAFKA_TLS_ENV + " must be 1, true, 0 or false, not " + tls);
        }
        // The host this machine's exec-agent runs as (its Kafka principal, its groups): GITCRQ_EXEC_HOST, as exec-agent
        // reads it, else the machine's name (Platform#execHost).
        String execHost = env.getOrDefault(EXEC_HOST_ENV, "").strip();
        return new PlatformSettings(
                repoRoot,
                repoRoot.resolve(".gitcrq-run"),
                9092,
                8081,
                "",
                "gitcrq",
                execHost.isEmpty() ? Map.of() : Map.of("gitcrq.exec.host", execHost),
                DatabaseServer.choose(env),
                1,
                tls.equals("1") || tls.equals("true"));
    }

    /** The same platform on another database server. */
    public PlatformSettings withDatabase(DatabaseServer server) {
        return copy(server, instances, kafkaTls);
    }

    /** The same platform with {@code n} instances of each consumer-group service. */
    public PlatformSettings withInstances(int n) {
        return copy(database, n, kafkaTls);
    }

    /** The same platform with TLS on (or off) the broker's client listener. */
    public PlatformSettings withKafkaTls(boolean on) {
        return copy(database, instances, on);
    }

    /** This platform with what may differ between two runs of it. */
    private PlatformSettings copy(DatabaseServer database, int instances, boolean kafkaTls) {
        return new PlatformSettings(
                repoRoot,
                runDir,
                kafkaPort,
                firstServicePort,
                databasePrefix,
                tmuxSocket,
                extraProperties,
                database,
                instances,
                kafkaTls);
    }

    private static Map<String, String> withMode(Map<String, String> env, String mode) {
        Map<String, String> copy = new java.util.HashMap<>(env);
        copy.put("GITCRQ_DB", mode);
        return copy;
    }

    public Path logDir() {
        return runDir.resolve("logs");
    }
}
