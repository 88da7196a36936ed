package io.gitcrq.kit.delivery;

import io.gitcrq.model.event.MalformedEventException;
import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a failure to handle a record says about the record: whether the record itself is unreadable (only such a record
 * belongs on the dead-letter topic) or the infrastructure failed (the database, a closed connection pool, a transaction
 * that could not commit: the same record is handled again later, never dead-lettered).
 */
public final class DeliveryFailures {

    private DeliveryFailures() {}

    /** The record cannot be read as a gitcrq event: handling it again would fail again. */
    public static boolean unreadable(Throwable failure) {
        return find(failure, MalformedEventException.class) != null;
    }

    /**
     * The database or the transaction machinery failed, or the service is stopping (its handler refused, or the worker
     * pool that runs blocking handlers shut down before the handler could start): not the record's fault.
     */
    public static boolean ofInfrastructure(Throwable failure) {
        if (unreadable(failure)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException
                    || t instanceof ServiceStoppingException
                    || t instanceof RejectedExecutionException
                    || t instanceof jakarta.persistence.PersistenceException
                    || t instanceof jakarta.transaction.SystemException
                    || t instanceof jakarta.transaction.RollbackException
                    || t instanceof jakarta.transaction.TransactionalException
                    || isClosedResource(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connection to the database was lost (SQLSTATE class 08, or 57P: the server ended the session), or the service
     * is stopping: the same work will do once the database is back. Narrower than {@link #ofInfrastructure}: a
     * statement the database refused (a constraint, a value it cannot store) is not among them.
     */
    public static boolean connectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServiceStoppingException
                    || t instanceof RejectedExecutionException
                    || isClosedResource(t)) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Hibernate's and Agroal's words for a factory or pool closed under a running handler (a stop in progress). */
    private static boolean isClosedResource(Throwable t) {
        String message = t.getMessage();
        return t instanceof IllegalStateException
                && message != null
                && (message.contains("is closed") || message.contains("has been closed"));
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
