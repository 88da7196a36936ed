package io.gitcrq.testsupport.infra;

import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The one place that decides what the integration tests run against: {@code local} (the default), the in-process
 * Kafka broker and the machine's PostgreSQL; or {@code containers}, a Kafka and a PostgreSQL container started through
 * Testcontainers on whatever container engine it finds ({@code DOCKER_HOST}, e.g. podman's API socket). The switch is
 * the environment variable {@value #ENV} (or the system property {@value #PROPERTY}); {@code auto} takes containers
 * when an engine answers and says so. A value it does not know, or containers asked for without an engine, stops the
 * tests with the reason: nothing falls back silently. The choice is printed once per test JVM.
 */
public final class TestInfrastructure {

    public static final String ENV = "GITCRQ_TEST_INFRASTRUCTURE";
    public static final String PROPERTY = "gitcrq.test.infrastructure";

    /** What the tests run against. */
    public enum Kind {
        /** The in-process broker ({@code KafkaBrokerTestResource}) and PostgreSQL at {@code GITCRQ_DB_HOST}. */
        LOCAL,
        /** Kafka and PostgreSQL containers ({@link TestContainers}). */
        CONTAINERS
    }

    private static final String ANNOUNCED_PROPERTY = "gitcrq.test.infrastructure.announced";

    private TestInfrastructure() {}

    /** The kind this JVM's tests run against. */
    public static Kind kind() {
        return decide(System.getProperty(PROPERTY, System.getenv(ENV)), TestContainers::engineAvailable);
    }

    /**
     * The kind a switch value asks for: unset or blank is local; {@code auto} asks the engine check.
     *
     * @throws IllegalStateException for a value it does not know
     */
    static Kind decide(String value, BooleanSupplier engineAvailable) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "local" -> Kind.LOCAL;
            case "containers" -> Kind.CONTAINERS;
            case "auto" -> engineAvailable.getAsBoolean() ? Kind.CONTAINERS : Kind.LOCAL;
            default ->
                throw new IllegalStateException(ENV + "=" + value
                        + " is not one of local, containers, auto: the tests do not guess what was meant");
        };
    }

    /**
     * The PostgreSQL server the tests use: the machine's ({@code GITCRQ_DB_HOST}, {@code GITCRQ_DB_PORT},
     * {@code GITCRQ_DB_USER}, {@code GITCRQ_DB_PASSWORD}), or the container this JVM started for them.
     */
    public static TestPostgres database() {
        if (kind() == Kind.CONTAINERS) {
            return TestContainers.postgres();
        }
        TestPostgres machine = TestPostgres.machine(System.getenv());
        announce("local: PostgreSQL at " + machine.address());
        return machine;
    }

    /**
     * Prints once per JVM which infrastructure the tests run against, so that a test log says it (system properties
     * reach every class loader of a Quarkus test run, static fields do not).
     */
    public static void announce(String what) {
        synchronized (System.class) {
            String done = System.getProperty(ANNOUNCED_PROPERTY, "");
            if (!done.contains("[" + what + "]")) {
                System.setProperty(ANNOUNCED_PROPERTY, done + "[" + what + "]");
                System.out.println("gitcrq test infrastructure: " + what);
            }
        }
    }

    /** A PostgreSQL server and the superuser the tests sign in as. */
    public record TestPostgres(String host, int port, String user, String password) {

        static TestPostgres machine(Map<String, String> env) {
            return new TestPostgres(
                    env.getOrDefault("GITCRQ_DB_HOST", "127.0.0.1"),
                    Integer.parseInt(env.getOrDefault("GITCRQ_DB_PORT", "5432")),
                    env.getOrDefault("GITCRQ_DB_USER", "postgres"),
                    env.getOrDefault("GITCRQ_DB_PASSWORD", ""));
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        String address() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return "TestPostgres[" + user + "@" + address() + "]"; // never the password
        }
    }
}
