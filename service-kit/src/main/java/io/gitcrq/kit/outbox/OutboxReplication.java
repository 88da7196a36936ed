package io.gitcrq.kit.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.kit.db.AfterMigration;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.gitcrq.kit.db.DatabaseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Prepares what the outbox relay reads: the publication of outbox_event (and of outbox_heartbeat, whose row the relay
 * updates to move its slot on while the outbox is quiet) and the logical replication slot.
 * <p>
 * A slot can be lost: PostgreSQL invalidates one that falls further behind than {@code max_slot_wal_keep_size}, and
 * a failover to a standby (before PostgreSQL 17) or an operator's {@code pg_drop_replication_slot} leaves none. The
 * WAL it held is gone then, but the rows are still in outbox_event (housekeeping keeps them a week). So a lost or
 * missing slot is made anew and a republication is owed ({@code outbox_relay_recovery}): the relay sends every row
 * written since shortly before the last transaction it relayed, in the order the rows were written, before it reads
 * the new slot. What was relayed already arrives a second time with its event id, and the consumers' inbox skips it.
 */
@ApplicationScoped
public class OutboxReplication implements AfterMigration {

    private static final Logger LOG = Logger.getLogger(OutboxReplication.class);

    /** The relay's heartbeat (Debezium's heartbeat.action.query): one row, updated. */
    static final String HEARTBEAT = "INSERT INTO outbox_heartbeat (id, beat_at) VALUES (1, now())"
            + " ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at";

    /** The advisory lock's first key while a slot is checked and made anew: "gitr". The second: the slot's hash. */
    private static final int SLOT_LOCK_CLASS = 0x67697472;

    /** A republication the relay owes after a lost slot: rows written since {@code since} (every row when null). */
    record Republication(Instant since, String reason) {
        /** Which rows, in words. */
        String rows() {
            return since == null ? "written so far" : "written since " + since;
        }
    }

