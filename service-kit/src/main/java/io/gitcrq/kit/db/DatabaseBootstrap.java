package io.gitcrq.kit.db;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Makes a service's database ready before anything uses it: creates the database if it is missing,
 * migrates its schema with Flyway, then runs every {@link AfterMigration} bean (the outbox's logical
 * replication is one). Runs before messaging starts consuming (which observes startup at priority 1000);
 * startup observers at {@code PRIORITY + n} find all of it done.
 */
@ApplicationScoped
public class DatabaseBootstrap {

    public static final int PRIORITY = 10;
    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class);

    private final DatabaseConfig db;
    private final Flyway flyway;
    private final Instance<AfterMigration> afterMigration;

    public DatabaseBootstrap(DatabaseConfig db, Flyway flyway, Instance<AfterMigration> afterMigration) {
        this.db = db;
        this.flyway = flyway;
        this.afterMigration = afterMigration;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        createDatabaseIfMissing();
        flyway.migrate();
        afterMigration.forEach(AfterMigration::afterMigration);
    }

    private void createDatabaseIfMissing() {
        try (Connection c = db.connect(db.maintenanceDb());
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, db.name());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + quoteIdentifier(db.name()));
                LOG.infof("created database %s", db.name());
            } catch (SQLException e) {
                // Another instance of this service may have created it at the same moment.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create database " + db.name() + " on " + db.host() + ":" + db.port(), e);
        }
    }

    /** {@code name} as a quoted SQL identifier. */
    public static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
