package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.SourceSummary;
import java.util.Map;

/**
 * What a source saw, captured and lost: {@code seen = captured + dropped}, always (a snapshot taken under the source's
 * counter lock). {@code droppedBy} says why, by the reasons of {@link SourceSummary} ({@code queueFull}: the bounded
 * delivery queue was full; {@code unparsable}: tool output the source could not read; {@code toolOverrun}: losses the
 * tool or kernel reported, such as tcpdump's "packets dropped by kernel", an inotify queue overflow, netlink socket
 * drops; {@code notDrained}: tool output seen at stop past the drain bound, counted but not processed).
 * {@code fellBehind}: the source could not read its tool's output to the end within its bound at stop.
 *
 * <p>What one "event" is, per source: a file change (file), an exec or an exit (process), a traced system call
 * (syscall), a packet (network), a route change (route), a request or tunnel (http). Events a source leaves out by
 * design (outside its filter, its own drain marker) are not seen, so never dropped.
 */
public record SourceCounters(long seen, long captured, long dropped, Map<String, Long> droppedBy, boolean fellBehind) {

    public SourceCounters {
        droppedBy = SourceSummary.reasons(droppedBy);
    }

    /** Drops of one reason (0 when none). */
    public long dropped(String reason) {
        return droppedBy.getOrDefault(reason, 0L);
    }
}
