package io.gitcrq.kit.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Plays, in a test, another instance of the service that takes the outbox relay over: it ends the session holding the
 * relay lease (as a SIGKILL of the relaying process would) and takes the lease on a connection of its own, until
 * closed. The service under test then stands by, and what it writes meanwhile waits in its outbox.
 */
public final class OtherRelayInstance implements AutoCloseable {

    /** RelayLease's advisory lock: ("gitc", hashtext(slot)). */
    private static final int LOCK_CLASS = 0x67697463;

    private final Connection session;

    private OtherRelayInstance(Connection session) {
        this.session = session;
    }

    /** Takes the relay lease of {@code slot} on {@code session} (a connection to the service's database). */
    public static OtherRelayInstance takeLease(Connection session, String slot, Duration patience)
            throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        terminateLeaseHolder(session, slot);
        while (!tryLock(session, slot)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the relay lease of " + slot + " was not freed within " + patience);
            }
            terminateLeaseHolder(session, slot);
            Thread.sleep(20);
        }
        return new OtherRelayInstance(session);
    }

    /** The session holding the lease. */
    public Connection session() {
        return session;
    }

    /** This "instance" stops: its session ends, and the lease with it. */
    @Override
    public void close() throws SQLException {
        session.close();
    }

    private static void terminateLeaseHolder(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
                + " WHERE locktype = 'advisory' AND granted AND classid = ?::oid AND objsubid = 2"
                + " AND objid = (hashtext(?)::bigint & 4294967295)::oid AND pid <> pg_backend_pid()"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            p.setLong(1, LOCK_CLASS);
            p.setString(2, slot);
            p.executeQuery().close();
        }
    }

    private static boolean tryLock(Connection c, String slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            p.setInt(1, LOCK_CLASS);
            p.setString(2, slot);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
