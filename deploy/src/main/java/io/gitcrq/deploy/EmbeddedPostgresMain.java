package io.gitcrq.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL as a process of the platform's own, for a machine without a server ({@link DatabaseServer}):
 * {@code java io.gitcrq.deploy.EmbeddedPostgresMain <dir> <port>}. PostgreSQL's binaries (from Maven, so nothing to
 * install) are unpacked under {@code <dir>/binaries}, its data kept in {@code <dir>/data} across restarts; it listens on
 * 127.0.0.1 only, with {@code wal_level=logical} for the outbox relay and a cap on the WAL a forgotten replication
 * slot may hold. Stops cleanly on SIGTERM (a fast shutdown, as {@code pg_ctl stop} does).
 */
public final class EmbeddedPostgresMain {

    /** Written into {@code <dir>} once the server accepts connections. */
    public static final String READY_FILE = "ready";

    private EmbeddedPostgresMain() {}

    /**
     * A server as the platform runs its embedded one, on this port: on 127.0.0.1 only, durable commits,
     * {@code wal_level=logical} and room for the services' replication slots, a cap on the WAL a forgotten slot may
     * hold. Its data in a temporary directory removed at its close, unless the caller names one.
     */
    public static EmbeddedPostgres.Builder server(int port) {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The library's default is off: a commit answered before its WAL is on disk, which a crash of the
                // machine would take back (an exec acknowledged, then never known).
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .setServerConfig("max_slot_wal_keep_size", "1GB")
                .setServerConfig("max_connections", "200");
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedPostgresMain <dir> <port>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Path ready = dir.resolve(READY_FILE);
        Files.createDirectories(dir.resolve("binaries"));
        Files.deleteIfExists(ready);
        EmbeddedPostgres server = server(Integer.parseInt(args[1]))
                .setOverrideWorkingDirectory(dir.resolve("binaries").toFile())
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                Files.deleteIfExists(ready);
                                server.close();
                            } catch (IOException e) {
                                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                            }
                            stopped.countDown();
                        },
                        "embedded-postgres-shutdown"));
        Files.writeString(ready, "127.0.0.1:" + server.getPort() + "\n");
        System.out.println("gitcrq embedded PostgreSQL ready on 127.0.0.1:" + server.getPort());
        stopped.await();
    }
}
