package io.gitcrq.model.event;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of new events: UUIDs of version 7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds, so an id
 * made later sorts later, as a UUID and as text. Tables keyed by event id (audit-collector's {@code audit_event},
 * every service's inbox) then take each new key at the right edge of their index, where a random (version 4) key
 * lands on any page of it: at a million audit rows that had PostgreSQL change, and log whole after each checkpoint, a
 * different index page for nearly every event — twice the WAL of the same rows keyed in order (P1,
 * docs/benchmarks.md).
 * <p>
 * Within one millisecond the 12 bits after the version count on (RFC 9562 §6.2, method 1), and a clock set back does
 * not send them back: the ids of one JVM strictly increase. The last 62 bits are random (as random as a version 4
 * id's 122), so hosts making ids at the same moment do not collide, and no id can be guessed from another.
 */
public final class EventIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final EventIds OF_THIS_JVM = new EventIds();

    /** The last id's time and counter: milliseconds shifted left by 12, plus the counter. */
    private final AtomicLong last = new AtomicLong();

    EventIds() {}

    /** A new event id, in the usual text form of a UUID. */
    public static String next() {
        return OF_THIS_JVM.at(System.currentTimeMillis()).toString();
    }

    /** A new id made at {@code epochMillis} by the clock: later than every id made before by this generator. */
    UUID at(long epochMillis) {
        long candidate = epochMillis << 12;
        long timeAndCounter = last.accumulateAndGet(candidate, (previous, clock) -> Math.max(clock, previous + 1));
        long mostSignificant = (timeAndCounter >>> 12) << 16 // unix_ts_ms: 48 bits
                | 0x7000L // version 7
                | (timeAndCounter & 0xFFFL); // the counter within the millisecond
        long leastSignificant = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L; // variant 2
        return new UUID(mostSignificant, leastSignificant);
    }
}
