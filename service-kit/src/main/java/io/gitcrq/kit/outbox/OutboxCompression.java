package io.gitcrq.kit.outbox;

import io.gitcrq.kit.db.AfterMigration;
import io.gitcrq.kit.db.DatabaseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * The outbox's payloads are compressed with lz4 where PostgreSQL has it: a batch of audit records is one row of about
 * 170 KB, which PostgreSQL compresses (TOAST) on insert and decompresses again for the relay's logical decoding — with
 * its default, pglz, 80 such rows took 150 ms to insert, with lz4 30 ms (docs/benchmarks.md). Small events are not
 * compressed either way. A PostgreSQL built without lz4 keeps pglz. Made here, not by a Flyway migration: service-kit's
 * migrations share their version numbers with the services' (V1 is the kit's), and the choice depends on the server.
 */
@ApplicationScoped
public class OutboxCompression implements AfterMigration {

    private static final Logger LOG = Logger.getLogger(OutboxCompression.class);

    /** Whether the server can compress with lz4 (PostgreSQL 14 and later, built with it): no row before 14. */
    static final String SUPPORTED = "SELECT coalesce((SELECT 'lz4' = ANY (enumvals) FROM pg_settings"
            + " WHERE name = 'default_toast_compression'), false)";

    /** Whether the payload column is set to lz4 already (pg_attribute has attcompression from 14 on). */
    static final String DONE = "SELECT attcompression = 'l' FROM pg_attribute"
            + " WHERE attrelid = 'outbox_event'::regclass AND attname = 'payload'";

    static final String USE_LZ4 = "ALTER TABLE outbox_event ALTER COLUMN payload SET COMPRESSION lz4";

    private final DatabaseConfig db;

    public OutboxCompression(DatabaseConfig db) {
        this.db = db;
    }

    @Override
    public void afterMigration() {
        try (Connection c = db.connect(db.name())) {
            if (!useLz4(c)) {
                LOG.debugf("PostgreSQL has no lz4: the outbox of %s keeps pglz", db.name());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the compression of the outbox of " + db.name(), e);
        }
    }

    /** Sets lz4 for the payloads of the outbox {@code c} sees, unless set; false when the server has no lz4. */
    static boolean useLz4(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            boolean supported;
            try (ResultSet rs = s.executeQuery(SUPPORTED)) {
                supported = rs.next() && rs.getBoolean(1);
            }
            if (!supported) {
                return false;
            }
            boolean done;
            try (ResultSet rs = s.executeQuery(DONE)) {
                done = rs.next() && rs.getBoolean(1);
            }
            if (!done) {
                // Only the column's setting changes (rows written before keep theirs): no rewrite, a brief lock.
                s.execute(USE_LZ4);
            }
            return true;
        }
    }
}
