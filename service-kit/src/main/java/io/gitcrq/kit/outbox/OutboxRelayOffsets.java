package io.gitcrq.kit.outbox;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    private static final int VALIDATION_SECONDS = 10;

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
        try (Connection c = DriverManager.getConnection(url, login);
                PreparedStatement p =
                        c.prepareStatement("SELECT offset_key, offset_value FROM outbox_relay_offset WHERE slot = ?")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    byte[] value = rs.getBytes(2);
                    data.put(ByteBuffer.wrap(rs.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox relay's offsets", e);
        }
    }

    /**
     * Saves the offsets, on one connection kept open: the relay saves after every batch it relays, and a connection
     * per save would make PostgreSQL start a backend each time (a few milliseconds on the relay's path). A session the
     * server ended is replaced; a save that fails on its connection is tried once more on a new one.
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

    private void saveOn(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO outbox_relay_offset (slot, offset_key, offset_value)"
                        + " VALUES (?, ?, ?) ON CONFLICT (slot, offset_key) DO UPDATE SET offset_value = excluded.offset_value")) {
            for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
                if (e.getKey() == null) {
                    continue;
                }
                p.setString(1, slot);
                p.setBytes(2, bytes(e.getKey()));
                p.setBytes(3, e.getValue() == null ? null : bytes(e.getValue()));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private Connection connection() throws SQLException {
        // An empty query: a session the server ended (a restart, an administrator) is found before it is used.
        if (connection != null && !connection.isValid(VALIDATION_SECONDS)) {
            closeConnection();
        }
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
