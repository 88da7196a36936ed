package io.gitcrq.kit.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which instance of a service relays its outbox: the one holding a PostgreSQL session advisory lock named after the
 * replication slot, on a connection of its own. PostgreSQL releases the lock when that session ends, however it
 * ends: a clean stop closes it, a killed process's socket is closed by the kernel, and a network partition ends it
 * at the server's TCP keepalive. The slot itself admits one reader as well; the lease decides who tries, so that
 * standby instances wait quietly instead of failing against an active slot.
 */
final class RelayLease implements AutoCloseable {

    /** The advisory lock's first key: "gitc". The second is the slot name's hash. */
    private static final int LOCK_CLASS = 0x67697463;

    /** Opens a connection to the service's database. */
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final String slot;
    private Connection session;
    /** The slot's wal_status at the last check ({@code null}: no such slot), read on the lease's session. */
    private volatile String slotWalStatus = "unknown";

    RelayLease(Connector connector, String slot) {
        this.connector = connector;
        this.slot = slot;
    }

    /** Takes the lease if no other session holds it; true if this one holds it now. */
    synchronized boolean tryAcquire() throws SQLException {
        if (session != null) {
            return true;
        }
        Connection c = connector.connect();
        try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            p.setInt(1, LOCK_CLASS);
            p.setString(2, slot);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    session = c;
                    return true;
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return false;
    }

    /**
     * Whether the session holding the lease is still there (so the lock still is); false if not held. The same query
     * reads the slot's state ({@link #slotLost()}).
     */
    synchronized boolean stillHeld() {
        if (session == null) {
            return false;
        }
        try (PreparedStatement p = session.prepareStatement(
                "SELECT (SELECT coalesce(wal_status, 'unknown') FROM pg_replication_slots WHERE slot_name = ?)")) {
            p.setQueryTimeout(10);
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                slotWalStatus = rs.getString(1);
            }
            return true;
        } catch (SQLException e) {
            release();
            return false;
        }
    }

    /**
     * Whether the slot was invalidated (or is gone) at the last {@link #stillHeld()}: a reader then cannot go on, and
     * Debezium, which takes the server's refusal for a connection problem, would retry for ever.
     */
    boolean slotLost() {
        String status = slotWalStatus;
        return status == null || "lost".equals(status);
    }

    synchronized boolean held() {
        return session != null;
    }

    /** Whether a reader streams from the slot now (this instance's old one, or another's), and its process id. */
    Integer slotReader() throws SQLException {
        try (Connection c = connector.connect();
                PreparedStatement p = c.prepareStatement(
                        "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            p.setString(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Gives the lease up: ending the session releases the lock. */
    synchronized void release() {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (SQLException e) {
            // the session is gone either way, and the lock with it
        }
        session = null;
    }

    @Override
    public void close() {
        release();
    }
}
