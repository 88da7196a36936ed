package io.gitcrq.model.audit;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every {@code <kind>.summary} says whatever its source: the events it saw, what it captured and dropped of
 * them ({@code seen = captured + dropped}), the drops by reason ({@code droppedBy}, keyed by the constants below,
 * always written: {@code {}} when nothing was dropped), whether it fell behind ({@code fellBehind: true}, written only when true: it
 * could not read its tool's output to the end within its bound at stop, and what it did not read is counted as
 * {@link #NOT_DRAINED}), and why stopping failed (null when it did not). An event a source leaves out by design
 * (outside its filter, its own drain marker) is not seen, so not a drop. exec-agent settles a source's counters from
 * these when its summary comes.
 */
public interface SourceSummary {

    /** A drop reason: the source's bounded delivery queue was full. */
    String QUEUE_FULL = "queueFull";

    /** A drop reason: a line of the tool's output the source could not read. */
    String UNPARSABLE = "unparsable";

    /**
     * A drop reason: the tool or the kernel reported losing events (tcpdump's "packets dropped by kernel", an inotify
     * queue overflow, netlink socket drops).
     */
    String TOOL_OVERRUN = "toolOverrun";

    /** A drop reason: seen in the tool's output at stop, but past the source's bound for draining it. */
    String NOT_DRAINED = "notDrained";

    long seen();

    long captured();

    long dropped();

    /** Drops by reason (empty when none). */
    Map<String, Long> droppedBy();

    /** True when the source could not keep up (see above); null otherwise. */
    Boolean fellBehind();

    String stopError();

    /** The reasons as every summary keeps them: sorted, unmodifiable, without zero counts (null: none, empty). */
    static Map<String, Long> reasons(Map<String, Long> droppedBy) {
        TreeMap<String, Long> sorted = new TreeMap<>();
        if (droppedBy != null) {
            droppedBy.forEach((reason, n) -> {
                if (n != null && n != 0) {
                    sorted.put(reason, n);
                }
            });
        }
        return Collections.unmodifiableMap(sorted);
    }
}
