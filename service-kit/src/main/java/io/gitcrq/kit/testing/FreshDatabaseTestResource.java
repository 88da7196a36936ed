package io.gitcrq.kit.testing;

import io.gitcrq.testsupport.infra.TestInfrastructure;
import io.gitcrq.testsupport.infra.TestInfrastructure.TestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Gives a {@code @QuarkusTest} a database of its own on the tests' PostgreSQL (the machine's, or a container:
 * {@link TestInfrastructure} decides; the service creates and migrates it at start), and afterwards drops it with
 * its replication slot: a slot left behind would hold WAL forever. Use with
 * {@code @QuarkusTestResource(value = FreshDatabaseTestResource.class,
 * initArgs = @ResourceArg(name = "prefix", value = "crq"))}.
 */
public class FreshDatabaseTestResource implements QuarkusTestResourceLifecycleManager {

    private String prefix = "gitcrq";
    private String database;
    private boolean profileBringsItsServer;

    @Override
    public void setContext(Context context) {
        profileBringsItsServer = implementsOwnDatabaseServer(context.testProfile());
    }

    /** By name: the profile's class and this interface may come from different class loaders. */
    private static boolean implementsOwnDatabaseServer(String profile) {
        if (profile == null) {
            return false;
        }
        try {
            for (Class<?> c =
                            Class.forName(profile, false, Thread.currentThread().getContextClassLoader());
                    c != null;
                    c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (i.getName().equals(OwnDatabaseServer.class.getName())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("prefix", prefix);
    }

    @Override
    public Map<String, String> start() {
        if (profileBringsItsServer) {
            return Map.of();
        }
        TestPostgres server = TestInfrastructure.database();
        database = (prefix + "_test_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        return Map.of(
                "gitcrq.db.name", database,
                "gitcrq.db.host", server.host(),
                "gitcrq.db.port", String.valueOf(server.port()),
                "gitcrq.db.user", server.user(),
                "gitcrq.db.password", server.password());
    }

    @Override
    public void stop() {
        if (database == null) {
            return;
        }
        dropDatabaseAndSlots(database);
        database = null;
    }

    /** Drops the database and every replication slot on it (after the application, and its relay, stopped). */
    public static void dropDatabaseAndSlots(String database) {
        TestPostgres server = TestInfrastructure.database();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
                Statement s = c.createStatement()) {
            for (int attempt = 0; attempt < 20; attempt++) {
                try {
                    s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
                            + database.replace("'", "''") + "'");
                    break;
                } catch (Exception stillActive) {
                    Thread.sleep(250); // the relay's connection may take a moment to go away
                }
            }
            s.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        } catch (Exception e) {
            System.err.println("could not drop test database " + database + ": " + e);
        }
    }
}
