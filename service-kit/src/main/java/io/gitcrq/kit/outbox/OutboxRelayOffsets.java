package io.gitcrq.kit.outbox;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's own offsets of the relay, kept in the service's database ({@code outbox_relay_offset}) rather than in
 * one process's memory. The slot alone resumes a new reader from the confirmed position, which PostgreSQL may place
 * before the last relayed transaction's commit; with these offsets Debezium recognises that transaction as processed
 * and does not send it again. So an instance taking the relay over from another (or a restarted one) resends at most
 * the batch that was in flight, not the last one relayed.
 */
public class OutboxRelayOffsets extends MemoryOffsetBackingStore {

    static final String URL = "offset.storage.gitcrq.url";
    static final String USER = "offset.storage.gitcrq.user";
    static final String PASSWORD = "offset.storage.gitcrq.password";
    static final String SLOT = "offset.storage.gitcrq.slot";

    private String url;
    private Properties login;
    private String slot;
    private Connection connection;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, Object> originals = config.originals();
        url = String.valueOf(originals.get(URL));
        slot = String.valueOf(originals.get(SLOT));
        login = new Properties();
        login.setProperty("user", String.valueOf(originals.get(USER)));
        if (originals.get(PASSWORD) != null) {
            login.setProperty("password", String.valueOf(originals.get(PASSWORD)));
        }
    }

    @Override
    public synchronized void start() {
        super.start();
        try (PreparedStatement p = connection()
                .prepareStatement("SELECT offset_key, offset_value FROM outbox_relay_offset WHERE slot = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    byte[] value = rs.getBytes(2);
                    data.put(ByteBuffer.wrap(rs.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
                }
            }
        } catch (SQLException e) {
            closeConnection();
            throw new IllegalStateException("cannot read the outbox relay's offsets", e);
        }
    }

    /**
     * Saves the offsets, on one connection kept open: the relay saves after every batch it relays, and a connection
     * per save would make PostgreSQL start a backend each time (a few milliseconds on the relay's path). It is not
     * checked before each save (a round trip per batch): a save that fails on it (the server ended the session, say)
     * is tried once more on a new connection.
     */
    @Override
    protected synchronized void save() {
        try {
            saveOn(connection());
        } catch (SQLException broken) {
            closeConnection();
            try {
                saveOn(connection());
            } catch (SQLException e) {
                closeConnection();
                throw new IllegalStateException("cannot store the outbox relay's offsets", e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        super.stop();
        closeConnection();
    }

    /** One statement for all the offsets (one per connector partition, usually one): stored together or not at all. */
    private void saveOn(Connection c) throws SQLException {
        List<Map.Entry<ByteBuffer, ByteBuffer>> offsets =
                data.entrySet().stream().filter(e -> e.getKey() != null).toList();
        if (offsets.isEmpty()) {
            return;
        }
        String values = String.join(", ", Collections.nCopies(offsets.size(), "(?, ?, ?)"));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_relay_offset (slot, offset_key, offset_value)"
                + " VALUES " + values
                + " ON CONFLICT (slot, offset_key) DO UPDATE SET offset_value = excluded.offset_value")) {
            int column = 0;
            for (Map.Entry<ByteBuffer, ByteBuffer> e : offsets) {
                p.setString(++column, slot);
                p.setBytes(++column, bytes(e.getKey()));
                p.setBytes(++column, e.getValue() == null ? null : bytes(e.getValue()));
            }
            p.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, login);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced or the store stops: nothing to keep
            }
            connection = null;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        b.rewind();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }
}
