package io.gitcrq.kit.outbox;

import io.gitcrq.kit.db.AfterMigration;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.gitcrq.kit.db.DatabaseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Prepares what the outbox relay reads: the publication of outbox_event (and of outbox_heartbeat, whose row the relay
 * updates to move its slot on while the outbox is quiet) and the logical replication slot.
 */
@ApplicationScoped
public class OutboxReplication implements AfterMigration {

    /** The relay's heartbeat (Debezium's heartbeat.action.query): one row, updated. */
    static final String HEARTBEAT = "INSERT INTO outbox_heartbeat (id, beat_at) VALUES (1, now())"
            + " ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at";

    private final DatabaseConfig db;
    private final OutboxRelayConfig relay;

    public OutboxReplication(DatabaseConfig db, OutboxRelayConfig relay) {
        this.db = db;
        this.relay = relay;
    }

    /**
     * Runs in DatabaseBootstrap's startup step, right after migration. The slot is created here, synchronously,
     * rather than by Debezium when its engine gets going: from this moment PostgreSQL keeps every outbox insert for
     * the relay, even one written before the relay runs (startup observers at DatabaseBootstrap.PRIORITY + n).
     */
    @Override
    public void afterMigration() {
        if (!relay.enabled()) {
            return;
        }
        try (Connection c = db.connect(db.name());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                if (!"logical".equals(rs.getString(1))) {
                    throw new IllegalStateException("PostgreSQL runs with wal_level=" + rs.getString(1)
                            + "; the outbox relay needs wal_level=logical (./gitcrq up and .ci/run set it; "
                            + "or run: ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL)");
                }
            }
            s.execute("CREATE TABLE IF NOT EXISTS outbox_heartbeat (id int PRIMARY KEY, beat_at timestamptz NOT NULL)");
            String publication = DatabaseBootstrap.quoteIdentifier(relay.publication());
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                p.setString(1, relay.publication());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        s.execute("CREATE PUBLICATION " + publication + " FOR TABLE outbox_event, outbox_heartbeat");
                    }
                }
            }
            // A publication made before the heartbeat has outbox_event alone.
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_publication_tables"
                    + " WHERE pubname = ? AND schemaname = 'public' AND tablename = 'outbox_heartbeat'")) {
                p.setString(1, relay.publication());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        s.execute("ALTER PUBLICATION " + publication + " ADD TABLE outbox_heartbeat");
                    }
                }
            }
            // Debezium's own offsets of the relay (OutboxRelayOffsets), shared by the service's instances.
            s.execute("CREATE TABLE IF NOT EXISTS outbox_relay_offset (slot text NOT NULL, offset_key bytea NOT NULL,"
                    + " offset_value bytea, PRIMARY KEY (slot, offset_key))");
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
                p.setString(1, relay.slotName(db.name()));
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        try (PreparedStatement create =
                                c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                            create.setString(1, relay.slotName(db.name()));
                            create.execute();
                            // A new slot: offsets of an earlier one mean nothing to it.
                            try (PreparedStatement forget =
                                    c.prepareStatement("DELETE FROM outbox_relay_offset WHERE slot = ?")) {
                                forget.setString(1, relay.slotName(db.name()));
                                forget.execute();
                            }
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
}
