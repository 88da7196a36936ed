package io.gitcrq.kit.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
