package io.gitcrq.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.testsupport.infra.TestInfrastructure;
import io.gitcrq.testsupport.infra.TestInfrastructure.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch written with one statement is the rows {@link Outbox#publish} would have written one by one, in the
 * order given (what the relay reads from the WAL). Against the tests' PostgreSQL (TestInfrastructure), in a
 * schema of its own made from the kit's migration and dropped afterwards.
 */
class OutboxInsertIT {

    private final String schema =
            "outbox_insert_test_" + UUID.randomUUID().toString().replace("-", "");
    private Connection db;

    @BeforeEach
    void schema() throws SQLException, IOException {
        TestPostgres server = TestInfrastructure.database();
        db = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
        try (Statement sql = db.createStatement();
                InputStream migration = getClass().getResourceAsStream("/db/kit/V1__outbox_and_inbox.sql")) {
            sql.execute("CREATE SCHEMA " + schema);
            sql.execute("SET search_path TO " + schema);
            sql.execute(new String(migration.readAllBytes(), StandardCharsets.UTF_8));
        }
        db.setAutoCommit(false);
    }

    @AfterEach
    void drop() throws SQLException {
        db.rollback();
        db.setAutoCommit(true);
        try (Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        db.close();
    }

    @Test
    void aLargePayloadIsCompressedWithLz4WhereTheServerHasIt() throws SQLException {
        assertThat(OutboxCompression.useLz4(db))
                .as("the tests' PostgreSQL (Debian's) is built with lz4")
                .isTrue();
        assertThat(OutboxCompression.useLz4(db)).isTrue(); // set once, then left as it is
        List<OutboxRow> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rows.add(OutboxRow.of(
                    "gitcrq/test",
                    new AuditCaptured(
                            "host-1",
                            "CRQ-7",
                            "exec",
                            Instant.parse("2026-12-06T10:00:00Z"),
                            EventCodec.mapper()
                                    .createObjectNode()
                                    .put("output", "make: Nothing to be done. ".repeat(400)))));
        }

        OutboxInsert.insert(db, rows);

        List<String> stored = new ArrayList<>();
        try (Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("SELECT pg_column_compression(payload), payload FROM outbox_event")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isEqualTo("lz4");
                stored.add(rs.getString(2));
            }
        }
        assertThat(stored)
                .containsExactlyInAnyOrderElementsOf(
                        rows.stream().map(OutboxRow::payload).toList());
    }

    @Test
    void insertsTheRowsOfABatchInOrderWithTheirIds() throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        Instant at = Instant.parse("2026-11-26T10:00:00.123456789Z");
        for (int i = 0; i < 300; i++) {
            // Hosts alternate, so that order is not that of ids, keys or times.
            AuditCaptured event = new AuditCaptured(
                    "host-" + (i % 3),
                    "CRQ-7",
                    "exec",
                    at.minusSeconds(i),
                    EventCodec.mapper()
                            .createObjectNode()
                            .put("n", i)
                            .put("text", "quote \" backslash \\ é {,} NULL 😀"));
            rows.add(OutboxRow.of("gitcrq/test", event));
        }

        OutboxInsert.insert(db, rows);

        List<OutboxRow> stored = new ArrayList<>();
        try (Statement sql = db.createStatement();
                // A fresh table's physical order is insertion order, the order of the rows in the WAL.
                ResultSet rs = sql.executeQuery("SELECT id, topic, message_key, event_type, payload, created_at "
                        + "FROM outbox_event ORDER BY ctid")) {
            while (rs.next()) {
                stored.add(new OutboxRow(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant(),
                        null));
            }
        }
        assertThat(stored).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow want = rows.get(i);
            assertThat(stored.get(i))
                    .as("row %d", i)
                    .isEqualTo(new OutboxRow(
                            want.id(),
                            want.topic(),
                            want.messageKey(),
                            want.eventType(),
                            want.payload(),
                            want.createdAt().truncatedTo(ChronoUnit.MICROS),
                            null));
            assertThat(want.id()).hasToString(want.event().id());
        }
    }

    @Test
    void anEmptyBatchWritesNothing() throws SQLException {
        OutboxInsert.insert(db, List.of());
        try (Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM outbox_event")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
