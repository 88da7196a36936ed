package io.gitcrq.kit.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts a transaction's outbox rows with one statement: each column as an array, unnested into rows in list
 * order. Where one INSERT per event cost a round trip and a statement execution each (an audit source's batch of
 * 256 records was 256 of them), a batch is one; the relay reads the rows from the WAL in the order they were
 * inserted, which is the list's.
 */
public final class OutboxInsert {

    static final String SQL = "INSERT INTO outbox_event (id, topic, message_key, event_type, payload, created_at) "
            + "SELECT id, topic, message_key, event_type, payload, created_at "
            + "FROM unnest(?::text[]::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[]) WITH ORDINALITY "
            + "AS r (id, topic, message_key, event_type, payload, created_at, n) ORDER BY n";

    private OutboxInsert() {}

    /** Inserts the rows, in order, within the connection's current transaction. */
    public static void insert(Connection connection, List<OutboxRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        // Every column goes as text (ISO-8601 instants, UUIDs in their usual spelling) and is cast by PostgreSQL.
        String[] ids = new String[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            OutboxRow row = rows.get(i);
            ids[i] = row.id().toString();
            topics[i] = row.topic();
            keys[i] = row.messageKey();
            types[i] = row.eventType();
            payloads[i] = row.payload();
            times[i] = row.createdAt().toString();
        }
        try (PreparedStatement insert = connection.prepareStatement(SQL)) {
            // String arrays go in PostgreSQL's binary array format (PgJDBC sends a String[] so): each element as its
            // bytes. A text array literal (createArrayOf) had every quote of a payload's JSON escaped by PgJDBC and
            // unescaped by PostgreSQL, character by character: for a batch of audit events, 170 KB each way.
            String[][] columns = {ids, topics, keys, types, payloads, times};
            for (int i = 0; i < columns.length; i++) {
                insert.setObject(i + 1, columns[i]);
            }
            insert.executeUpdate();
        }
    }
}
