package io.gitcrq.bench;

import io.gitcrq.deploy.DatabaseServer;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.ServiceSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL side of the benchmarks that start the platform: connections to its databases (their removal is
 * {@link Platform#dropDatabases()}).
 */
final class BenchDatabases {

    private BenchDatabases() {}

    /** A connection to the service's database of this platform (the server that keeps it, the user services use). */
    static Connection connect(Platform platform, String service) throws SQLException {
        DatabaseServer server = platform.databaseServer(ServiceSpec.named(service));
        String url = "jdbc:postgresql://" + server.host() + ":" + server.port() + "/"
                + platform.database(ServiceSpec.named(service));
        String password = System.getenv("GITCRQ_DB_PASSWORD");
        return DriverManager.getConnection(url, DatabaseServer.user(), password == null ? "" : password);
    }
}
