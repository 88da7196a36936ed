package io.gitcrq.crq;

import io.gitcrq.kit.testing.OwnDatabaseServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;

/**
 * crq-service on a PostgreSQL server of the test's own (PostgreSQL's binaries from Maven, as {@code GITCRQ_DB=embedded}
 * runs it) with a small {@code max_slot_wal_keep_size}: a test may make its replication slot fall behind until
 * PostgreSQL invalidates it, which on the shared server would invalidate every other slot as well. The server starts
 * with the profile's application, once per JVM (Quarkus asks a profile from more than one class loader), and stops
 * with the JVM.
 */
public class SlotLimitedServerProfile implements QuarkusTestProfile, OwnDatabaseServer {

    /** WAL a slot may hold before PostgreSQL invalidates it at a checkpoint: two of its 16 MB segments. */
    static final String MAX_SLOT_WAL_KEEP_SIZE = "32MB";

    /** The server's port, shared by the class loaders that ask. */
    private static final String PORT_PROPERTY = "gitcrq.test.slot-limited-server.port";

    @Override
    public Map<String, String> getConfigOverrides() {
        String port = start();
        return Map.of(
                "gitcrq.db.name", "crq_slots",
                "gitcrq.db.host", "127.0.0.1",
                "gitcrq.db.port", port,
                "gitcrq.db.user", "postgres",
                "gitcrq.db.password", "");
    }

    private static String start() {
        synchronized (System.class) {
            String running = System.getProperty(PORT_PROPERTY);
            if (running != null) {
                return running;
            }
            EmbeddedPostgres server;
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("max_replication_slots", "10")
                        .setServerConfig("max_wal_senders", "10")
                        .setServerConfig("max_slot_wal_keep_size", MAX_SLOT_WAL_KEEP_SIZE)
                        .setServerConfig("max_connections", "100")
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test's own PostgreSQL server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    System.err.println("the test's own PostgreSQL server did not stop cleanly: " + e.getMessage());
                }
            }));
            System.out.println("gitcrq test infrastructure: a PostgreSQL server of this test's own at 127.0.0.1:"
                    + server.getPort() + " (max_slot_wal_keep_size " + MAX_SLOT_WAL_KEEP_SIZE + ")");
            System.setProperty(PORT_PROPERTY, String.valueOf(server.getPort()));
            return String.valueOf(server.getPort());
        }
    }
}
