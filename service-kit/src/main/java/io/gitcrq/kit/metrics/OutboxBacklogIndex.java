package io.gitcrq.kit.metrics;

import io.gitcrq.kit.db.AfterMigration;
import io.gitcrq.kit.db.DatabaseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A BRIN index on the outbox's {@code created_at}, so that the backlog's count of recent rows ({@link OutboxMetrics})
 * reads the table's last block ranges, not the whole retention: rows are appended in time order, which is what BRIN
 * summarizes, and it costs inserts next to nothing. Made here, not by a Flyway migration: service-kit's migrations
 * share their version numbers with the services' (V1 is the kit's, the services' start at V2).
 */
@ApplicationScoped
public class OutboxBacklogIndex implements AfterMigration {

    static final String CREATE =
            "CREATE INDEX IF NOT EXISTS outbox_event_created_at_brin ON outbox_event USING brin (created_at)";

    private final DatabaseConfig db;

    public OutboxBacklogIndex(DatabaseConfig db) {
        this.db = db;
    }

    @Override
    public void afterMigration() {
        try (Connection c = db.connect(db.name());
                Statement s = c.createStatement()) {
            s.execute(CREATE);
        } catch (SQLException e) {
            if ("42P07".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
                return; // made meanwhile by another instance starting at the same time
            }
            throw new IllegalStateException("cannot index the outbox of " + db.name() + " for its backlog", e);
        }
    }
}
