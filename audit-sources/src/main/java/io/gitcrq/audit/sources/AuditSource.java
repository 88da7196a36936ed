package io.gitcrq.audit.sources;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real capture mechanism started around one managed command. Lifecycle: {@link #start} once (returns when the
 * mechanism is actually capturing), then {@link #stop} once (idempotent; also via {@link #close}). Records go to the
 * sink from a single delivery thread per source, in capture order; the last record delivered is
 * {@code <kind>.summary} with {@code captured}/{@code dropped} (and source specific totals).
 */
public interface AuditSource extends AutoCloseable {

    /** Record kind: file, process, syscall, route, network, http. */
    String kind();

    void start(AuditTarget target, Consumer<AuditRecord> sink) throws IOException;

    /** Stops the mechanism (tools are terminated, threads joined), flushes records, publishes the summary. */
    SourceCounters stop();

    /** Live counters. */
    SourceCounters counters();

    /** Environment variables to inject into the managed command (only the HTTP proxy has any). */
    default Map<String, String> environment() {
        return Map.of();
    }

    @Override
    default void close() {
        stop();
    }
}
