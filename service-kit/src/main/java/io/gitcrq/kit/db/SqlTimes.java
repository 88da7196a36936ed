package io.gitcrq.kit.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * Timestamps as PostgreSQL keeps them: read by native queries, in whichever type the JDBC driver and Hibernate hand
 * them back, and the current instant at the precision a TIMESTAMPTZ column stores.
 */
public final class SqlTimes {

    private SqlTimes() {}

    /**
     * Now, in microseconds: what a TIMESTAMPTZ column stores, so a value written and the same value read back (or
     * put in an event) are equal.
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** A TIMESTAMP(TZ) column's value as an Instant; null stays null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        throw new IllegalArgumentException(
                "not a timestamp: " + value.getClass().getName());
    }
}
