package io.gitcrq.kit.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Where a service's own database lives; each service names its database (crq, gitwatcher, …). */
@ConfigMapping(prefix = "gitcrq.db")
public interface DatabaseConfig {
    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("5432")
    int port();

    String name();

    @WithDefault("postgres")
    String user();

    /** Empty for trust authentication (our machines' default). */
    java.util.Optional<String> password();

    /** The database used to create this service's database when it is missing. */
    @WithDefault("postgres")
    String maintenanceDb();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A new connection to {@code database} on this server, as this service's user. */
    default Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        password().ifPresent(password -> props.setProperty("password", password));
        return DriverManager.getConnection(jdbcUrl(database), props);
    }
}
