package io.gitcrq.kit.db;

import io.gitcrq.kit.outbox.OutboxRelayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Makes a service's database ready before anything uses it: creates the database if it is missing,
 * migrates its schema with Flyway, and prepares what the outbox relay reads (publication and logical
 * replication slot). Runs before messaging starts consuming (which observes startup at priority 1000).
 */
@ApplicationScoped
public class DatabaseBootstrap {

    public static final int PRIORITY = 10;
    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class);

    private final DatabaseConfig db;
    private final OutboxRelayConfig relay;
    private final Flyway flyway;

    public DatabaseBootstrap(DatabaseConfig db, OutboxRelayConfig relay, Flyway flyway) {
        this.db = db;
        this.relay = relay;
        this.flyway = flyway;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        createDatabaseIfMissing();
        flyway.migrate();
        if (relay.enabled()) {
            prepareReplication();
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection c = connect(db.maintenanceDb());
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

    /**
     * The slot is created here, synchronously, rather than by Debezium when its engine gets going: from
     * this moment PostgreSQL keeps every outbox insert for the relay, even one written before the relay runs.
     */
    private void prepareReplication() {
        try (Connection c = connect(db.name());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                if (!"logical".equals(rs.getString(1))) {
                    throw new IllegalStateException("PostgreSQL runs with wal_level=" + rs.getString(1)
                            + "; the outbox relay needs wal_level=logical (./gitcrq up and .ci/run set it; "
                            + "or run: ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL)");
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                p.setString(1, relay.publication());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        s.execute("CREATE PUBLICATION " + quoteIdentifier(relay.publication())
                                + " FOR TABLE outbox_event");
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
                p.setString(1, relay.slotName(db.name()));
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        try (PreparedStatement create =
                                c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                            create.setString(1, relay.slotName(db.name()));
                            create.execute();
                        } catch (SQLException e) {
                            if (!"42710".equals(e.getSQLState())) { // created meanwhile by another instance
                                throw e;
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare logical replication for the outbox of " + db.name(), e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        db.password().ifPresent(password -> props.setProperty("password", password));
        return DriverManager.getConnection(db.jdbcUrl(database), props);
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
