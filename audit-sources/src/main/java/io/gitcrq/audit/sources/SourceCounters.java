package io.gitcrq.audit.sources;

/**
 * What a source captured and what it lost. {@code dropped} counts records/events that were observed but not
 * delivered: a full bounded delivery queue, unparsable tool output, or the tool's own overruns (tcpdump's
 * "packets dropped by kernel", netlink socket drops).
 */
public record SourceCounters(long captured, long dropped) {}
