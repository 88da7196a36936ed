package io.gitcrq.bench;

import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.ServiceSpec;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** The PostgreSQL side of the benchmarks that start the platform: connections to its databases, and their removal. */
final class BenchDatabases {

    private static final String HOST = System.getenv().getOrDefault("GITCRQ_DB_HOST", "127.0.0.1");
    private static final String PORT = System.getenv().getOrDefault("GITCRQ_DB_PORT", "5432");
    private static final String USER = System.getenv().getOrDefault("GITCRQ_DB_USER", "postgres");

    private BenchDatabases() {}

    /** A connection to the service's database of this platform (the settings the services read: GITCRQ_DB_*). */
    static Connection connect(Platform platform, String service) throws SQLException {
        String url = "jdbc:postgresql://" + HOST + ":" + PORT + "/" + platform.database(ServiceSpec.named(service));
        String password = System.getenv("GITCRQ_DB_PASSWORD");
        return DriverManager.getConnection(url, USER, password == null ? "" : password);
    }

    /** Drops every database of the platform, with the outbox relays' replication slots that would keep them alive. */
    static void dropAll(Platform platform) {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String db = platform.database(spec);
            psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db + "'");
            psql("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
        }
    }

    private static void psql(String sql) {
        try {
            new ProcessBuilder("psql", "-h", HOST, "-p", PORT, "-U", USER, "-d", "postgres", "-qc", sql)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("psql failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
