package io.gitcrq.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server a platform's services keep their databases in: the machine's own (external, the default where
 * one answers) or one the platform starts itself from PostgreSQL's binaries under its run directory (embedded), so
 * that a machine with only a JDK, Maven, git and tmux runs gitcrq too. One place decides, from the environment:
 * <ul>
 *   <li>{@code GITCRQ_DB=embedded}: the embedded server, on {@code GITCRQ_EMBEDDED_DB_PORT} (default 15432);
 *   <li>{@code GITCRQ_DB=external}: the server at {@code GITCRQ_DB_HOST}:{@code GITCRQ_DB_PORT}, which must answer;
 *   <li>unset: external when a server answers there, embedded otherwise.
 * </ul>
 */
public record DatabaseServer(boolean embedded, String host, int port) {

    public static final int DEFAULT_EMBEDDED_PORT = 15432;

    public DatabaseServer {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    public static DatabaseServer external(String host, int port) {
        return new DatabaseServer(false, host, port);
    }

    public static DatabaseServer embedded(int port) {
        return new DatabaseServer(true, "127.0.0.1", port);
    }

    /** The server the environment names (see the class comment). */
    public static DatabaseServer choose(Map<String, String> env) {
        String mode = env.getOrDefault("GITCRQ_DB", "").strip();
        DatabaseServer external =
                external(env.getOrDefault("GITCRQ_DB_HOST", "127.0.0.1"), port(env, "GITCRQ_DB_PORT", 5432));
        return switch (mode) {
            case "embedded" -> embedded(port(env, "GITCRQ_EMBEDDED_DB_PORT", DEFAULT_EMBEDDED_PORT));
            case "external" -> external;
            case "" ->
                external.answers() ? external : embedded(port(env, "GITCRQ_EMBEDDED_DB_PORT", DEFAULT_EMBEDDED_PORT));
            default ->
                throw new IllegalArgumentException("GITCRQ_DB is '" + mode
                        + "': use embedded, external, or leave it unset (external when one answers)");
        };
    }

    /** Whether something accepts connections at this address. */
    public boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The PostgreSQL user the platform's tools connect as: {@code GITCRQ_DB_USER}, postgres by default. */
    public static String user() {
        return System.getenv().getOrDefault("GITCRQ_DB_USER", "postgres");
    }

    /**
     * Runs one SQL statement on a database of this server through {@code psql}, as the operator would, and returns
     * what it printed (unaligned, tuples only, trimmed: one value, or one row a line).
     *
     * @throws IllegalStateException when psql cannot run, fails or takes longer than a minute
     */
    public String query(String user, String database, String sql) {
        try {
            Process p = new ProcessBuilder(List.of(
                            "psql", "-h", host, "-p", String.valueOf(port), "-U", user, "-d", database, "-qAtc", sql))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("psql on " + describe() + " did not finish: " + sql);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "psql on " + describe() + " failed (exit " + p.exitValue() + ") on: " + sql + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run psql", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What a person reads: where the databases are. */
    public String describe() {
        return (embedded ? "embedded PostgreSQL" : "PostgreSQL") + " on " + host + ":" + port;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + value + "', not a port number");
        }
    }
}
