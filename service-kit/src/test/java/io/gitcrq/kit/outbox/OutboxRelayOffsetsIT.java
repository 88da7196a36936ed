package io.gitcrq.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.embedded.EmbeddedWorkerConfig;
import io.gitcrq.testsupport.infra.TestInfrastructure;
import io.gitcrq.testsupport.infra.TestInfrastructure.TestPostgres;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's offsets store ({@link OutboxRelayOffsets}) saves after every relayed batch: on one connection kept open,
 * which it replaces when the server ends it, and closes when it stops. Against the tests' PostgreSQL, in a schema
 * of its own; the store's sessions are told apart by their application name.
 */
class OutboxRelayOffsetsIT {

    private static final String SLOT = "gitcrq_offsets_test";

    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final String schema = "relay_offsets_test_" + id;
    private final String application = "relay-offsets-test-" + id;
    private TestPostgres server;
    private Connection db;
    private final List<OutboxRelayOffsets> stores = new ArrayList<>();

    @BeforeEach
    void schema() throws SQLException {
        server = TestInfrastructure.database();
        db = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
        try (Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA " + schema);
            sql.execute(
                    "CREATE TABLE " + schema + ".outbox_relay_offset (slot text NOT NULL, offset_key bytea NOT NULL,"
                            + " offset_value bytea, PRIMARY KEY (slot, offset_key))");
        }
    }

    @AfterEach
    void drop() throws SQLException {
        stores.forEach(OutboxRelayOffsets::stop);
        try (Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        db.close();
    }

    @Test
    void readsAndSavesOnOneSessionThatItReplacesWhenTheServerEndsItAndClosesWhenItStops() throws Exception {
        OutboxRelayOffsets store = started();
        List<Integer> first = sessions();
        assertThat(first).as("the session the store read its offsets on").hasSize(1);
        save(store, "partition", "lsn-1");
        save(store, "partition", "lsn-2");
        save(store, "partition", "lsn-3");
        assertThat(sessions()).as("every save on the same session").isEqualTo(first);
        assertThat(stored("partition")).isEqualTo("lsn-3");

        terminate(first.get(0));
        save(store, "partition", "lsn-4");
        assertThat(stored("partition"))
                .as("saved on a new session after the server ended the first")
                .isEqualTo("lsn-4");
        List<Integer> second = sessions();
        assertThat(second).hasSize(1).doesNotContain(first.get(0));

        store.stop();
        awaitNoSession();

        OutboxRelayOffsets next = started();
        assertThat(next.get(List.of(key("partition"))).get(30, TimeUnit.SECONDS))
                .as("a new store reads what the first saved")
                .containsEntry(key("partition"), key("lsn-4"));
    }

    private OutboxRelayOffsets started() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(
                OutboxRelayOffsets.URL,
                server.jdbcUrl("postgres") + "?currentSchema=" + schema + "&ApplicationName=" + application);
        config.put(OutboxRelayOffsets.USER, server.user());
        if (!server.password().isEmpty()) {
            config.put(OutboxRelayOffsets.PASSWORD, server.password());
        }
        config.put(OutboxRelayOffsets.SLOT, SLOT);
        OutboxRelayOffsets store = new OutboxRelayOffsets();
        store.configure(new EmbeddedWorkerConfig(config));
        store.start(); // reads the offsets on the session it keeps for its saves
        stores.add(store);
        return store;
    }

    private static void save(OutboxRelayOffsets store, String k, String v) throws Exception {
        store.set(Map.of(key(k), key(v)), (error, result) -> {}).get(30, TimeUnit.SECONDS);
    }

    private static ByteBuffer key(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private String stored(String k) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT offset_value FROM " + schema + ".outbox_relay_offset WHERE slot = ? AND offset_key = ?")) {
            p.setString(1, SLOT);
            p.setBytes(2, k.getBytes(StandardCharsets.UTF_8));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new String(rs.getBytes(1), StandardCharsets.UTF_8) : null;
            }
        }
    }

    /** The server's live sessions of the store (a terminated one may linger a moment in pg_stat_activity). */
    private List<Integer> sessions() throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement p =
                db.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ? ORDER BY pid")) {
            p.setString(1, application);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    private void terminate(int pid) throws Exception {
        try (PreparedStatement p = db.prepareStatement("SELECT pg_terminate_backend(?)")) {
            p.setInt(1, pid);
            p.execute();
        }
        awaitNoSession();
    }

    private void awaitNoSession() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sessions().isEmpty()) {
            assertThat(System.nanoTime()).as("the store's session ends").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