    private final DatabaseConfig db;
    private final OutboxRelayConfig relay;
    private final ObjectMapper json = new ObjectMapper();

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
            // The order rows were written in, which a republication keeps (created_at may tie, and a row's place in
            // the table does not follow insertion once housekeeping freed space).
            s.execute("ALTER TABLE outbox_event ADD COLUMN IF NOT EXISTS written bigint GENERATED ALWAYS AS IDENTITY");
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
            s.execute("CREATE TABLE IF NOT EXISTS outbox_relay_recovery (slot text PRIMARY KEY, since timestamptz,"
                    + " reason text NOT NULL, noted_at timestamptz NOT NULL DEFAULT now())");
            ensureSlot(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare logical replication for the outbox of " + db.name(), e);
        }
    }

    /**
     * Makes sure the relay's slot exists and still holds its WAL; a lost or missing one is made anew and a
     * republication noted first. The relay calls it before each start of its engine.
     */
    void ensureSlot() throws SQLException {
        try (Connection c = db.connect(db.name())) {
            ensureSlot(c);
        }
    }

    private void ensureSlot(Connection c) throws SQLException {
        String slot = relay.slotName(db.name());
        // Instances starting together, or a relay and a starting instance, decide one at a time: otherwise one could
        // drop the slot another had just made anew.
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
            lock.setInt(1, SLOT_LOCK_CLASS);
            lock.setString(2, slot);
            lock.execute();
        }
        try {
            Optional<String> walStatus = walStatus(c, slot);
            if (walStatus.isPresent() && !"lost".equals(walStatus.get())) {
                return;
            }
            if (walStatus.isPresent() || hasOutboxRows(c)) {
                noteRepublication(
                        c,
                        slot,
                        walStatus.isPresent()
                                ? "the replication slot " + slot + " was invalidated (it fell further behind than"
                                        + " max_slot_wal_keep_size)"
                                : "the replication slot " + slot + " is missing (dropped, or lost in a failover)");
            }
            if (walStatus.isPresent()) {
                try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, slot);
                    drop.execute();
                }
            }
            try (PreparedStatement create =
                    c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, slot);
                create.execute();
            }
            // A new slot: offsets of an earlier one mean nothing to it.
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM outbox_relay_offset WHERE slot = ?")) {
                forget.setString(1, slot);
                forget.execute();
            }
        } finally {
            try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                unlock.setInt(1, SLOT_LOCK_CLASS);
                unlock.setString(2, slot);
                unlock.execute();
            }
        }
    }

    private static Optional<String> walStatus(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT coalesce(wal_status, 'unknown') FROM pg_replication_slots WHERE slot_name = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static boolean hasOutboxRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM outbox_event)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Notes what the relay owes: the rows written since the margin before the commit of the last transaction it
     * relayed (Debezium's offsets hold that commit's time); every row when it relayed nothing, or nothing it noted.
     * A republication already owed stays as it is: nothing was relayed since it was noted.
     */
    private void noteRepublication(Connection c, String slot, String reason) throws SQLException {
        Instant lastRelayedCommit = lastRelayedCommit(c, slot);
        Republication owed = new Republication(
                lastRelayedCommit == null ? null : lastRelayedCommit.minus(relay.republishMargin()), reason);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_relay_recovery (slot, since, reason)"
                + " VALUES (?, ?, ?) ON CONFLICT (slot) DO NOTHING")) {
            p.setString(1, slot);
            p.setTimestamp(2, owed.since() == null ? null : Timestamp.from(owed.since()));
            p.setString(3, reason);
            if (p.executeUpdate() == 1) {
                LOG.warnf(
                        "outbox relay: %s; it is made anew, and the outbox rows %s are sent again"
                                + " (consumers skip those they had)",
                        reason, owed.rows());
            }
        }
    }

    /** The commit time of the last transaction the relay relayed, from Debezium's stored offsets; null if none. */
    private Instant lastRelayedCommit(Connection c, String slot) throws SQLException {
        Instant last = null;
        try (PreparedStatement p = c.prepareStatement("SELECT offset_value FROM outbox_relay_offset WHERE slot = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    byte[] value = rs.getBytes(1);
                    if (value == null) {
                        continue;
                    }
                    try {
                        JsonNode offset = json.readTree(value);
                        if (offset.path("ts_usec").canConvertToLong()) {
                            long micros = offset.path("ts_usec").asLong();
                            Instant commit = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
                            last = last == null || commit.isAfter(last) ? commit : last;
                        }
                    } catch (IOException e) {
                        // Not Debezium's JSON: send everything again rather than guess.
                        return null;
                    }
                }
            }
        }
        return last;
    }

    /** The republication the relay owes, if any. */
    Optional<Republication> pendingRepublication() throws SQLException {
        try (Connection c = db.connect(db.name());
                PreparedStatement p =
                        c.prepareStatement("SELECT since, reason FROM outbox_relay_recovery WHERE slot = ?")) {
            p.setString(1, relay.slotName(db.name()));
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp since = rs.getTimestamp(1);
                return Optional.of(new Republication(since == null ? null : since.toInstant(), rs.getString(2)));
            }
        }
    }

    /** Receives the rows of a republication, a batch at a time; false stops the reading. */
    interface RowBatches {
        boolean accept(List<KafkaPublisher.Outgoing> batch) throws Exception;
    }

    /**
     * Reads the rows a republication owes in the order they were written, {@code batchSize} at a time; true if every
     * batch was taken (then the republication is no longer owed).
     */
    boolean republish(Republication owed, int batchSize, RowBatches batches) throws Exception {
        try (Connection c = db.connect(db.name())) {
            c.setAutoCommit(false); // a cursor: the rows are read as they are sent, not all at once
            try (PreparedStatement p = c.prepareStatement("SELECT topic, message_key, payload, created_at"
                    + " FROM outbox_event WHERE ?::timestamptz IS NULL OR created_at >= ?::timestamptz"
                    + " ORDER BY written")) {
                Timestamp since = owed.since() == null ? null : Timestamp.from(owed.since());
                p.setTimestamp(1, since);
                p.setTimestamp(2, since);
                p.setFetchSize(batchSize);
                try (ResultSet rs = p.executeQuery()) {
                    List<KafkaPublisher.Outgoing> batch = new ArrayList<>(batchSize);
                    while (rs.next()) {
                        batch.add(new KafkaPublisher.Outgoing(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getTimestamp(4).toInstant()));
                        if (batch.size() == batchSize) {
                            if (!batches.accept(batch)) {
                                return false;
                            }
                            batch = new ArrayList<>(batchSize);
                        }
                    }
                    if (!batch.isEmpty() && !batches.accept(batch)) {
                        return false;
                    }
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement done = c.prepareStatement("DELETE FROM outbox_relay_recovery WHERE slot = ?")) {
                done.setString(1, relay.slotName(db.name()));
                done.execute();
            }
            return true;
        }
    }

    /** Whether a republication is owed: housekeeping then keeps the outbox's rows (the relay still needs them). */
    public boolean republicationOwed() throws SQLException {
        return relay.enabled() && pendingRepublication().isPresent();
    }
}
